package io.tidemill.cluster.rest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tidemill.cluster.api.ApiException;
import io.tidemill.cluster.api.SubmitRequest;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads request bodies into the API's records, refusing each mistake with a 400 that names the field
 * and what was wrong with it. Unknown fields are refused too, so that a misspelt option
 * ({@code "paralelism"}) is not silently ignored. A JSON {@code null} counts as an absent field.
 */
final class RequestBodies {
    static final Set<String> CHECKPOINT_MODES = Set.of("exactly-once", "unaligned", "at-least-once");
    private static final List<String> SUBMIT_FIELDS = List.of("className", "args", "parallelism", "jarId",
            "checkpointIntervalMillis", "checkpointMode", "restartAttempts", "restartDelayMillis", "savepoint");

    private RequestBodies() {}

    /** {@code POST /jobs}. */
    static SubmitRequest submitRequest(Buffer body) throws ApiException {
        JsonNode o = object(body, true);
        knownFields(o, SUBMIT_FIELDS);
        String className = string(o, "className");
        if (className == null || className.isBlank()) {
            throw ApiException.badRequest("missing field 'className' (the job class to run)");
        }
        Long parallelism = integer(o, "parallelism", 1, Integer.MAX_VALUE);
        if (parallelism == null) {
            throw ApiException.badRequest("missing field 'parallelism' (a number of at least 1)");
        }
        String mode = string(o, "checkpointMode");
        if (mode != null && !CHECKPOINT_MODES.contains(mode)) {
            throw ApiException.badRequest("field 'checkpointMode' must be one of exactly-once, unaligned, "
                    + "at-least-once, got '" + mode + "'");
        }
        Long interval = integer(o, "checkpointIntervalMillis", 0, Long.MAX_VALUE);
        Long attempts = integer(o, "restartAttempts", 0, Integer.MAX_VALUE);
        return new SubmitRequest(className, strings(o, "args"), parallelism.intValue(), string(o, "jarId"),
                interval == null ? 0 : interval, mode, attempts == null ? null : attempts.intValue(),
                integer(o, "restartDelayMillis", 0, Long.MAX_VALUE), string(o, "savepoint"));
    }

    /** {@code POST /jobs/{id}/savepoints} and {@code /stop}: an empty body, or {@code {"target-directory": "..."}}. */
    static String targetDirectory(Buffer body) throws ApiException {
        JsonNode o = object(body, false);
        if (o == null) {
            return null;
        }
        knownFields(o, List.of("target-directory"));
        return string(o, "target-directory");
    }

    /** {@code POST /jobs/{id}/rescale}: {@code {"parallelism": n}} in the body or {@code ?parallelism=n}. */
    static int parallelism(Buffer body, String query) throws ApiException {
        JsonNode o = object(body, false);
        Long fromBody = null;
        if (o != null) {
            knownFields(o, List.of("parallelism"));
            fromBody = integer(o, "parallelism", 1, Integer.MAX_VALUE);
        }
        Long fromQuery = null;
        if (query != null) {
            try {
                fromQuery = Long.parseLong(query.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("query parameter 'parallelism' must be a number, got '" + query + "'");
            }
            if (fromQuery < 1 || fromQuery > Integer.MAX_VALUE) {
                throw ApiException.badRequest("query parameter 'parallelism' must be at least 1, got " + query);
            }
        }
        if (fromBody != null && fromQuery != null && !fromBody.equals(fromQuery)) {
            throw ApiException.badRequest("field 'parallelism' (" + fromBody + ") and query parameter "
                    + "'parallelism' (" + fromQuery + ") differ");
        }
        Long p = fromBody != null ? fromBody : fromQuery;
        if (p == null) {
            throw ApiException.badRequest("missing field 'parallelism' (a number of at least 1)");
        }
        return p.intValue();
    }

    /** Endpoints that take no parameters: an empty body or {@code {}}. */
    static void empty(Buffer body) throws ApiException {
        JsonNode o = object(body, false);
        if (o != null) {
            knownFields(o, List.of());
        }
    }

    /** The body as a JSON object, or null if it is empty and {@code required} is false. */
    private static JsonNode object(Buffer body, boolean required) throws ApiException {
        if (body == null || body.length() == 0 || body.toString().isBlank()) {
            if (required) {
                throw ApiException.badRequest("missing request body: expected a JSON object");
            }
            return null;
        }
        JsonNode node;
        try {
            node = Reply.JSON.readTree(body.getBytes());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw ApiException.badRequest("malformed JSON" + (at == null ? "" : " at line " + at.getLineNr()
                    + ", column " + at.getColumnNr()) + ": " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("unreadable request body: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("request body must be a JSON object, got " + describe(node));
        }
        return node;
    }

    private static void knownFields(JsonNode o, List<String> known) throws ApiException {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw ApiException.badRequest("unknown field '" + name + "'" + (known.isEmpty()
                        ? ": this endpoint takes no fields" : "; known: " + String.join(", ", known)));
            }
        }
    }

    private static String string(JsonNode o, String field) throws ApiException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest("field '" + field + "' must be a string, got " + describe(v));
        }
        return v.textValue();
    }

    private static Long integer(JsonNode o, String field, long min, long max) throws ApiException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiException.badRequest("field '" + field + "' must be a whole number, got " + describe(v));
        }
        long n = v.longValue();
        if (n < min) {
            throw ApiException.badRequest("field '" + field + "' must be at least " + min + ", got " + n);
        }
        if (n > max) {
            throw ApiException.badRequest("field '" + field + "' must be at most " + max + ", got " + n);
        }
        return n;
    }

    private static List<String> strings(JsonNode o, String field) throws ApiException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw ApiException.badRequest("field '" + field + "' must be an array of strings, got " + describe(v));
        }
        List<String> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isTextual()) {
                throw ApiException.badRequest("field '" + field + "' must be an array of strings, but element "
                        + i + " is " + describe(e));
            }
            out.add(e.textValue());
        }
        return out;
    }

    private static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        String text = v.toString();
        return v.getNodeType().name().toLowerCase() + " " + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }
}

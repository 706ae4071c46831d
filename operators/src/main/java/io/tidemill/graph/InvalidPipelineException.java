package io.tidemill.graph;

import java.util.List;

/** A pipeline that cannot run; the message names each offending operator. */
public final class InvalidPipelineException extends IllegalArgumentException {
    private final List<String> errors;

    public InvalidPipelineException(List<String> errors) {
        super("invalid pipeline: " + String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}

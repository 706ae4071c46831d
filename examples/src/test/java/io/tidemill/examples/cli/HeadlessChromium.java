package io.tidemill.examples.cli;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real headless Chromium, driven over its DevTools protocol (a WebSocket): opens one page,
 * evaluates JavaScript in it, and takes screenshots. Each instance has its own user data directory;
 * {@link #close} kills exactly the browser it started and the processes that browser started.
 *
 * <pre>{@code
 * try (HeadlessChromium browser = HeadlessChromium.open(binary, "http://127.0.0.1:8081/", tempDir)) {
 *     String title = browser.evaluate("document.title").asText();
 * }
 * }</pre>
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private WebSocket socket;

    private HeadlessChromium(Process process) {
        this.process = process;
    }

    /** The Chromium binary on the PATH ({@code chromium}, else {@code chromium-browser}), if any. */
    static Path find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /**
     * Starts Chromium on {@code url} in a 1400×900 window, with its profile in {@code userDataDir}
     * and its output in {@code log}, and connects to the page.
     */
    static HeadlessChromium open(Path binary, String url, Path userDataDir, Path log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
                "--remote-debugging-port=0", "--user-data-dir=" + userDataDir, "--window-size=1400,900", url)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // its temporary files in the profile, which the test deletes, not beside other runs' in /tmp
        Path tmp = Files.createDirectories(userDataDir.resolve("tmp"));
        builder.environment().put("TMPDIR", tmp.toString());
        Process p = builder.start();
        HeadlessChromium browser = new HeadlessChromium(p);
        try {
            browser.connect(userDataDir, url);
            return browser;
        } catch (Exception | AssertionError e) {
            browser.close();
            throw e;
        }
    }

    /** Chromium writes its DevTools port into the profile; the page's socket is listed at /json/list. */
    private void connect(Path userDataDir, String url) throws Exception {
        Path portFile = userDataDir.resolve("DevToolsActivePort");
        int port = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("chromium exited with " + process.exitValue());
                    }
                    return Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
                }, p -> p > 0);
        String pageSocket = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().until(() -> {
                    JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                            HttpResponse.BodyHandlers.ofString()).body());
                    for (JsonNode t : targets) {
                        if (t.path("type").asText().equals("page") && t.path("url").asText().startsWith(url)) {
                            return t.path("webSocketDebuggerUrl").asText();
                        }
                    }
                    return null;
                }, s -> s != null && !s.isEmpty());
        socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new Replies())
                .get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Evaluates {@code expression} in the page (a promise is awaited) and returns its value as JSON. */
    JsonNode evaluate(String expression) throws Exception {
        ObjectNode params = JSON.createObjectNode().put("expression", expression).put("returnByValue", true)
                .put("awaitPromise", true);
        JsonNode result = call("Runtime.evaluate", params);
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("the page threw on '" + expression + "': " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** A PNG of the whole page, as wide as the window and as long as the page. */
    byte[] screenshot() throws Exception {
        JsonNode size = call("Page.getLayoutMetrics", JSON.createObjectNode()).path("cssContentSize");
        ObjectNode params = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
        params.putObject("clip").put("x", 0).put("y", 0).put("width", size.path("width").asDouble())
                .put("height", size.path("height").asDouble()).put("scale", 1);
        JsonNode result = call("Page.captureScreenshot", params);
        return Base64.getDecoder().decode(result.path("data").asText());
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        calls.put(id, reply);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        socket.sendText(JSON.writeValueAsString(message), true).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonNode answer = reply.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (answer.has("error")) {
            throw new IllegalStateException(method + " failed: " + answer.get("error"));
        }
        return answer.path("result");
    }

    /** Completes each call with its reply; events (messages without an id) are ignored. */
    private final class Replies implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode m = JSON.readTree(text);
                    CompletableFuture<JsonNode> reply = m.has("id") ? calls.remove(m.get("id").asInt()) : null;
                    if (reply != null) {
                        reply.complete(m);
                    }
                } catch (IOException e) {
                    calls.values().forEach(c -> c.completeExceptionally(e));
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            calls.values().forEach(c -> c.completeExceptionally(error));
        }
    }

    /** Kills the browser and every process it started (renderers, GPU and zygote helpers), and waits. */
    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            for (ProcessHandle h : tree) {
                h.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("a process of chromium did not end within 10 s of being killed", e);
        }
    }
}

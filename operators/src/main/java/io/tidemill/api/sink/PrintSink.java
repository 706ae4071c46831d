package io.tidemill.api.sink;

import java.io.PrintStream;

/** Prints each record on its own line to standard output, prefixed by the subtask when parallel. */
public final class PrintSink<T> implements Sink<T> {
    private final String prefix;

    public PrintSink() {
        this("");
    }

    public PrintSink(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public SinkWriter<T> createWriter(int subtask, int parallelism) {
        PrintStream out = System.out;
        String p = prefix + (parallelism > 1 ? (subtask + 1) + "> " : "");
        return (value, timestamp) -> out.println(p + value);
    }
}

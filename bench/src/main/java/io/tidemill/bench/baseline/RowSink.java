package io.tidemill.bench.baseline;

import io.tidemill.connector.nexmark.JsonLine;

/** Where a baseline query writes its output rows. */
interface RowSink {

    /** Takes the finished row; the query reuses {@code row} afterwards. */
    void emit(JsonLine row);
}

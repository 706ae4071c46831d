package io.tidemill.cluster;

import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.checkpoint.store.SnapshotStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where a checkpoint or savepoint is, from the location string the REST API reports and takes:
 * {@code <job id>/<prefix>} in the snapshot store of that job, or an absolute path
 * {@code /dir/<prefix>} for a savepoint written to a target directory (which every node must be able
 * to read, as with Flink's savepoint directories: a shared file system).
 */
record SnapshotLocation(SnapshotStore store, String prefix) {
    static boolean isDirectory(String location) {
        return location.startsWith("/");
    }

    static SnapshotLocation resolve(String location, Function<String, SnapshotStore> jobStores) throws IOException {
        if (isDirectory(location)) {
            Path path = Path.of(location).normalize();
            if (path.getParent() == null || path.getFileName() == null) {
                throw new IllegalArgumentException("savepoint location " + location + " names no savepoint");
            }
            if (!Files.isDirectory(path)) {
                throw new NoSuchFileException(path.toString(), null, "no savepoint directory");
            }
            return new SnapshotLocation(new FileSnapshotStore(path.getParent()), path.getFileName().toString());
        }
        String[] at = location.split("/", 2);
        if (at.length != 2) {
            throw new IllegalArgumentException("a snapshot location is <job id>/<prefix> or an absolute path, was '"
                    + location + "'");
        }
        return new SnapshotLocation(jobStores.apply(at[0]), at[1]);
    }

    /** The location of {@code prefix} once copied into {@code directory}. */
    static String inDirectory(Path directory, String prefix) {
        return directory.resolve(prefix).toString();
    }
}

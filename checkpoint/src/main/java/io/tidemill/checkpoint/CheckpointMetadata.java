package io.tidemill.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * What a completed checkpoint or savepoint consists of; stored as JSON in {@code <prefix>/_metadata}
 * (framed like every blob). A checkpoint is complete exactly when its metadata exists.
 *
 * @param formatVersion the savepoint format; readers refuse versions they do not know
 * @param tasks one entry per task (vertex subtask) that acknowledged
 * @param operatorNames the name of each operator id of the job that took it, so that a restore into a
 *     changed pipeline can name the operators it is about; null in snapshots written before it existed
 */
public record CheckpointMetadata(int formatVersion, long checkpointId, boolean savepoint, long timestamp,
                                 String jobName, int maxParallelism, List<TaskState> tasks,
                                 Map<String, String> operatorNames) {
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param operators the operator ids of the task's chain, in order
     * @param blob the key of the task's blob in the store
     */
    public record TaskState(int vertex, int subtask, int parallelism, List<String> operators, String blob,
                            long bytes) {}

    /** The operator's name in the job that took the snapshot, else its id. */
    public String nameOf(String operatorId) {
        String name = operatorNames == null ? null : operatorNames.get(operatorId);
        return name == null ? operatorId : name;
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static CheckpointMetadata fromJson(byte[] json) throws IOException {
        CheckpointMetadata m = JSON.readValue(json, CheckpointMetadata.class);
        if (m.formatVersion() != FORMAT_VERSION) {
            throw new IOException("snapshot format version " + m.formatVersion() + " is not supported (this build: "
                    + FORMAT_VERSION + ")");
        }
        return m;
    }
}

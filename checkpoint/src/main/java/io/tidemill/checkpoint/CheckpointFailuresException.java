package io.tidemill.checkpoint;

/**
 * More checkpoints failed in a row than the job tolerates ({@link CheckpointConfig#tolerableFailures}):
 * the job fails with this. The message names the last failure; the cause is its cause, if it had one
 * (a timed-out checkpoint has none).
 */
public final class CheckpointFailuresException extends Exception {
    public CheckpointFailuresException(int consecutive, int tolerable, String lastFailure, Throwable cause) {
        super(consecutive + " checkpoints failed in a row (tolerable: " + tolerable + "); the last: " + lastFailure,
                cause);
    }
}

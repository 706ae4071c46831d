package io.tidemill.cli;

/**
 * A call to the cluster's REST API that failed: the server's status and error, or why the cluster
 * could not be reached. Printed as one line without a stack trace, exit code 1.
 */
public final class ClusterRequestException extends RuntimeException {
    public ClusterRequestException(String message) {
        super(message, null, false, false);
    }
}

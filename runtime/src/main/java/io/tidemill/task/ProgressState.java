package io.tidemill.task;

/** What one call of a tasklet achieved. */
public enum ProgressState {
    MADE_PROGRESS, NO_PROGRESS, DONE
}

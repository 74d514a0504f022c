package io.backflow.run;

/** How a run ended; decides the exit code. */
public enum RunStatus {
    /** Every change was delivered (or there was nothing to send). */
    SUCCEEDED(0),
    /** The run finished, but some records failed; they are retried by the next run. */
    FINISHED_WITH_FAILURES(1),
    /** The config or the model's data is unusable; nothing was sent. */
    INVALID_INPUT(2),
    /** A guard stopped the run before sending. */
    STOPPED_BY_GUARD(3),
    /** An unexpected error ended the run; the snapshot was not advanced. */
    ERROR(4);

    private final int exitCode;

    RunStatus(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}

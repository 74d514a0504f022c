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
    ERROR(4),
    /**
     * The destination could not be reached before the first change was sent: nothing was sent, no record
     * failed, the snapshot did not move. Retrying later is the remedy.
     */
    DESTINATION_UNREACHABLE(5);

    private final int exitCode;

    RunStatus(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /**
     * How a run, or a command, ends when it stops with this kind of problem. Destination errors only
     * reach here when something unexpected let one escape the per-record handling.
     */
    public static RunStatus of(io.backflow.BackflowException.Category category) {
        return switch (category) {
            case INVALID_CONFIG, INVALID_INPUT -> INVALID_INPUT;
            case GUARD_STOP -> STOPPED_BY_GUARD;
            case TRANSIENT_DESTINATION -> DESTINATION_UNREACHABLE;
            case PERMANENT_RECORD -> ERROR;
        };
    }
}

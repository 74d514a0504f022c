package io.backflow.load;

/**
 * A record of a batch that was not delivered. Records of a batch without an outcome were delivered.
 *
 * @param index the record's position in the batch it was sent in
 * @param status {@link Status#FAILED} or {@link Status#SKIPPED}
 * @param errorClass a short, stable class for grouping, e.g. {@code CheckViolation} or {@code 23514}
 * @param message the destination's own message
 */
public record RecordOutcome(int index, Status status, String errorClass, String message) {

    /** Why a record was not delivered. */
    public enum Status {
        /** The destination rejected it or could not be reached; the next run sends it again. */
        FAILED,
        /** Nothing to do by the sync mode (an {@code update} for a key the destination lacks). */
        SKIPPED
    }

    public static RecordOutcome failed(int index, String errorClass, String message) {
        return new RecordOutcome(index, Status.FAILED, errorClass, message);
    }

    public static RecordOutcome skipped(int index, String errorClass, String message) {
        return new RecordOutcome(index, Status.SKIPPED, errorClass, message);
    }

    /** The same outcome at another index (when a split batch's results are mapped back). */
    public RecordOutcome atIndex(int newIndex) {
        return new RecordOutcome(newIndex, status, errorClass, message);
    }
}

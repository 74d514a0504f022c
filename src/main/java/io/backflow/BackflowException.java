package io.backflow;

import java.util.Objects;

/**
 * The one unchecked exception Backflow throws on purpose. Its {@link Category} decides whether the
 * work is retried and which exit code the job ends with; the message says what could not be done,
 * to what, why, and what is valid. The cause is always kept.
 */
public class BackflowException extends RuntimeException {

    /**
     * What kind of problem this is; drives retries and, through {@code RunStatus.of}, the exit code.
     */
    public enum Category {
        /** The sync config is broken: nothing was read or sent. */
        INVALID_CONFIG,
        /** The model's data is unusable (null or duplicate keys, missing columns): nothing sent. */
        INVALID_INPUT,
        /** The destination failed in a way that may pass (timeout, connection loss, 429, 5xx). Retried. */
        TRANSIENT_DESTINATION,
        /** The destination rejected one record for good (constraint, validation). Not retried. */
        PERMANENT_RECORD,
        /** A guard or a lock stopped the run before anything was sent. */
        GUARD_STOP
    }

    private final Category category;

    public BackflowException(Category category, String message) {
        super(message);
        this.category = Objects.requireNonNull(category, "category");
    }

    public BackflowException(Category category, String message, Throwable cause) {
        super(message, cause);
        this.category = Objects.requireNonNull(category, "category");
    }

    public Category category() {
        return category;
    }
}

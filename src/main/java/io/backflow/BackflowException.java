package io.backflow;

import java.util.Objects;

/**
 * The one unchecked exception Backflow throws on purpose. Its {@link Category} decides whether the
 * work is retried and which exit code the job ends with; the message says what could not be done,
 * to what, why, and what is valid. The cause is always kept.
 */
public class BackflowException extends RuntimeException {

    /** What kind of problem this is; drives retries and the exit code. */
    public enum Category {
        /** The sync config is broken: nothing was read or sent. Exit code 2. */
        INVALID_CONFIG(2),
        /** The model's data is unusable (null or duplicate keys, missing columns): nothing sent. Exit code 2. */
        INVALID_INPUT(2),
        /** The destination failed in a way that may pass (timeout, connection loss, 429, 5xx). Retried. */
        TRANSIENT_DESTINATION(1),
        /** The destination rejected one record for good (constraint, validation). Not retried. */
        PERMANENT_RECORD(1),
        /** A guard or a lock stopped the run before anything was sent. Exit code 3. */
        GUARD_STOP(3);

        private final int exitCode;

        Category(int exitCode) {
            this.exitCode = exitCode;
        }

        /** The process exit code a run ending with this category reports. */
        public int exitCode() {
            return exitCode;
        }
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

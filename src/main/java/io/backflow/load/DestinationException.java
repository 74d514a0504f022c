package io.backflow.load;

import io.backflow.BackflowException;

import java.time.Duration;
import java.util.Optional;

/**
 * A whole request failed. {@link Category#TRANSIENT_DESTINATION} is retried with backoff;
 * {@link Category#PERMANENT_RECORD} means some record of the batch is unacceptable, so the batch is split
 * until that record is isolated.
 */
public final class DestinationException extends BackflowException {

    private final String errorClass;
    private final Duration retryAfter;

    /**
     * @param category {@code TRANSIENT_DESTINATION} or {@code PERMANENT_RECORD}
     * @param errorClass a short, stable class for reports, e.g. {@code 08006} or {@code ConnectException}
     */
    public DestinationException(Category category, String errorClass, String message, Throwable cause) {
        this(category, errorClass, message, cause, null);
    }

    /**
     * A transient failure the destination asked to be retried no sooner than {@code retryAfter} (an HTTP
     * {@code Retry-After}); the backoff before the next attempt is at least that long.
     */
    public static DestinationException retryAfter(String errorClass, String message, Duration retryAfter) {
        return new DestinationException(Category.TRANSIENT_DESTINATION, errorClass, message, null, retryAfter);
    }

    private DestinationException(Category category, String errorClass, String message, Throwable cause,
            Duration retryAfter) {
        super(category, message, cause);
        this.errorClass = errorClass;
        this.retryAfter = retryAfter;
    }

    public boolean isTransient() {
        return category() == Category.TRANSIENT_DESTINATION;
    }

    public String errorClass() {
        return errorClass;
    }

    /** The least wait the destination asked for before a retry, if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}

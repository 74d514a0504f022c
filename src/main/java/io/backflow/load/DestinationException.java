package io.backflow.load;

import io.backflow.BackflowException;

/**
 * A whole request failed. {@link Category#TRANSIENT_DESTINATION} is retried with backoff;
 * {@link Category#PERMANENT_RECORD} means some record of the batch is unacceptable, so the batch is split
 * until that record is isolated.
 */
public final class DestinationException extends BackflowException {

    private final String errorClass;

    /**
     * @param category {@code TRANSIENT_DESTINATION} or {@code PERMANENT_RECORD}
     * @param errorClass a short, stable class for reports, e.g. {@code 08006} or {@code ConnectException}
     */
    public DestinationException(Category category, String errorClass, String message, Throwable cause) {
        super(category, message, cause);
        this.errorClass = errorClass;
    }

    public boolean isTransient() {
        return category() == Category.TRANSIENT_DESTINATION;
    }

    public String errorClass() {
        return errorClass;
    }
}

package io.backflow.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * How transient destination errors are retried: exponential backoff with equal jitter, capped.
 *
 * @param maxAttempts attempts per request including the first; at least 1
 * @param initialBackoff the wait before the second attempt (before jitter)
 * @param maxBackoff the longest wait between attempts
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) implements Serializable {

    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(30));
    }

    /** The backoff before attempt {@code attempt + 1}, before jitter: initial × 2^(attempt-1), capped. */
    public Duration backoffAfter(int attempt) {
        long initialMillis = initialBackoff.toMillis();
        int doublings = Math.min(attempt - 1, 30);
        long millis = initialMillis << doublings;
        if (millis < 0 || millis > maxBackoff.toMillis()) {
            millis = maxBackoff.toMillis();
        }
        return Duration.ofMillis(millis);
    }
}

package io.backflow.load.http;

import io.backflow.BackflowException.Category;
import io.backflow.load.DestinationException;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Maps HTTP failures to {@link DestinationException}s, in one place so every API destination retries and
 * reports alike:
 * <ul>
 *   <li>429 and 503 → transient, waiting at least the answer's {@code Retry-After};</li>
 *   <li>other 5xx, 408, timeouts and dropped connections → transient (nothing is known to be applied, and
 *       every request is idempotent, so resending is safe);</li>
 *   <li>401, 403, 404 → transient: they concern the whole destination (a revoked token, a wrong URL), not a
 *       record, so splitting would only repeat them; after the retries the batch fails with the message;</li>
 *   <li>any other 4xx (400, 413, 422 …) → permanent: the batch holds a record the API refuses, so it is
 *       split until that record stands alone.</li>
 * </ul>
 * The error class is {@code HTTP <status>} (or the exception's class name), the message names the
 * request and quotes the API's answer.
 */
final class HttpErrors {

    private HttpErrors() {
    }

    static DestinationException fromAnswer(HttpCall call, HttpAnswer answer, Clock clock) {
        int status = answer.status();
        String errorClass = "HTTP " + status;
        String message = call.method() + " " + withoutQuery(call) + " answered " + status
                + (answer.body().isBlank() ? "" : ": " + answer.bodyExcerpt());
        if (status == 429 || status == 503) {
            Optional<Duration> wait = answer.retryAfter().flatMap(value -> retryAfter(value, clock));
            if (wait.isPresent()) {
                return DestinationException.retryAfter(errorClass, message, wait.get());
            }
        }
        boolean transientStatus = status >= 500 || status == 429 || status == 408 || status == 401 || status == 403
                || status == 404;
        return new DestinationException(transientStatus ? Category.TRANSIENT_DESTINATION : Category.PERMANENT_RECORD,
                errorClass, message, null);
    }

    static DestinationException fromException(HttpCall call, IOException e) {
        String what = e instanceof HttpTimeoutException ? "timed out" : "failed";
        return new DestinationException(Category.TRANSIENT_DESTINATION, e.getClass().getSimpleName(),
                call.method() + " " + withoutQuery(call) + " " + what + ": " + e.getMessage(), e);
    }

    /**
     * A {@code Retry-After} value as a wait: delay-seconds or an HTTP date (RFC 9110 §10.2.3). Empty if it
     * is neither; a date in the past is no wait.
     */
    static Optional<Duration> retryAfter(String value, Clock clock) {
        String text = value.strip();
        if (text.matches("\\d{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(clock.instant(), at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The URI without its query, which may hold ids or, for some APIs, credentials. */
    static String withoutQuery(HttpCall call) {
        String uri = call.uri().toString();
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }
}

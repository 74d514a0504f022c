package io.backflow.load.http;

import io.backflow.BackflowException.Category;
import io.backflow.load.DestinationException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class HttpErrorsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
    private static final HttpCall CALL = HttpCall.withBody("POST", URI.create("https://api.example.com/v1/batch?key=k"),
            new byte[0]);

    private static DestinationException answer(int status, String retryAfter) {
        return HttpErrors.fromAnswer(CALL, new HttpAnswer(status, "{\"message\":\"no\"}", Optional.ofNullable(retryAfter)),
                CLOCK);
    }

    @Test
    void tooManyRequestsIsTransientAndCarriesRetryAfterInSecondsOrAsADate() {
        DestinationException seconds = answer(429, "7");
        assertThat(seconds.isTransient()).isTrue();
        assertThat(seconds.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(seconds.errorClass()).isEqualTo("HTTP 429");
        assertThat(seconds.getMessage()).isEqualTo("POST https://api.example.com/v1/batch answered 429: {\"message\":\"no\"}");
        assertThat(answer(503, "Mon, 23 Nov 2026 12:00:30 GMT").retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(answer(429, "Mon, 23 Nov 2026 11:00:00 GMT").retryAfter()).contains(Duration.ZERO);
        assertThat(answer(429, "soon").retryAfter()).isEmpty();
        assertThat(answer(429, null).isTransient()).isTrue();
    }

    @Test
    void serverAndDestinationWideErrorsAreTransientRecordErrorsArePermanent() {
        for (int status : new int[] {500, 502, 504, 408, 401, 403, 404}) {
            assertThat(answer(status, null).isTransient()).as("status %d", status).isTrue();
        }
        for (int status : new int[] {400, 413, 422}) {
            assertThat(answer(status, null).category()).as("status %d", status).isEqualTo(Category.PERMANENT_RECORD);
        }
    }

    @Test
    void timeoutsAndDroppedConnectionsAreTransientAndNameTheRequest() {
        DestinationException timeout = HttpErrors.fromException(CALL, new HttpTimeoutException("request timed out"));
        assertThat(timeout.isTransient()).isTrue();
        assertThat(timeout.errorClass()).isEqualTo("HttpTimeoutException");
        assertThat(timeout.getMessage()).isEqualTo("POST https://api.example.com/v1/batch timed out: request timed out");
        DestinationException reset = HttpErrors.fromException(CALL, new IOException("Connection reset"));
        assertThat(reset.isTransient()).isTrue();
        assertThat(reset.getMessage()).isEqualTo("POST https://api.example.com/v1/batch failed: Connection reset");
    }
}

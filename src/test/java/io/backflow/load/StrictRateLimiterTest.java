package io.backflow.load;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrictRateLimiterTest {

    /** A clock that only moves when someone sleeps or work is simulated. */
    private static final class FakeTime implements Ticker, Sleeper {
        long nanos;
        final List<Duration> sleeps = new ArrayList<>();

        @Override
        public long nanos() {
            return nanos;
        }

        @Override
        public void sleep(Duration duration) {
            sleeps.add(duration);
            nanos += duration.toNanos();
        }

        void work(Duration duration) {
            nanos += duration.toNanos();
        }
    }

    @Test
    void spacesRequestsEvenly() {
        FakeTime time = new FakeTime();
        StrictRateLimiter limiter = new StrictRateLimiter(4, time, time);

        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            limiter.acquire();
            starts.add(time.nanos);
        }

        long interval = 252_500_000L; // 1/4 s plus the 1% safety margin
        for (int i = 0; i < starts.size(); i++) {
            assertThat(starts.get(i)).isEqualTo(i * interval);
        }
    }

    @Test
    void doesNotBurstAfterASlowRequest() {
        FakeTime time = new FakeTime();
        StrictRateLimiter limiter = new StrictRateLimiter(10, time, time);
        limiter.acquire();
        time.work(Duration.ofSeconds(3));

        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            limiter.acquire();
            starts.add(time.nanos);
        }

        // Guava's RateLimiter would hand out ~10 stored permits at once here.
        for (int i = 1; i < starts.size(); i++) {
            assertThat(starts.get(i) - starts.get(i - 1)).isGreaterThanOrEqualTo(100_000_000L);
        }
        long windowStart = starts.get(0);
        assertThat(starts.stream().filter(start -> start < windowStart + 1_000_000_000L).count()).isEqualTo(10);
        assertThat(starts.get(10) - windowStart).isGreaterThan(1_000_000_000L);
    }

    @Test
    void doesNotWaitWhenRequestsAreSlowerThanTheRate() {
        FakeTime time = new FakeTime();
        StrictRateLimiter limiter = new StrictRateLimiter(2, time, time);

        for (int i = 0; i < 5; i++) {
            assertThat(limiter.acquire()).isEqualTo(Duration.ZERO);
            time.work(Duration.ofMillis(510));
        }
        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void rejectsANonPositiveRate() {
        FakeTime time = new FakeTime();
        assertThatThrownBy(() -> new StrictRateLimiter(0, time, time))
                .hasMessage("permitsPerSecond must be positive, got 0.0");
    }
}

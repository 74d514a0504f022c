package io.backflow.load;

import java.time.Duration;

/**
 * Spaces requests at least {@code 1 / rate} seconds apart, without bursts.
 *
 * <p>Guava's {@code RateLimiter} was the first choice, but it stores up to one second of unused permits
 * while a writer is busy and then hands them out at once: after one slow batch a writer can start up
 * to twice its rate within one second, exactly the overrun that makes an API answer 429. It also cannot
 * take an injected clock. This limiter never stores permits, so with an integer rate r no window of one
 * second sees more than r requests from it.
 *
 * <p>Requests are spaced 1% wider than the rate asks: the limit is enforced where requests arrive, and
 * scheduling and network jitter between taking a permit and the request reaching the server must not
 * push one more request into a second there.
 *
 * <p>Not thread-safe: one per partition writer.
 */
public final class StrictRateLimiter {

    /** Extra spacing, as a fraction of the interval, absorbing jitter on the way to the server. */
    static final double SAFETY_MARGIN = 0.01;

    private final long intervalNanos;
    private final Ticker ticker;
    private final Sleeper sleeper;
    private long nextFreeNanos;
    private boolean started;

    public StrictRateLimiter(double permitsPerSecond, Ticker ticker, Sleeper sleeper) {
        if (!(permitsPerSecond > 0)) {
            throw new IllegalArgumentException("permitsPerSecond must be positive, got " + permitsPerSecond);
        }
        this.intervalNanos = (long) Math.ceil(1_000_000_000d * (1 + SAFETY_MARGIN) / permitsPerSecond);
        this.ticker = ticker;
        this.sleeper = sleeper;
    }

    /**
     * Blocks until the next request may start.
     *
     * @return how long it waited
     */
    public Duration acquire() {
        long now = ticker.nanos();
        long wait = 0;
        if (started && nextFreeNanos > now) {
            wait = nextFreeNanos - now;
            sleeper.sleep(Duration.ofNanos(wait));
        }
        nextFreeNanos = (started ? Math.max(now, nextFreeNanos) : now) + intervalNanos;
        started = true;
        return Duration.ofNanos(wait);
    }
}

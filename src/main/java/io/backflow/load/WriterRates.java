package io.backflow.load;

import io.backflow.config.RateLimit;

import java.io.Serializable;
import java.util.Optional;

/**
 * Splits a global request rate across partition writers so that their sum never exceeds it.
 *
 * <p>Each writer spaces its requests evenly, so a writer with rate r can start ceil(r) requests in one
 * second. Giving every writer R / W would let W writers start W × ceil(R / W) > R requests when R / W is
 * not whole (R = 10, W = 4: 12). So each writer gets a whole rate, and the rates add up to floor(R); when
 * R is below the writer count, fewer writers run (each at 1 request/s), because a writer cannot send less
 * than one request in a second that it sends in at all.
 *
 * @param writers how many partitions the load uses
 * @param totalRate the global limit in requests per second; 0 for none (a plain double, not an
 *     {@code Optional}, because this record is serialized to the executors)
 */
public record WriterRates(int writers, double totalRate) implements Serializable {

    /** The split for a configured writer count and optional limit. */
    public static WriterRates of(int configuredWriters, Optional<RateLimit> limit) {
        if (limit.isEmpty()) {
            return new WriterRates(configuredWriters, 0);
        }
        double rate = limit.get().requestsPerSecond();
        long whole = (long) Math.floor(rate);
        int writers = (int) Math.max(1, Math.min(configuredWriters, whole));
        return new WriterRates(writers, rate);
    }

    /** The rate of one writer, or empty if unlimited. */
    public Optional<Double> rateOf(int partition) {
        if (totalRate <= 0) {
            return Optional.empty();
        }
        long whole = (long) Math.floor(totalRate);
        if (whole < 1) {
            return Optional.of(totalRate);
        }
        long base = whole / writers;
        long extra = partition % writers < whole % writers ? 1 : 0;
        return Optional.of((double) (base + extra));
    }
}

package io.backflow.load;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Logs the whole load's progress from the driver at a steady interval: changes done of the run's total, the
 * percentage, the rate against the configured limit, and the time left at that rate. Done is counted from the
 * batches the writers recorded in the load's progress log ({@link LoadProgress}), so it is what reached the
 * destination, whatever Spark's task metrics say; a batch counts as full, so it is approximate by at most one
 * batch per writer.
 */
public final class LoadProgressReporter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadProgressReporter.class);

    private final LoadProgress progress;
    private final long total;
    private final int batchSize;
    private final long batchesBefore;
    private final Optional<Double> limitPerSecond;
    private final Clock clock;
    private final Instant start;
    private final ScheduledExecutorService timer;

    /**
     * @param total the changes this run loads
     * @param batchSize changes per batch
     * @param limitPerSecond the rate limit in changes per second, if any
     */
    LoadProgressReporter(LoadProgress progress, long total, int batchSize, Optional<Double> limitPerSecond,
            Clock clock) {
        this.progress = progress;
        this.total = total;
        this.batchSize = batchSize;
        this.limitPerSecond = limitPerSecond;
        this.clock = clock;
        this.start = clock.instant();
        // Batches an interrupted run delivered are not this run's work: the rate counts only what is new.
        this.batchesBefore = progress.recordedBatches();
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "backflow-load-progress");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts reporting every {@code interval} until {@link #close}. */
    public static LoadProgressReporter start(LoadProgress progress, long total, int batchSize,
            Optional<Double> limitPerSecond, Duration interval) {
        LoadProgressReporter reporter = new LoadProgressReporter(progress, total, batchSize, limitPerSecond,
                Clock.systemUTC());
        reporter.timer.scheduleAtFixedRate(reporter::report, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return reporter;
    }

    private void report() {
        try {
            LOG.info(line(progress.recordedBatches()));
        } catch (RuntimeException e) {
            // A progress line is never worth failing or slowing the load for.
            LOG.debug("Could not read the load progress: {}", e.toString());
        }
    }

    /** The progress line once {@code batches} batches are recorded in all. */
    String line(long batches) {
        long done = Math.min(total, batches * batchSize);
        long newlyDone = Math.min(total, Math.max(0, batches - batchesBefore) * batchSize);
        double seconds = Math.max(0.001, Duration.between(start, clock.instant()).toMillis() / 1000.0);
        double rate = newlyDone / seconds;
        String limit = limitPerSecond.map(value -> String.format(Locale.ROOT, " (limit %.0f/s)", value)).orElse("");
        String left = rate <= 0 ? "time left unknown" : "about " + duration(Math.round((total - done) / rate)) + " left";
        return String.format(Locale.ROOT, "Load progress: ~%d of %d changes (%.0f%%) in %s, %.0f changes/s%s, %s",
                done, total, total == 0 ? 100.0 : done * 100.0 / total, duration(Math.round(seconds)),
                rate, limit, left);
    }

    private static String duration(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60)
                : seconds >= 60 ? String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60)
                : seconds + "s";
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

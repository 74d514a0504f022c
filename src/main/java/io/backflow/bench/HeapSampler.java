package io.backflow.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The most heap the JVM had in use while it ran, sampled every 20 ms on a daemon thread. Summing the heap
 * pools' own peaks would overstate it: each pool peaks at a different moment.
 */
final class HeapSampler implements AutoCloseable {

    private static final long INTERVAL_MILLIS = 20;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peak = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    HeapSampler() {
        thread = new Thread(this::sample, "bench-heap-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void sample() {
        while (running) {
            peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The highest heap use seen so far, in bytes. */
    long peakBytes() {
        return Math.max(peak.get(), memory.getHeapMemoryUsage().getUsed());
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }
}

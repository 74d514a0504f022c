package io.backflow.testing;

import io.backflow.load.Change;
import io.backflow.load.ChangeLayout;
import io.backflow.load.Destination;
import io.backflow.load.PartitionWriter;
import io.backflow.load.RecordOutcome;
import io.backflow.load.RequestPermits;

import java.util.List;

/**
 * A real destination whose writers die (as a killed executor would: an exception that is not a
 * destination error) on request {@code batchesBeforeCrash + 1}, just after the destination applied it: the
 * worst moment, since that batch reached the destination but its delivery was never acknowledged. Used to
 * prove that a run dying mid-load leaves the snapshot alone and the next run converges, resending at most
 * that one batch per writer.
 */
public final class CrashingDestination implements Destination {

    private final Destination real;
    private final int batchesBeforeCrash;

    public CrashingDestination(Destination real, int batchesBeforeCrash) {
        this.real = real;
        this.batchesBeforeCrash = batchesBeforeCrash;
    }

    @Override
    public void check(ChangeLayout layout) {
        real.check(layout);
    }

    @Override
    public void prepare(ChangeLayout layout) {
        real.prepare(layout);
    }

    @Override
    public PartitionWriter openWriter(ChangeLayout layout) {
        PartitionWriter writer = real.openWriter(layout);
        return new PartitionWriter() {
            private int batches;

            @Override
            public void prepare() {
                writer.prepare();
            }

            @Override
            public boolean oneOperationPerRequest() {
                return writer.oneOperationPerRequest();
            }

            @Override
            public List<RecordOutcome> send(List<Change> batch) {
                return send(batch, RequestPermits.NONE);
            }

            @Override
            public List<RecordOutcome> send(List<Change> batch, RequestPermits permits) {
                int request = batches++;
                List<RecordOutcome> outcomes = writer.send(batch, permits);
                if (request == batchesBeforeCrash) {
                    throw new IllegalStateException("simulated executor crash after " + batchesBeforeCrash
                            + " batches and the next one's commit");
                }
                return outcomes;
            }

            @Override
            public void close() {
                writer.close();
            }
        };
    }

    @Override
    public int batchSize() {
        return real.batchSize();
    }

    /** The real destination's description: the next run, with the real destination, resumes this one's load. */
    @Override
    public String describe() {
        return real.describe();
    }
}

package io.backflow.load;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.Serializable;

/**
 * A place changes are sent to. Created on the driver and serialized to the executors, where each
 * load partition opens its own {@link PartitionWriter}.
 */
public interface Destination extends Serializable {

    /**
     * Checks, from the driver, that the destination is reachable and can take this sync's changes
     * (table, columns, a unique key for upserts). Sends nothing.
     *
     * @throws io.backflow.BackflowException {@code INVALID_CONFIG} with what is wrong and how to fix it,
     *     or {@code TRANSIENT_DESTINATION} if it cannot be reached
     */
    void check(ChangeLayout layout);

    /**
     * What {@link #prepare} would create that is missing now (e.g. {@code CREATE TABLE …} for a missing table
     * the config asks to create), one line each, for {@code validate} to show; checked from the driver, sends
     * nothing. {@link #check} passes for what is listed here. The default: nothing.
     */
    default java.util.List<String> missingSetup(ChangeLayout layout) {
        return java.util.List.of();
    }

    /** Like {@link #check}, but first creates what the config asks to create (a missing table). */
    void prepare(ChangeLayout layout);

    /** Opens a writer for one partition of the load; runs on an executor. */
    PartitionWriter openWriter(ChangeLayout layout);

    /** Changes per request: the batch size writers cut their partition into. */
    int batchSize();

    /**
     * Called once on the driver after the load and before the snapshot commit, with the changes that were
     * delivered (plan rows, laid out as {@code layout.planSchema()}). A destination that writes with Spark
     * itself rather than through its partition writers (the change files) writes and publishes here. If it
     * throws, the run fails before the commit, so the snapshot does not move and the next run resends.
     * The default does nothing.
     */
    default void publish(Dataset<Row> delivered, ChangeLayout layout, String runId) {
    }

    /** A description for logs, e.g. "postgres table public.customers"; never contains secrets. */
    String describe();
}

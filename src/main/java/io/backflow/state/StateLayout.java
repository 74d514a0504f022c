package io.backflow.state;

/**
 * Where one sync keeps its state: Delta tables under {@code <state_path>/<sync name>/}. Paths may be
 * local or any Hadoop FileSystem URI ({@code s3://}, {@code abfss://}, {@code dbfs:/}).
 *
 * @param root the sync's state directory
 */
public record StateLayout(String root) {

    /** Per key: the row hash and the values last delivered. */
    public String snapshot() {
        return root + "/snapshot";
    }

    /** Each run's change set, partitioned by run id, written before loading. */
    public String plans() {
        return root + "/plans";
    }

    /** One row per run: counts, timings, versions, exit code. */
    public String runs() {
        return root + "/runs";
    }

    /** Records a run could not deliver, with error class and message. */
    public String failures() {
        return root + "/failures";
    }

    /** Per plan, which batches each writer has delivered, so an interrupted load resumes where it stopped. */
    public String progress() {
        return root + "/progress";
    }

    /** The load progress of the plan run {@code planRunId} made. */
    public String progress(String planRunId) {
        return progress() + "/" + planRunId;
    }

    /** The run lock: who is running this sync now. */
    public String lock() {
        return root + "/lock";
    }

    /** One JSON report per run. */
    public String reports() {
        return root + "/reports";
    }
}

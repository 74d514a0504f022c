package io.backflow.run;

import io.backflow.config.SyncConfig;
import io.backflow.load.Destination;
import io.backflow.source.Sources;
import io.backflow.state.SnapshotStore;
import io.backflow.state.StateLayout;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code validate}: checks that the model can be read with the configured key and columns and that the
 * destination is reachable and fit for the sync. Reads schemas only; sends nothing.
 */
public final class SyncValidation {

    private final SparkSession spark;
    private final SyncConfig config;
    private final Destination destination;

    public SyncValidation(SparkSession spark, SyncConfig config, Destination destination) {
        this.spark = spark;
        this.config = config;
        this.destination = destination;
    }

    /**
     * @return one line per check passed
     * @throws io.backflow.BackflowException describing the first check that failed
     */
    public List<String> validate() {
        List<String> passed = new ArrayList<>();
        passed.add("config: sync '" + config.name() + "', mode " + config.mode().configName() + ", key "
                + config.key());
        SyncDiff diff = SyncDiff.of(spark, config, new SnapshotStore(spark, new StateLayout(config.syncStatePath())),
                false);
        passed.add("model: " + Sources.create(config.source()).describe() + " has key " + diff.layout().key()
                + " and columns " + diff.layout().columns());
        diff.schemaChanges().forEach(change -> passed.add("schema change since the last run: " + change));
        destination.check(diff.layout());
        passed.add("destination: " + destination.describe() + " is reachable and fits the model");
        return passed;
    }
}

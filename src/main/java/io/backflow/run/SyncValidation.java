package io.backflow.run;

import io.backflow.BackflowException;
import io.backflow.config.SyncConfig;
import io.backflow.load.Destination;
import io.backflow.source.Sources;
import io.backflow.state.SnapshotStore;
import io.backflow.state.StateLayout;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
     * One check's outcome: what it found and, if it failed, why.
     *
     * @param line what was checked and found, e.g. {@code model: parquet at /data/x has key [id] and columns [v]}
     * @param failure the error that failed the check; empty if it passed
     */
    public record Check(String line, Optional<BackflowException> failure) {

        static Check ok(String line) {
            return new Check(line, Optional.empty());
        }

        static Check failed(String part, BackflowException failure) {
            return new Check(part + ": " + failure.getMessage(), Optional.of(failure));
        }

        public boolean passed() {
            return failure.isEmpty();
        }
    }

    /**
     * Runs every check, each even when an earlier one failed (a check that needs an earlier one's result says
     * it was skipped).
     *
     * @return one line per check, in order
     */
    public List<Check> validate() {
        List<Check> checks = new ArrayList<>();
        checks.add(Check.ok("config: sync '" + config.name() + "', mode " + config.mode().configName()
                + ", key " + config.key()));
        SyncDiff diff;
        try {
            diff = SyncDiff.of(spark, config, new SnapshotStore(spark, new StateLayout(config.syncStatePath())),
                    false);
        } catch (BackflowException e) {
            checks.add(Check.failed("model", e));
            checks.add(Check.failed("destination", new BackflowException(e.category(),
                    "not checked, it needs the model's columns")));
            return checks;
        }
        checks.add(Check.ok("model: " + Sources.create(config.source()).describe() + " has key "
                + diff.layout().key() + " and columns " + diff.layout().columns()));
        diff.schemaChanges().forEach(change -> checks.add(Check.ok("schema change since the last run: " + change)));
        try {
            destination.check(diff.layout());
            List<String> setup = destination.missingSetup(diff.layout());
            checks.add(Check.ok("destination: " + destination.describe() + " is reachable and "
                    + (setup.isEmpty() ? "fits the model" : "will fit the model once `run` sets it up")));
            setup.forEach(line -> checks.add(Check.ok("destination: " + line)));
        } catch (BackflowException e) {
            checks.add(Check.failed("destination", e));
        }
        return checks;
    }
}

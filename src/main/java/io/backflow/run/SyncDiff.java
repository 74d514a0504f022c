package io.backflow.run;

import io.backflow.config.SyncConfig;
import io.backflow.diff.Differ;
import io.backflow.diff.KeyedModel;
import io.backflow.load.ChangeLayout;
import io.backflow.source.Sources;
import io.backflow.state.SnapshotStore;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The lazy diff of a sync's model against its snapshot, and the layout of the change rows it yields.
 * Building it reads only schemas; the data is read when {@code changes} is written.
 */
record SyncDiff(Dataset<Row> changes, ChangeLayout layout) {

    static SyncDiff of(SparkSession spark, SyncConfig config, SnapshotStore snapshot) {
        KeyedModel model = KeyedModel.of(config.name(), Sources.create(config.source()).load(spark), config.key(),
                config.columns());
        StructType values = model.valueSchema();
        StructType keySchema = new StructType();
        for (String name : model.key()) {
            keySchema = keySchema.add(values.apply(name));
        }
        Dataset<Row> changes = Differ.changes(model, snapshot.keysAndHashes(keySchema));
        return new SyncDiff(changes, new ChangeLayout(changes.schema(), model.key(), model.columns(), config.mode()));
    }
}

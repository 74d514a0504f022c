package io.backflow.bench;

import io.backflow.diff.Columns;
import io.backflow.diff.Operation;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The commit the benchmark compares Backflow's with: the delivered changes applied to the snapshot in one
 * MERGE that deletes, updates and inserts (deletion vectors on, as the snapshot has them). Backflow
 * committed this way before it split the commit into a delete-only MERGE and an append.
 */
final class OneMergeCommit {

    private OneMergeCommit() {
    }

    /**
     * @param snapshotPath the snapshot table
     * @param delivered plan rows: {@link Columns#OPERATION}, key, values, field hashes, hash
     * @param stored the snapshot's columns: key, values, field hashes, hash
     */
    static void apply(SparkSession spark, String snapshotPath, Dataset<Row> delivered, String key,
            List<String> stored) {
        Map<String, String> assignments = new LinkedHashMap<>();
        stored.forEach(name -> assignments.put(Columns.quoted(name), "change." + Columns.quoted(name)));
        String isDelete = "change." + Columns.OPERATION + " = '" + Operation.DELETE.name() + "'";
        DeltaTable.forPath(spark, snapshotPath).as("snapshot")
                .merge(delivered.as("change"), "snapshot." + key + " = change." + key)
                .whenMatched(isDelete).delete()
                .whenMatched().updateExpr(assignments)
                .whenNotMatched("NOT (" + isDelete + ")").insertExpr(assignments)
                .execute();
    }
}

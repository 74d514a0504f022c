package io.backflow.bench;

import io.backflow.diff.Columns;
import io.backflow.diff.KeyedModel;
import io.backflow.diff.ModelFingerprint;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;

/**
 * Lower bounds for any Spark diff of the model, timed on the same data and cores as the DuckDB baseline,
 * so the report shows how close to that baseline a Spark diff can get at all:
 * <ul>
 *   <li>{@link #scan}: read every model row and compute Backflow's row hash, with no shuffle and no join;</li>
 *   <li>{@link #keyJoin}: that, plus the least an exact diff must move: the model's and the snapshot's key
 *   and hash shuffled and full-outer-joined, and the changed keys counted. Finding deletes and duplicate
 *   keys needs every model key next to its snapshot key, so a diff that reads the model once and holds
 *   neither side in memory whole (a broadcast does not scale to hundreds of millions of rows) pays at least
 *   this shuffle; Backflow's diff also carries the values of every row through it, checks the keys and
 *   writes the plan.</li>
 * </ul>
 */
final class SparkDiffFloors {

    private static final String PREVIOUS_HASH = "previous_hash";

    private final SparkSession spark;
    private final Path model;
    private final Path snapshot;
    private final List<String> columns;

    /**
     * @param model the model's Parquet directory
     * @param snapshot the previous state's Delta snapshot, as Backflow's diff reads it
     */
    SparkDiffFloors(SparkSession spark, Path model, Path snapshot, List<String> columns) {
        this.spark = spark;
        this.model = model;
        this.snapshot = snapshot;
        this.columns = List.copyOf(columns);
    }

    /**
     * Reads and hashes the whole model once, folded into its fingerprint (a count and an XOR of hashes) so
     * Spark can prune no column.
     *
     * @return the model rows read, for the report to check
     */
    long scan() {
        return ModelFingerprint.compute(keyedModel()).rows();
    }

    /**
     * Joins the model's key and row hash with the snapshot's on the key (full outer, shuffled).
     *
     * @return the keys that are inserted, updated or deleted, for the report to check
     */
    long keyJoin() {
        Column key = col(BenchData.KEY);
        Dataset<Row> modelKeys = keyedModel().rows().select(key, col(Columns.HASH));
        Dataset<Row> snapshotKeys = spark.read().format("delta").load(snapshot.toString())
                .select(key, col(Columns.HASH).as(PREVIOUS_HASH));
        Column hash = col(Columns.HASH);
        Column previous = col(PREVIOUS_HASH);
        return modelKeys.join(snapshotKeys, scala.collection.JavaConverters.asScalaBuffer(List.of(BenchData.KEY))
                        .toSeq(), "full_outer")
                .where(hash.isNull().or(previous.isNull()).or(hash.notEqual(previous)))
                .count();
    }

    private KeyedModel keyedModel() {
        return KeyedModel.of("bench", spark.read().parquet(model.toString()), List.of(BenchData.KEY),
                Optional.of(columns));
    }
}

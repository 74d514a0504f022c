package io.backflow.bench;

import io.backflow.diff.Columns;
import io.backflow.diff.KeyedModel;
import io.backflow.diff.ModelFingerprint;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.collection.JavaConverters;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Lower bounds for a Spark diff of Backflow's shape (Backflow's row hash, the snapshot as Backflow stores it,
 * Spark's shuffle join), timed on the same data and cores as the DuckDB baseline, so the report shows how
 * close to that baseline such a diff can get at all:
 * <ul>
 *   <li>{@link #scan}: read every model row and compute the row hash, with no shuffle and no join;</li>
 *   <li>{@link #keyJoin}: that, plus the model's and the snapshot's key and hash shuffled and
 *   full-outer-joined, and the changes counted per operation. Finding deletes needs every snapshot key next
 *   to the model's keys, and finding duplicates every model key next to its equals, so a diff that reads
 *   the model once and holds neither side whole in memory (the snapshot's keys and hashes alone are 1.6 GB
 *   at 100M rows) pays at least this shuffle. Backflow's diff also carries the values of every row through
 *   it, checks the keys and writes the plan.</li>
 * </ul>
 */
final class SparkDiffFloors {

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
     * @return the inserts, updates and deletes found, for the report to check
     */
    BenchData.ChangeCounts keyJoin() {
        Column key = col(BenchData.KEY);
        Dataset<Row> modelKeys = keyedModel().rows().select(key, col(Columns.HASH));
        Dataset<Row> snapshotKeys = spark.read().format("delta").load(snapshot.toString())
                .select(key, col(Columns.HASH).as(Columns.PREVIOUS_HASH));
        Column hash = col(Columns.HASH);
        Column previous = col(Columns.PREVIOUS_HASH);
        Row counts = modelKeys.join(snapshotKeys, JavaConverters.asScalaBuffer(List.of(BenchData.KEY)).toSeq(),
                        "full_outer")
                .agg(sum(when(previous.isNull(), lit(1L)).otherwise(lit(0L))),
                        sum(when(hash.notEqual(previous), lit(1L)).otherwise(lit(0L))),
                        sum(when(hash.isNull(), lit(1L)).otherwise(lit(0L))))
                .first();
        return new BenchData.ChangeCounts(counted(counts, 0), counted(counts, 1), counted(counts, 2));
    }

    /** A sum over no rows is null. */
    private static long counted(Row counts, int index) {
        return counts.isNullAt(index) ? 0 : counts.getLong(index);
    }

    private KeyedModel keyedModel() {
        return KeyedModel.of("bench", spark.read().parquet(model.toString()), List.of(BenchData.KEY),
                Optional.of(columns));
    }
}

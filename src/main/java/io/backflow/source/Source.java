package io.backflow.source;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Produces a sync's model as a lazy {@link Dataset}. Implementations only describe the read; Spark
 * runs it once, inside the diff.
 */
public interface Source {

    /** The model's rows; the sync selects its key and synced columns from them. */
    Dataset<Row> load(SparkSession spark);

    /** A short description for logs, e.g. "parquet at /data/x"; never contains secrets. */
    String describe();
}

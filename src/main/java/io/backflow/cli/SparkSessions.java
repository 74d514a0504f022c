package io.backflow.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The job's Spark session. Under {@code spark-submit} the master and resources come from the submit
 * command; without one (local mode, tests) it runs {@code local[*]} with settings fit for a laptop.
 */
public final class SparkSessions {

    private SparkSessions() {
    }

    public static SparkSession getOrCreate(String appName) {
        SparkSession.Builder builder = SparkSession.builder().appName(appName)
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
        if (!new SparkConf().contains("spark.master")) {
            int cores = Runtime.getRuntime().availableProcessors();
            builder.master("local[" + cores + "]")
                    .config("spark.ui.enabled", "false")
                    // The default of 200 shuffle partitions is made for clusters; a few per core keeps
                    // local tasks large enough to be efficient.
                    .config("spark.sql.shuffle.partitions", String.valueOf(Math.max(4, cores * 4)))
                    // Delta's default of 50 partitions for reading its own log costs seconds per
                    // table access on a laptop.
                    .config("spark.databricks.delta.snapshotPartitions", String.valueOf(Math.max(2, cores * 2)));
        }
        return builder.getOrCreate();
    }

    /** True when no cluster master was given (local.sh, tests): Backflow runs Spark in this JVM. */
    public static boolean isLocal() {
        return new SparkConf().get("spark.master", "local").startsWith("local");
    }
}

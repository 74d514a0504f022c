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
        SparkConf submitted = new SparkConf();
        if (!submitted.contains("spark.master")) {
            int cores = Runtime.getRuntime().availableProcessors();
            builder.master("local[" + cores + "]")
                    .config("spark.ui.enabled", "false")
                    // The default of 200 shuffle partitions is made for clusters; a few per core keeps
                    // local tasks large enough to be efficient.
                    .config("spark.sql.shuffle.partitions", String.valueOf(Math.max(4, cores * 4)));
        }
        return builder.getOrCreate();
    }
}

package io.backflow.testing;

import org.apache.spark.sql.SparkSession;

/** The Spark session a test class shares: local[2], UI off, few shuffle partitions, Delta enabled. */
public final class TestSpark {

    private TestSpark() {
    }

    public static SparkSession start() {
        return start(2);
    }

    /**
     * A session with {@code cores} task slots: tests of API writers run as many writers as a real cluster
     * would at once; writers mostly wait on the rate limit, so more slots than cores is fine.
     */
    public static SparkSession start(int cores) {
        return SparkSession.builder()
                .master("local[" + cores + "]")
                .appName("backflow-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.default.parallelism", "2")
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.databricks.delta.snapshotPartitions", "2")
                .getOrCreate();
    }
}

package io.backflow.testing;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Base of a test class that shares one Spark session ({@link TestSpark}) and one temporary directory. */
public abstract class SparkTest {

    @TempDir
    protected static Path directory;
    protected static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = TestSpark.start();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }
}

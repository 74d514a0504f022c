package io.backflow.load.files;

import io.backflow.BackflowException;
import io.backflow.BackflowException.Category;
import io.backflow.config.FilesConfig;
import io.backflow.load.Change;
import io.backflow.load.ChangeLayout;
import io.backflow.load.Destination;
import io.backflow.load.PartitionWriter;
import io.backflow.load.RecordOutcome;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.util.List;

/**
 * Change files: each run's delivered changes written by Spark, in one job, as a folder of Parquet or
 * JSON-lines files under the configured path, then published by a manifest ({@link ChangeFiles}). There is
 * no per-record delivery to a remote system, so the partition writers accept every change and the writing
 * happens in {@link #publish}, after the load and before the snapshot commit.
 *
 * <p>Serializable and immutable.
 */
public final class FilesDestination implements Destination {

    private static final long serialVersionUID = 1L;
    private final FilesConfig config;

    public FilesDestination(FilesConfig config) {
        this.config = config;
    }

    /** The path, or its nearest existing ancestor, must be a directory of a reachable file system. */
    @Override
    public void check(ChangeLayout layout) {
        Path path = new Path(config.path());
        try {
            FileSystem fs = path.getFileSystem(hadoopConfiguration());
            Path existing = path;
            while (existing != null && !fs.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null || !fs.getFileStatus(existing).isDirectory()) {
                throw new BackflowException(Category.INVALID_CONFIG, "Cannot write change files under "
                        + config.path() + ": " + existing + " is not a directory");
            }
        } catch (IOException e) {
            throw new BackflowException(Category.TRANSIENT_DESTINATION, "Cannot reach " + describe() + ": " + e, e);
        }
    }

    @Override
    public void prepare(ChangeLayout layout) {
        check(layout);
    }

    @Override
    public PartitionWriter openWriter(ChangeLayout layout) {
        return new PartitionWriter() {
            @Override
            public List<RecordOutcome> send(List<Change> batch) {
                return List.of();
            }

            @Override
            public void close() {
            }
        };
    }

    /** Writes the run's folder and publishes its manifest; readers see all of it or nothing. */
    @Override
    public void publish(Dataset<Row> delivered, ChangeLayout layout, String runId) {
        new ChangeFiles(delivered.sparkSession(), config).write(delivered, layout, runId);
    }

    @Override
    public int batchSize() {
        // The writers do no I/O; big batches keep their bookkeeping small.
        return config.batchSize();
    }

    @Override
    public String describe() {
        return "change files (" + config.format().name().toLowerCase(java.util.Locale.ROOT) + ") under "
                + config.path();
    }

    private static Configuration hadoopConfiguration() {
        return SparkSession.active().sparkContext().hadoopConfiguration();
    }
}

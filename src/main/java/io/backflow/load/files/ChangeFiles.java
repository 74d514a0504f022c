package io.backflow.load.files;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backflow.config.FilesConfig;
import io.backflow.diff.Columns;
import io.backflow.diff.Operation;
import io.backflow.load.ChangeLayout;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

/**
 * Writes one run's change records and publishes them. The layout, which is also the reader contract:
 * <pre>
 * &lt;path&gt;/&lt;run id&gt;/data/part-…            change records (Parquet or JSON lines)
 * &lt;path&gt;/&lt;run id&gt;/_manifest.json           written last: run_id, format, records, published_at, files
 * </pre>
 * A record is {@code operation} (INSERT, UPDATE, DELETE), {@code run_id}, {@code changed_at} (the run's
 * publish time), {@code key} (a struct of the key columns), {@code values} (a struct of the synced
 * columns; null for a DELETE) and {@code changed_columns} (an UPDATE's synced columns whose value changed,
 * an array of names in model order; null when the plan does not name them: an INSERT, a DELETE, an update
 * of a key whose delivered state is uncertain, or a plan without the list). {@code values} holds every
 * synced column whatever {@code update_fields} says: a consumer may apply whole rows, or set only the
 * {@code changed_columns}. Readers take only folders that have a {@code _manifest.json}, read exactly
 * the files it lists, and apply runs in run id order (run ids start with their UTC start time, and runs of
 * a sync never overlap).
 *
 * <p>The data is written under {@code <path>/_inprogress/<run id>/} and the folder moved to
 * {@code <path>/<run id>} once complete, so a run that dies while writing leaves no run folder at all, only
 * a hidden {@code _inprogress} entry (safe to delete); its changes are sent again by the next run. Object
 * stores have no atomic rename (there the move is a copy), so visibility rests on the manifest, never on
 * the folder or on Spark's {@code _SUCCESS}: the manifest is written last, under a temporary name and
 * renamed, which is atomic on HDFS and local disks and, on S3-like stores, a copy that creates the object in
 * one piece.
 */
final class ChangeFiles {

    static final String MANIFEST = "_manifest.json";
    static final String DATA = "data";
    static final String IN_PROGRESS = "_inprogress";

    private final SparkSession spark;
    private final FilesConfig config;

    ChangeFiles(SparkSession spark, FilesConfig config) {
        this.spark = spark;
        this.config = config;
    }

    void write(Dataset<Row> delivered, ChangeLayout layout, String runId) {
        Instant publishedAt = Instant.now();
        Column[] key = layout.key().stream().map(name -> col(Columns.quoted(name)).as(name)).toArray(Column[]::new);
        Column[] values = layout.columns().stream().map(name -> col(Columns.quoted(name)).as(name))
                .toArray(Column[]::new);
        Column operation = col(Columns.OPERATION);
        // Typed even when unknown, so every run's files have the same schema.
        Column changed = Arrays.asList(delivered.columns()).contains(Columns.CHANGED)
                ? when(operation.equalTo(lit(Operation.UPDATE.name())), col(Columns.CHANGED))
                : lit(null).cast(DataTypes.createArrayType(DataTypes.StringType));
        Dataset<Row> records = delivered.select(
                operation.as("operation"),
                lit(runId).as("run_id"),
                lit(java.sql.Timestamp.from(publishedAt)).as("changed_at"),
                struct(key).as("key"),
                // A model of keys only has no values: a typed null, since Parquet cannot store a column of no type.
                values.length == 0 ? lit(null).cast(DataTypes.StringType).as("values")
                        : when(operation.notEqual(lit(Operation.DELETE.name())), struct(values)).as("values"),
                changed.as("changed_columns"));
        Path staging = new Path(new Path(config.path(), IN_PROGRESS), runId);
        Path folder = new Path(config.path(), runId);
        String format = config.format().name().toLowerCase(Locale.ROOT);
        records.write().mode(SaveMode.Overwrite).format(format).save(new Path(staging, DATA).toString());
        moveIntoPlace(staging, folder, runId);
        publishManifest(folder, runId, format, publishedAt);
    }

    private void moveIntoPlace(Path staging, Path folder, String runId) {
        try {
            FileSystem fs = folder.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(folder) || !fs.rename(staging, folder)) {
                throw new IOException("could not move " + staging + " to " + folder);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot publish the change files of run " + runId + "; they stay "
                    + "invisible to readers and the next run sends the changes again", e);
        }
    }

    private void publishManifest(Path folder, String runId, String format, Instant publishedAt) {
        try {
            FileSystem fs = folder.getFileSystem(spark.sparkContext().hadoopConfiguration());
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode manifest = mapper.createObjectNode();
            manifest.put("run_id", runId);
            manifest.put("format", format);
            manifest.put("published_at", publishedAt.toString());
            FileStatus[] parts = fs.listStatus(new Path(folder, DATA), path -> path.getName().startsWith("part-"));
            Arrays.sort(parts);
            long records = spark.read().format(format).load(new Path(folder, DATA).toString()).count();
            manifest.put("records", records);
            Arrays.stream(parts).forEach(part -> manifest.withArray("files").add(DATA + "/" + part.getPath().getName()));
            Path temporary = new Path(folder, "_manifest.json.tmp");
            try (FSDataOutputStream out = fs.create(temporary, false)) {
                out.write(mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            }
            if (!fs.rename(temporary, new Path(folder, MANIFEST))) {
                throw new IOException("could not rename " + temporary + " to " + MANIFEST);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot publish the change files of run " + runId + " in " + folder
                    + "; they stay invisible to readers and the next run sends the changes again", e);
        }
    }
}

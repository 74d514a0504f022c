package io.backflow.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backflow.state.StateLayout;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records a finished run: one row appended to the sync's {@code runs} Delta table and a JSON report at
 * {@code reports/<run id>.json}. Only Hadoop FileSystem and Delta touch the state path, so it works on
 * object stores too.
 */
public final class RunRecorder {

    static final StructType RUNS_SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType, false)
            .add("sync_name", DataTypes.StringType, false)
            .add("command", DataTypes.StringType, false)
            .add("mode", DataTypes.StringType, false)
            .add("started_at", DataTypes.TimestampType, false)
            .add("finished_at", DataTypes.TimestampType, false)
            .add("duration_ms", DataTypes.LongType, false)
            .add("status", DataTypes.StringType, false)
            .add("exit_code", DataTypes.IntegerType, false)
            .add("message", DataTypes.StringType, true)
            .add("diff_counts", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), false)
            .add("sent_counts", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), false)
            .add("delivered", DataTypes.LongType, false)
            .add("failed", DataTypes.LongType, false)
            .add("skipped", DataTypes.LongType, false)
            .add("failures_by_class", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), false)
            .add("requests", DataTypes.LongType, false)
            .add("retries", DataTypes.LongType, false)
            .add("splits", DataTypes.LongType, false)
            .add("writers", DataTypes.IntegerType, false)
            .add("achieved_requests_per_second", DataTypes.DoubleType, false)
            .add("snapshot_version_before", DataTypes.LongType, true)
            .add("snapshot_version_after", DataTypes.LongType, true)
            .add("force_reason", DataTypes.StringType, true)
            .add("phase_ms", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), false)
            .add("updates_by_column", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), true)
            .add("sent", DataTypes.LongType, true);

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final SparkSession spark;
    private final StateLayout layout;

    public RunRecorder(SparkSession spark, StateLayout layout) {
        this.spark = spark;
        this.layout = layout;
    }

    /** Appends the run to the runs table and writes its JSON report; returns the report's path. */
    public String record(RunSummary summary) {
        spark.createDataFrame(List.of(toRow(summary)), RUNS_SCHEMA)
                // mergeSchema: a runs table written by an earlier version takes the newer columns.
                .write().format("delta").mode("append").option("mergeSchema", "true").save(layout.runs());
        return writeReport(summary);
    }

    private static Row toRow(RunSummary summary) {
        return RowFactory.create(
                summary.runId(), summary.syncName(), summary.command(), summary.mode(),
                Timestamp.from(summary.startedAt()), Timestamp.from(summary.finishedAt()),
                summary.duration().toMillis(), summary.status().name().toLowerCase(java.util.Locale.ROOT),
                summary.exitCode(), summary.message(),
                scalaMap(summary.diffCounts()), scalaMap(summary.sentCounts()),
                summary.delivered(), summary.failed(), summary.skipped(),
                scalaMap(failuresByClass(summary)),
                summary.requests(), summary.retries(), summary.splits(), summary.writers(),
                summary.achievedRequestsPerSecond(),
                summary.snapshotVersionBefore().orElse(null), summary.snapshotVersionAfter().orElse(null),
                summary.forceReason().orElse(null), scalaMap(summary.phaseMillis()),
                scalaMap(summary.updatesByColumn()), summary.sent());
    }

    private static Map<String, Long> failuresByClass(RunSummary summary) {
        Map<String, Long> byClass = new LinkedHashMap<>();
        summary.failureGroups().forEach(group ->
                byClass.merge(group.status() + ":" + group.errorClass(), group.count(), Long::sum));
        return byClass;
    }

    private static scala.collection.Map<String, Long> scalaMap(Map<String, Long> map) {
        return scala.collection.JavaConverters.mapAsScalaMap(map);
    }

    /** The report as JSON text (also what {@code --json} style tooling reads). */
    static String toJson(RunSummary summary) {
        ObjectNode report = JSON.createObjectNode();
        report.put("run_id", summary.runId());
        report.put("sync_name", summary.syncName());
        report.put("command", summary.command());
        report.put("mode", summary.mode());
        report.put("started_at", summary.startedAt().toString());
        report.put("finished_at", summary.finishedAt().toString());
        report.put("duration_ms", summary.duration().toMillis());
        report.put("status", summary.status().name().toLowerCase(java.util.Locale.ROOT));
        report.put("exit_code", summary.exitCode());
        report.put("message", summary.message());
        report.set("diff_counts", JSON.valueToTree(summary.diffCounts()));
        report.set("sent_counts", JSON.valueToTree(summary.sentCounts()));
        report.put("to_send", summary.toSend());
        report.put("sent", summary.sent());
        report.put("delivered", summary.delivered());
        report.put("failed", summary.failed());
        report.put("skipped", summary.skipped());
        ArrayNode groups = report.putArray("failures");
        summary.failureGroups().forEach(group -> groups.addObject()
                .put("status", group.status()).put("error_class", group.errorClass())
                .put("count", group.count()).put("sample_message", group.sampleMessage()));
        report.put("requests", summary.requests());
        report.put("retries", summary.retries());
        report.put("splits", summary.splits());
        report.put("writers", summary.writers());
        report.put("achieved_requests_per_second", summary.achievedRequestsPerSecond());
        summary.snapshotVersionBefore().ifPresent(version -> report.put("snapshot_version_before", version));
        summary.snapshotVersionAfter().ifPresent(version -> report.put("snapshot_version_after", version));
        summary.forceReason().ifPresent(reason -> report.put("force_reason", reason));
        report.set("phase_ms", JSON.valueToTree(summary.phaseMillis()));
        report.set("updates_by_column", JSON.valueToTree(summary.updatesByColumn()));
        try {
            return JSON.writeValueAsString(report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String writeReport(RunSummary summary) {
        Path path = new Path(layout.reports(), summary.runId() + ".json");
        try {
            FileSystem fileSystem = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try (FSDataOutputStream out = fileSystem.create(path, true)) {
                out.write(toJson(summary).getBytes(StandardCharsets.UTF_8));
            }
            return fileSystem.makeQualified(path).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the run report " + path, e);
        }
    }
}

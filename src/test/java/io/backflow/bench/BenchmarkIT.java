package io.backflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backflow.testing.SparkTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark end to end on a small model: generated data, DuckDB, an embedded PostgreSQL, real Backflow
 * runs. It must find the generated changes with both engines (and Backflow's diff with and without
 * changed-column detection), leave the destination equal to the model after both loads, and report every
 * phase. The benchmark takes the Spark session that exists: the tests' small
 * one, which {@link SparkTest} starts.
 */
class BenchmarkIT extends SparkTest {

    @Test
    void measuresEveryPhaseAgainstItsBaselineAndChecksTheResults(@TempDir Path work) throws Exception {
        // What a benchmark killed mid-pass leaves behind must not stop the next one.
        Path leftover = work.resolve("state-0/bench/snapshot/_delta_log/00000000000000000000.json");
        Files.createDirectories(leftover.getParent());
        Files.writeString(leftover, "left by a killed benchmark");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        BenchOptions options = BenchOptions.parse(new String[] {"--rows", "20_000", "--change-fraction", "0.04",
                "--key-type", "string", "--columns", "5", "--runs", "1", "--warmups", "0", "--work-dir",
                work.toString()});

        int exitCode = new Benchmark(new PrintStream(printed, true, StandardCharsets.UTF_8)).run(options);

        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(exitCode).as(output).isZero();
        JsonNode report = new ObjectMapper().readTree(work.resolve("bench-20000.json").toFile());
        assertThat(report.get("problems")).isEmpty();
        // 4% of 20,000 rows: a quarter inserts (exactly), half updates and a quarter deletes (by hash, about).
        assertThat(report.at("/changes/inserts").asLong()).isEqualTo(200);
        assertThat(report.at("/changes/updates").asLong()).isBetween(300L, 500L);
        assertThat(report.at("/changes/deletes").asLong()).isBetween(130L, 270L);
        assertThat(report.get("model_rows").asLong()).isEqualTo(20_000 + 200 - report.at("/changes/deletes").asLong());
        for (String measured : new String[] {"/diff/backflow_seconds", "/diff/duckdb_seconds",
                "/diff_floor_scan/spark_seconds", "/diff_floor_key_join/spark_seconds",
                "/diff_changed_columns/changed_columns_seconds", "/diff_changed_columns/rows_only_seconds",
                "/diff_changed_columns/changed_columns_shuffle_bytes/0",
                "/diff_changed_columns/rows_only_shuffle_bytes/0", "/load/backflow_seconds",
                "/load/copy_seconds", "/commit/backflow_seconds", "/commit/one_merge_seconds",
                "/end_to_end/seconds"}) {
            assertThat(report.at(measured).asDouble()).as(measured).isPositive();
        }
        assertThat(report.get("peak_heap_bytes").asLong()).isPositive();
        assertThat(output).contains("Spark: model read + row hash", "key/hash shuffle join",
                "changed columns named", "changed-column detection");
        assertThat(output).contains("phase", "diff", "load", "commit", "end to end", "ratio");
    }
}

package io.backflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BenchReportTest {

    private final BenchOptions options = BenchOptions.parse(new String[] {"--rows", "1000", "--work-dir", "/tmp/x"});

    @Test
    void aDiffThatFindsOtherCountsThanTheDataHoldsIsAProblem() {
        BenchReport report = new BenchReport(options, 2, 1L << 30);
        report.expected(new BenchData.ChangeCounts(5, 10, 5), 1000);

        report.duckDbDiff(true, 100, new BenchData.ChangeCounts(5, 10, 5));
        assertThat(report.problems()).isEmpty();

        report.duckDbDiff(true, 100, new BenchData.ChangeCounts(5, 9, 5));
        assertThat(report.problems()).singleElement().asString().contains("DuckDB's diff", "updates=9", "updates=10");
    }

    @Test
    void aFloorThatMissesModelRowsOrChangedKeysIsAProblem() {
        BenchReport report = new BenchReport(options, 2, 1L << 30);
        report.expected(new BenchData.ChangeCounts(5, 10, 5), 1000);

        report.scanFloor(true, 100, 1000);
        report.keyJoinFloor(true, 100, new BenchData.ChangeCounts(5, 10, 5));
        assertThat(report.problems()).isEmpty();

        report.scanFloor(true, 100, 999);
        // The right total, with an update taken for an insert.
        report.keyJoinFloor(true, 100, new BenchData.ChangeCounts(4, 11, 5));
        assertThat(report.problems()).satisfiesExactly(
                problem -> assertThat(problem).contains("scan of the model read 999 rows", "the model has 1000"),
                problem -> assertThat(problem).contains("key-join floor", "inserts=4", "inserts=5"));
    }

    @Test
    void aDiffWithOrWithoutChangedColumnDetectionThatIsWrongIsAProblem() {
        BenchReport report = new BenchReport(options, 2, 1L << 30);
        report.expected(new BenchData.ChangeCounts(5, 10, 5), 1000);
        BenchData.ChangeCounts right = new BenchData.ChangeCounts(5, 10, 5);

        report.rowsOnlyDiff(true, new FieldDetectionDiffs.Result(100, right, 0, false, 1000));
        report.changedColumnsDiff(true, new FieldDetectionDiffs.Result(105, right, 0, true, 1100));
        assertThat(report.problems()).isEmpty();

        // Without detection: an update missed; and a plan that names columns measured the wrong thing.
        report.rowsOnlyDiff(true, new FieldDetectionDiffs.Result(100, new BenchData.ChangeCounts(5, 9, 5), 0, false, 1000));
        report.rowsOnlyDiff(true, new FieldDetectionDiffs.Result(100, right, 0, true, 1000));
        // With detection: right counts, but 3 updates name no column or too few; then no list at all.
        report.changedColumnsDiff(true, new FieldDetectionDiffs.Result(105, right, 3, true, 1100));
        report.changedColumnsDiff(true, new FieldDetectionDiffs.Result(105, right, 0, false, 1100));
        assertThat(report.problems()).satisfiesExactly(
                problem -> assertThat(problem).contains("without changed-column detection", "updates=9", "updates=10"),
                problem -> assertThat(problem).contains("without changed-column detection wrote the changed-column list"),
                problem -> assertThat(problem).contains("with changed-column detection", "for 3 of 10 updates"),
                problem -> assertThat(problem).contains("with changed-column detection wrote no changed-column list"));
    }

    @Test
    void changedColumnDetectionIsReportedAsTheRatioOfMediansAgainstTheBudget(@TempDir Path directory)
            throws Exception {
        BenchReport report = new BenchReport(options, 2, 1L << 30);
        BenchData.ChangeCounts right = new BenchData.ChangeCounts(5, 10, 5);
        report.expected(right, 1000);
        for (long[] millis : new long[][] {{1000, 1150}, {900, 1000}, {1100, 1300}}) {
            report.rowsOnlyDiff(true, new FieldDetectionDiffs.Result(millis[0], right, 0, false, 100));
            report.changedColumnsDiff(true, new FieldDetectionDiffs.Result(millis[1], right, 0, true, 150));
        }
        Path json = directory.resolve("bench.json");

        report.writeJson(json);

        JsonNode detection = new ObjectMapper().readTree(json.toFile()).get("diff_changed_columns");
        assertThat(detection.get("rows_only_seconds").asDouble()).isEqualTo(1.0);
        assertThat(detection.get("changed_columns_seconds").asDouble()).isEqualTo(1.15);
        assertThat(detection.get("ratio").asDouble()).isCloseTo(1.15, within(1e-9));
        assertThat(detection.get("within_budget").asBoolean()).isFalse();
        assertThat(detection.get("rows_only_millis")).hasSize(3);
        assertThat(detection.get("changed_columns_shuffle_bytes").get(0).asLong()).isEqualTo(150);
    }

    @Test
    void aDestinationThatDiffersFromTheModelAfterALoadIsAProblem() {
        BenchReport report = new BenchReport(options, 2, 1L << 30);
        report.expected(new BenchData.ChangeCounts(5, 10, 5), 1000);

        report.copyLoad(true, 100, 3);

        assertThat(report.problems()).singleElement().asString().contains("COPY baseline", "3 rows");
    }

    @Test
    void optionsHaveTheDocumentedDefaultsAndRejectNonsense() {
        assertThat(options.changeFraction()).isEqualTo(0.02);
        assertThat(options.keyType()).isEqualTo(BenchOptions.KeyType.LONG);
        assertThat(options.columns()).isEqualTo(6);
        assertThat(options.runs()).isEqualTo(3);
        assertThat(options.warmups()).isEqualTo(1);
        assertThat(options.json()).isEqualTo(Path.of("/tmp/x/bench-1000.json"));
        for (String[] wrong : new String[][] {{}, {"--rows", "ten"}, {"--rows", "1000", "--key-type", "uuid"},
                {"--rows", "1000", "--change-fraction", "0.9"}, {"--rows", "1000", "--columns"},
                {"--rows", "1000", "--colour", "red"}, {"--rows", "1000", "--runs", "2.5"},
                {"--rows", "1000", "--runs", "99999999999"}}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> BenchOptions.parse(wrong))
                    .hasMessageContaining("Usage: bench");
        }
    }
}

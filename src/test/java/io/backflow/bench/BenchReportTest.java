package io.backflow.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

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

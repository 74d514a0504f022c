package io.backflow.bench;

import io.backflow.config.ConfigLoader;
import io.backflow.config.SyncConfig;
import io.backflow.diff.Columns;
import io.backflow.load.Destinations;
import io.backflow.load.Sleeper;
import io.backflow.local.LocalFiles;
import io.backflow.run.RunOptions;
import io.backflow.run.RunSummary;
import io.backflow.run.SyncRun;
import io.backflow.state.PlanStore;
import io.backflow.state.StateLayout;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Backflow pass: a real {@code run} of the benchmark's sync (diff, load into PostgreSQL, commit) on a
 * fresh clone of the previous snapshot, timed by the run's own phase timer. Then, untimed unless noted,
 * the alternative commit the report compares with: the same delivered changes applied to another clone
 * in one MERGE ({@link OneMergeCommit}).
 */
final class BackflowPass {

    private final SparkSession spark;
    private final SnapshotTemplate template;
    private final Path work;
    private final String configYaml;
    private final List<String> columns;

    /** What one pass measured. */
    record Result(RunSummary summary, long oneMergeCommitMillis, long peakHeapBytes) {

        long phase(String name) {
            return summary.phaseMillis().getOrDefault(name, 0L);
        }
    }

    BackflowPass(SparkSession spark, SnapshotTemplate template, Path work, String configYaml, List<String> columns) {
        this.spark = spark;
        this.template = template;
        this.work = work;
        this.configYaml = configYaml;
        this.columns = columns;
    }

    /** Runs pass number {@code pass}; the destination must hold the previous state. */
    Result run(int pass) throws InterruptedException {
        Path state = work.resolve("state-" + pass);
        Path oneMerge = work.resolve("state-" + pass + "-one-merge");
        // A benchmark killed earlier may have left them behind; each pass starts from the template alone.
        LocalFiles.deleteRecursively(state);
        LocalFiles.deleteRecursively(oneMerge);
        try {
            SyncConfig config = config(state);
            Path syncState = template.cloneTo(Path.of(config.syncStatePath()));
            template.cloneTo(oneMerge);
            System.gc();
            RunSummary summary;
            long peakHeap;
            try (HeapSampler heap = new HeapSampler()) {
                summary = new SyncRun(spark, config, Destinations.create(config.destination()), Sleeper.SYSTEM)
                        .run(RunOptions.defaults());
                peakHeap = heap.peakBytes();
            }
            if (summary.exitCode() != 0) {
                throw new IllegalStateException("Backflow's run failed (exit " + summary.exitCode() + "): "
                        + summary.message());
            }
            return new Result(summary, oneMergeCommit(syncState, oneMerge, summary.runId()), peakHeap);
        } finally {
            LocalFiles.deleteRecursively(state);
            LocalFiles.deleteRecursively(oneMerge);
        }
    }

    /** Times the run's delivered changes applied to a clone in one MERGE. */
    private long oneMergeCommit(Path state, Path clone, String runId) {
        var delivered = new PlanStore(spark, new StateLayout(state.toString())).read(runId);
        List<String> stored = new ArrayList<>();
        stored.add(BenchData.KEY);
        stored.addAll(columns);
        stored.add(Columns.HASH);
        long start = System.nanoTime();
        OneMergeCommit.apply(spark, new StateLayout(clone.toString()).snapshot(), delivered, BenchData.KEY, stored);
        return (System.nanoTime() - start) / 1_000_000;
    }

    private SyncConfig config(Path state) {
        try {
            Files.createDirectories(state);
            Path file = Files.writeString(state.resolve("bench-sync.yaml"),
                    configYaml.replace("${state_path}", state.toString()));
            return new ConfigLoader(Map.of()).load(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the benchmark's sync config in " + state, e);
        }
    }
}

package io.backflow.bench;

import io.backflow.config.ConfigLoader;
import io.backflow.config.SyncConfig;
import io.backflow.load.Destinations;
import io.backflow.load.Sleeper;
import io.backflow.local.LocalFiles;
import io.backflow.run.RunOptions;
import io.backflow.run.RunSummary;
import io.backflow.run.SyncRun;
import io.backflow.state.PlanStore;
import io.backflow.state.SnapshotStore;
import io.backflow.state.StateLayout;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One Backflow pass: a real {@code run} of the benchmark's sync (diff, load into PostgreSQL, commit) on a
 * fresh clone of the previous snapshot, timed by the run's own phase timer. Then, untimed unless noted,
 * the alternative commit the report compares with: the same delivered changes merged into another clone
 * with deletion vectors off, so MERGE rewrites every file a change touches (copy-on-write).
 */
final class BackflowPass {

    private final SparkSession spark;
    private final SnapshotTemplate template;
    private final Path work;
    private final String configYaml;
    private final List<String> columns;

    /** What one pass measured. */
    record Result(RunSummary summary, long copyOnWriteCommitMillis, long peakHeapBytes) {

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
        Path copyOnWrite = work.resolve("state-" + pass + "-copy-on-write");
        // A benchmark killed earlier may have left them behind; each pass starts from the template alone.
        LocalFiles.deleteRecursively(state);
        LocalFiles.deleteRecursively(copyOnWrite);
        try {
            SyncConfig config = config(state);
            Path syncState = template.cloneTo(Path.of(config.syncStatePath()));
            template.cloneTo(copyOnWrite);
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
            return new Result(summary, copyOnWriteCommit(syncState, copyOnWrite, summary.runId()), peakHeap);
        } finally {
            LocalFiles.deleteRecursively(state);
            LocalFiles.deleteRecursively(copyOnWrite);
        }
    }

    /** Times the run's delivered changes merged into a clone whose deletion vectors are off. */
    private long copyOnWriteCommit(Path state, Path clone, String runId) {
        StateLayout layout = new StateLayout(clone.toString());
        spark.sql("ALTER TABLE delta.`" + layout.snapshot() + "` SET TBLPROPERTIES "
                + "('delta.enableDeletionVectors' = 'false')");
        var delivered = new PlanStore(spark, new StateLayout(state.toString())).read(runId);
        long start = System.nanoTime();
        new SnapshotStore(spark, layout).commit(delivered, List.of(BenchData.KEY), columns, runId);
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

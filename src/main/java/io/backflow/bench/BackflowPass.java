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
import java.util.function.Function;

/**
 * One Backflow pass: a real {@code run} of the benchmark's sync (diff, load into PostgreSQL, commit) on a
 * fresh clone of the previous snapshot, timed by the run's own phase timer. The sync's other state (its lock,
 * run history and failures tables) is carried from pass to pass, as it is from night to night: only the
 * first pass creates them, which a warm-up pass keeps out of the timings. Then, untimed unless noted,
 * the alternative commit the report compares with: the same delivered changes applied to another clone
 * in one MERGE ({@link OneMergeCommit}).
 */
final class BackflowPass {

    private final SparkSession spark;
    private final SnapshotTemplate template;
    private final Path work;
    private final String configYaml;
    private final List<String> columns;
    private final Path carried;

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
        this.carried = work.resolve("carried-state");
        // A benchmark killed earlier may have left a held lock behind; this benchmark starts its own state.
        LocalFiles.deleteRecursively(carried);
    }

    /** Runs pass number {@code pass}; the destination must hold the previous state. */
    Result run(int pass) throws InterruptedException {
        Path state = work.resolve("state-" + pass);
        Path oneMerge = work.resolve("state-" + pass + "-one-merge");
        // A benchmark killed earlier may have left them behind; each pass starts from the template and the
        // carried state alone.
        LocalFiles.deleteRecursively(state);
        LocalFiles.deleteRecursively(oneMerge);
        try {
            SyncConfig config = config(state);
            Path syncState = template.cloneTo(Path.of(config.syncStatePath()));
            moveCarriedState(carried, syncState);
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
            long oneMergeMillis = oneMergeCommit(syncState, oneMerge, summary.runId());
            moveCarriedState(syncState, carried);
            return new Result(summary, oneMergeMillis, peakHeap);
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
        // The snapshot's field hashes are NOT NULL: a MERGE that left them out would insert nulls into them.
        columns.forEach(name -> stored.add(Columns.fieldHash(name)));
        stored.add(Columns.HASH);
        long start = System.nanoTime();
        OneMergeCommit.apply(spark, new StateLayout(clone.toString()).snapshot(), delivered, BenchData.KEY, stored);
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Moves the lock, run history and failures tables, those that exist, from one state directory to another. */
    private static void moveCarriedState(Path from, Path to) {
        StateLayout source = new StateLayout(from.toString());
        StateLayout target = new StateLayout(to.toString());
        try {
            Files.createDirectories(to);
            for (Function<StateLayout, String> table : List.<Function<StateLayout, String>>of(StateLayout::lock,
                    StateLayout::runs, StateLayout::failures)) {
                if (Files.exists(Path.of(table.apply(source)))) {
                    LocalFiles.deleteRecursively(Path.of(table.apply(target)));
                    Files.move(Path.of(table.apply(source)), Path.of(table.apply(target)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot move the sync's state from " + from + " to " + to, e);
        }
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

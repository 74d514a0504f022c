package io.backflow.bench;

import io.backflow.diff.Columns;
import io.backflow.diff.KeyedModel;
import io.backflow.diff.Operation;
import io.backflow.local.LocalFiles;
import io.backflow.state.SnapshotStore;
import io.backflow.state.StateLayout;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.lit;

/**
 * Backflow's snapshot of the previous state, built once by a real commit (as a first run would leave it)
 * and cloned for every pass, so each pass starts from the same snapshot. A clone hard-links the data
 * files, which Delta never changes in place, and copies the log, which it may: cloning costs no data I/O.
 */
final class SnapshotTemplate {

    private final Path root;

    /** The template a {@link #create} call made at {@code root}. */
    SnapshotTemplate(Path root) {
        this.root = root;
    }

    /** Commits {@code previous} as the snapshot of a new state directory at {@code root}. */
    static void create(SparkSession spark, Path root, Dataset<Row> previous, List<String> columns) {
        LocalFiles.deleteRecursively(root);
        KeyedModel model = KeyedModel.of("bench", previous, List.of(BenchData.KEY), Optional.of(columns));
        Dataset<Row> inserts = model.withFieldHashes().withColumn(Columns.OPERATION, lit("INSERT"));
        String runId = "bench-previous-state";
        // The first commit only appends, so the row count (which picks how keys are removed) does not matter.
        new SnapshotStore(spark, new StateLayout(root.toString())).commit(inserts, Long.MAX_VALUE, model.key(),
                model.columns(), new SnapshotStore.Delivery(runId, runId, EnumSet.of(Operation.INSERT)));
    }

    /**
     * Makes {@code state} a new sync state directory whose snapshot is a clone of this one's and which has
     * nothing else yet; returns it.
     */
    Path cloneTo(Path state) {
        Path source = root.resolve("snapshot");
        Path target = state.resolve("snapshot");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else if (file.toString().contains("_delta_log")) {
                    Files.copy(file, copy);
                } else {
                    Files.createLink(copy, file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clone the snapshot " + source + " to " + target, e);
        }
        return state;
    }
}

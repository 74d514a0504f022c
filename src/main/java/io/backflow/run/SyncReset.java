package io.backflow.run;

import io.backflow.BackflowException;
import io.backflow.config.SyncConfig;
import io.backflow.state.SnapshotStore;
import io.backflow.state.StateLayout;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Discards a sync's whole state directory (snapshot, plans, runs, failures, reports), so the next run
 * starts as the first did and sends every model row again. The destination is never touched. Works
 * through the Hadoop FileSystem API, so the state may be on {@code s3://}, {@code abfss://} or
 * {@code dbfs:/}. Not safe against a run of the same sync in progress: there is no run lock yet.
 */
public final class SyncReset {

    /**
     * What the state directory may hold: Backflow's own entries (see {@link StateLayout}), a future run
     * lock, and hidden or metadata files ({@code .crc}, {@code _SUCCESS}, {@code _delta_log}).
     */
    private static final Set<String> OWN_ENTRIES = Set.of("snapshot", "plans", "runs", "failures", "reports", "lock");

    private final SparkSession spark;
    private final SyncConfig config;
    private final StateLayout layout;
    private final Path directory;

    public SyncReset(SparkSession spark, SyncConfig config) {
        this.spark = spark;
        this.config = config;
        this.layout = new StateLayout(config.syncStatePath());
        this.directory = new Path(config.syncStatePath());
    }

    /**
     * The state a reset would remove.
     *
     * @param path the state directory, as configured
     * @param snapshotVersion the snapshot's Delta version; empty if no run has committed one
     * @param snapshotRows rows in the snapshot
     * @param runs recorded runs
     */
    public record State(String path, Optional<Long> snapshotVersion, long snapshotRows, long runs) {
    }

    /** The sync's state, or empty if it has none (never run, or already reset). */
    public Optional<State> inspect() {
        try {
            if (!fileSystem().exists(directory)) {
                return Optional.empty();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot look for the state of '" + config.name() + "' at " + directory, e);
        }
        SnapshotStore snapshot = new SnapshotStore(spark, layout);
        boolean hasSnapshot = snapshot.exists();
        return Optional.of(new State(config.syncStatePath(), hasSnapshot ? snapshot.version() : Optional.empty(),
                hasSnapshot ? snapshot.rowCount() : 0L, new RunHistory(spark, layout).count()));
    }

    /**
     * Deletes the state directory recursively.
     *
     * @throws BackflowException {@code INVALID_CONFIG} if the directory holds entries Backflow did not
     *     create: a {@code state_path} pointing somewhere shared must not turn a reset into deleting
     *     someone else's files
     */
    public void delete() {
        try {
            FileSystem fileSystem = fileSystem();
            List<String> foreign = Arrays.stream(fileSystem.listStatus(directory)).map(FileStatus::getPath)
                    .map(Path::getName).filter(name -> !isOwn(name)).sorted().toList();
            if (!foreign.isEmpty()) {
                throw new BackflowException(BackflowException.Category.INVALID_CONFIG, "Cannot reset '" + config.name()
                        + "': " + config.syncStatePath() + " holds entries Backflow did not create: " + foreign
                        + ". Nothing was removed; check state_path and name in the config, or remove the "
                        + "directory yourself.");
            }
            if (!fileSystem.delete(directory, true) && fileSystem.exists(directory)) {
                throw new IOException("the file system refused to delete it");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove the state of '" + config.name() + "' at " + directory
                    + " (part of it may be gone; a reset can be repeated)", e);
        }
    }

    private static boolean isOwn(String name) {
        return OWN_ENTRIES.contains(name) || name.startsWith(".") || name.startsWith("_");
    }

    private FileSystem fileSystem() throws IOException {
        return directory.getFileSystem(spark.sparkContext().hadoopConfiguration());
    }
}

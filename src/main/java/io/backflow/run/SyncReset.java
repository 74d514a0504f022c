package io.backflow.run;

import io.backflow.BackflowException;
import io.backflow.config.SyncConfig;
import io.backflow.state.RunLock;
import io.backflow.state.SnapshotStore;
import io.backflow.state.StateLayout;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.time.temporal.ChronoUnit.SECONDS;

/**
 * Discards a sync's whole state directory (snapshot, plans, load progress, runs, failures, reports), so the
 * next run starts as the first did and sends every model row again. The destination is never touched. Works
 * through the Hadoop FileSystem API, so the state may be on {@code s3://}, {@code abfss://} or
 * {@code dbfs:/}. A run holding the sync's lock stops the reset; a run starting between that check and
 * the delete is not stopped (the reset does not take the lock itself, since deleting the state deletes it).
 */
public final class SyncReset {

    /**
     * What the state directory may hold: Backflow's own entries (see {@link StateLayout}) and hidden or
     * metadata files ({@code .crc}, {@code _SUCCESS}).
     */
    private static final Set<String> OWN_ENTRIES = Set.of("snapshot", "plans", "progress", "runs", "failures",
            "reports", "lock");

    private final SparkSession spark;
    private final SyncConfig config;
    private final StateLayout layout;
    private final Path directory;
    private final RunLock lock;
    private final Clock clock;

    /** @param clock decides whether the sync's lock has expired */
    public SyncReset(SparkSession spark, SyncConfig config, Clock clock) {
        this.spark = spark;
        this.config = config;
        this.clock = clock;
        this.layout = new StateLayout(config.syncStatePath());
        this.directory = new Path(config.syncStatePath());
        this.lock = new RunLock(spark, layout, config.name(), clock);
    }

    /**
     * The state a reset would remove.
     *
     * @param path the state directory, as configured
     * @param snapshotVersion the snapshot's Delta version; empty if no run has committed one
     * @param snapshotRows rows in the snapshot
     * @param runs recorded runs
     * @param runningNow the run holding the sync's lock, if its lock has not expired
     */
    public record State(String path, Optional<Long> snapshotVersion, long snapshotRows, long runs,
            Optional<RunLock.Holder> runningNow) {
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
                hasSnapshot ? snapshot.rowCount() : 0L, new RunHistory(spark, layout).count(), activeLock()));
    }

    /**
     * Deletes the state directory recursively.
     *
     * @throws BackflowException {@code INVALID_CONFIG} if the directory holds entries Backflow did not
     *     create: a {@code state_path} pointing somewhere shared must not turn a reset into deleting
     *     someone else's files; {@code GUARD_STOP} if a run holds the sync's lock
     */
    public void delete() {
        activeLock().ifPresent(holder -> {
            throw new BackflowException(BackflowException.Category.GUARD_STOP, "Cannot reset '" + config.name()
                    + "' while run " + holder.runId() + " (started " + holder.startedAt().truncatedTo(SECONDS)
                    + " on " + holder.host() + ") holds its lock, until " + holder.expiresAt().truncatedTo(SECONDS)
                    + ". Nothing was removed; wait for the run to finish (if it died, its lock expires then).");
        });
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

    private Optional<RunLock.Holder> activeLock() {
        return lock.holder().filter(holder -> holder.expiresAt().isAfter(clock.instant()));
    }

    private static boolean isOwn(String name) {
        return OWN_ENTRIES.contains(name) || name.startsWith(".") || name.startsWith("_");
    }

    private FileSystem fileSystem() throws IOException {
        return directory.getFileSystem(spark.sparkContext().hadoopConfiguration());
    }
}

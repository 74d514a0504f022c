package io.backflow.load;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The delivery log of one plan's load: after each batch a writer has delivered, one small file under
 * {@code <progress>/<plan run id>/writer-NNNNN/}, so a run that dies mid-load can be resumed without
 * resending those batches. Batches are numbered within a writer's partition, whose order is fixed (the
 * load sorts each partition by key), so a batch number names the same changes in every attempt.
 *
 * <p>A batch whose records were all delivered leaves an empty file {@code batch-N}; one with records not
 * delivered leaves {@code batch-N.outcomes.json} holding their outcomes, so a resumed run reports them
 * again instead of counting them delivered. Files are written once and never appended, and an empty file
 * exists or does not, so the log needs no atomic rename and works the same on object stores; an outcomes
 * file cut short by a crash does not parse and counts as not delivered (the batch is resent, which
 * writes are idempotent for).
 *
 * <p>Before the first batch, the driver writes {@code _started.json} (see {@link #markStarted}); after the
 * last, {@code _finished}.
 *
 * <p>Serializable: created on the driver, used by the writers on the executors. Not thread-safe.
 */
public final class LoadProgress implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LoadProgress.class);
    private static final Pattern BATCH_FILE = Pattern.compile("batch-(\\d+)(\\.outcomes\\.json)?");
    private static final String FINISHED = "_finished";
    private static final String STARTED = "_started.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String root;
    private transient Configuration hadoop;

    /**
     * @param root this plan's progress directory, local or any Hadoop FileSystem URI
     * @param hadoop the Hadoop configuration to reach it with (shipped to the executors)
     */
    public LoadProgress(String root, Configuration hadoop) {
        this.root = root;
        this.hadoop = new Configuration(hadoop);
    }

    /** The batches of one writer already delivered, each with its records not delivered. */
    public Map<Integer, List<RecordOutcome>> deliveredBatches(int writer) {
        Path directory = writerDirectory(writer);
        Map<Integer, List<RecordOutcome>> delivered = new HashMap<>();
        try {
            FileSystem fileSystem = directory.getFileSystem(hadoop);
            FileStatus[] files;
            try {
                files = fileSystem.listStatus(directory);
            } catch (FileNotFoundException e) {
                return delivered;
            }
            for (FileStatus file : files) {
                Matcher name = BATCH_FILE.matcher(file.getPath().getName());
                if (!name.matches()) {
                    continue;
                }
                int batch = Integer.parseInt(name.group(1));
                if (name.group(2) == null) {
                    delivered.put(batch, List.of());
                } else {
                    readOutcomes(fileSystem, file.getPath()).ifPresent(outcomes -> delivered.put(batch, outcomes));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the load progress in " + directory, e);
        }
        return delivered;
    }

    /**
     * How many batches every writer together has recorded so far (driver side, for progress reports): one
     * listing per writer directory, no file read.
     */
    public long recordedBatches() {
        Path directory = new Path(root);
        try {
            FileSystem fileSystem = directory.getFileSystem(hadoop);
            long batches = 0;
            for (FileStatus writer : fileSystem.globStatus(new Path(directory, "writer-*"))) {
                for (FileStatus file : fileSystem.listStatus(writer.getPath())) {
                    if (BATCH_FILE.matcher(file.getPath().getName()).matches()) {
                        batches++;
                    }
                }
            }
            return batches;
        } catch (FileNotFoundException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the load progress in " + directory, e);
        }
    }

    /** Records that a writer's batch has been delivered, except for the given records. */
    public void recordDelivered(int writer, int batch, List<RecordOutcome> notDelivered) {
        String name = "batch-" + batch + (notDelivered.isEmpty() ? "" : ".outcomes.json");
        Path file = new Path(writerDirectory(writer), name);
        try (FSDataOutputStream out = file.getFileSystem(hadoop).create(file, true)) {
            if (!notDelivered.isEmpty()) {
                out.write(JSON.writeValueAsBytes(notDelivered));
            }
        } catch (IOException e) {
            // Without this entry a resumed load only resends this batch (idempotently): not worth failing the load.
            LOG.warn("Could not record the progress of writer {} in {}; a resumed load would resend this batch",
                    writer, file, e);
        }
    }

    /**
     * Records, before the first change is sent, that the load started, with what a later run needs to
     * judge it (driver side). A plain file rather than a commit to the plan's Delta table: that commit
     * would cost a log write, and the load's read of the plan a new snapshot of it.
     *
     * @throws UncheckedIOException if it cannot be written; then nothing must be sent
     */
    public void markStarted(Map<String, String> facts) {
        Path marker = new Path(root, STARTED);
        try (FSDataOutputStream out = marker.getFileSystem(hadoop).create(marker, true)) {
            out.write(JSON.writeValueAsBytes(facts));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot mark the load in " + root + " as started", e);
        }
    }

    /**
     * The facts {@link #markStarted} recorded; empty if the load never started. A marker cut short by a
     * crash reads as started with no facts (driver side).
     */
    public Optional<Map<String, String>> started() {
        Path marker = new Path(root, STARTED);
        try {
            FileSystem fileSystem = marker.getFileSystem(hadoop);
            if (!fileSystem.exists(marker)) {
                return Optional.empty();
            }
            try (InputStream in = fileSystem.open(marker)) {
                Map<String, String> facts = JSON.readValue(in, new TypeReference<Map<String, String>>() { });
                return Optional.of(facts == null ? Map.of() : facts);
            } catch (IOException e) {
                LOG.warn("Unreadable load start marker {}; the load counts as started, with nothing known of it",
                        marker, e);
                return Optional.of(Map.of());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the load progress in " + root, e);
        }
    }

    /** Marks the load as run to its end: a later run must not resume it (driver side). */
    public void markFinished() {
        Path marker = new Path(root, FINISHED);
        try {
            marker.getFileSystem(hadoop).create(marker, true).close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot mark the load in " + root + " as finished", e);
        }
    }

    /** Whether the load ran to its end (driver side). */
    public boolean isFinished() {
        return exists(new Path(root, FINISHED));
    }

    /** Removes the log once the plan's outcome is committed (driver side). */
    public void delete() {
        Path directory = new Path(root);
        try {
            directory.getFileSystem(hadoop).delete(directory, true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove the load progress in " + root, e);
        }
    }

    private boolean exists(Path path) {
        try {
            return path.getFileSystem(hadoop).exists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the load progress in " + root, e);
        }
    }

    private static Optional<List<RecordOutcome>> readOutcomes(FileSystem fileSystem, Path file) {
        try (InputStream in = fileSystem.open(file)) {
            return Optional.of(JSON.readValue(in, new TypeReference<List<RecordOutcome>>() { }));
        } catch (IOException e) {
            // Cut short by a crash (bad JSON, or a checksum error on HDFS and local disks): the batch is resent.
            LOG.warn("Unreadable load progress file {}; its batch counts as not delivered", file, e);
            return Optional.empty();
        }
    }

    private Path writerDirectory(int writer) {
        return new Path(root, String.format(Locale.ROOT, "writer-%05d", writer));
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        hadoop.write(out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        hadoop = new Configuration(false);
        hadoop.readFields(in);
    }
}

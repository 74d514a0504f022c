package io.backflow.state;

import io.backflow.BackflowException;
import io.delta.exceptions.DeltaConcurrentModificationException;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Keeps two runs of one sync from sending at the same time. The lock is a one-row Delta table
 * ({@code <sync>/lock}); taking it is a Delta overwrite, which reads the whole table, so of two runs
 * taking it at once Delta's optimistic concurrency lets exactly one commit and fails the other. It
 * therefore needs no atomic rename or put-if-absent beyond what Delta itself needs on the store (on S3
 * across clusters: Delta's DynamoDB log store). A lock whose holder died is taken over once it expires,
 * or at once with {@code --force}.
 */
public final class RunLock {

    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
    private static final StructType SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType, false)
            .add("host", DataTypes.StringType, false)
            .add("started_at", DataTypes.TimestampType, false)
            .add("expires_at", DataTypes.TimestampType, false);

    private final SparkSession spark;
    private final String path;
    private final String syncName;
    private final Clock clock;

    public RunLock(SparkSession spark, StateLayout layout, String syncName, Clock clock) {
        this.spark = spark;
        this.path = layout.lock();
        this.syncName = syncName;
        this.clock = clock;
    }

    /** Who holds the lock. */
    public record Holder(String runId, String host, Instant startedAt, Instant expiresAt) {
    }

    /**
     * Takes the lock for {@code runId} until {@code timeout} from now.
     *
     * @param takeOver take the lock even from a holder that has not expired ({@code --force})
     * @throws BackflowException {@code GUARD_STOP} naming the holder if another run holds it
     */
    public void acquire(String runId, Duration timeout, boolean takeOver) {
        try {
            DeltaTables.createIfMissing(spark, path, SCHEMA, false);
        } catch (DeltaConcurrentModificationException e) {
            // Another run created the lock table at the same moment; taking the lock decides between us.
            LOG.debug("Lock table created concurrently: {}", e.getMessage());
        }
        Instant now = clock.instant();
        Optional<Holder> holder = holder();
        if (holder.isPresent()) {
            Holder current = holder.get();
            if (current.expiresAt().isAfter(now) && !takeOver) {
                throw held(current);
            }
            LOG.warn("Taking over the lock of run {} (started {} on {}, {}): {}", current.runId(),
                    current.startedAt(), current.host(), current.expiresAt().isAfter(now) ? "forced" : "expired",
                    "its run is presumed dead");
        }
        Row row = RowFactory.create(runId, hostName(), Timestamp.from(now), Timestamp.from(now.plus(timeout)));
        try {
            spark.createDataFrame(List.of(row), SCHEMA).coalesce(1).write().format("delta").mode("overwrite")
                    .option("userMetadata", "backflow lock " + runId).save(path);
        } catch (DeltaConcurrentModificationException e) {
            throw held(holder().orElseThrow(() -> e));
        }
        Holder taken = holder().orElseThrow();
        if (!taken.runId().equals(runId)) {
            throw held(taken);
        }
    }

    /** Releases the lock if {@code runId} still holds it; never fails the run over it. */
    public void release(String runId) {
        try {
            if (holder().map(current -> current.runId().equals(runId)).orElse(false)) {
                DeltaTable.forPath(spark, path).delete();
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not release the lock of run {} at {}; the next run takes it over once it expires", runId,
                    path, e);
        }
    }

    /** The current holder, if any. */
    public Optional<Holder> holder() {
        if (!DeltaTable.isDeltaTable(spark, path)) {
            return Optional.empty();
        }
        List<Row> rows = spark.read().format("delta").load(path).limit(1).collectAsList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Row row = rows.get(0);
        return Optional.of(new Holder(row.getString(0), row.getString(1), row.getTimestamp(2).toInstant(),
                row.getTimestamp(3).toInstant()));
    }

    private BackflowException held(Holder holder) {
        return new BackflowException(BackflowException.Category.GUARD_STOP, "Stopped '" + syncName
                + "' before sending anything: run " + holder.runId() + " started " + holder.startedAt() + " on "
                + holder.host() + " holds the sync's lock (until " + holder.expiresAt() + "). Wait for it to finish; "
                + "if it died, rerun with --force to take the lock over.");
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown host (" + e.getMessage() + ")";
        }
    }
}

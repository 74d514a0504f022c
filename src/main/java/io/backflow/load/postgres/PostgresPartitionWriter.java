package io.backflow.load.postgres;

import io.backflow.BackflowException.Category;
import io.backflow.config.SyncMode;
import io.backflow.diff.Operation;
import io.backflow.load.Change;
import io.backflow.load.ChangeLayout;
import io.backflow.load.DestinationException;
import io.backflow.load.PartitionWriter;
import io.backflow.load.RecordOutcome;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes one partition's batches over one connection, opened on the first batch and reopened after a
 * connection failure. Each {@link #send} is one transaction: COPY into the session's staging table,
 * apply by sync mode, commit; on any error, roll back. With {@code update_fields: changed} an update sets
 * only its changed columns ({@link StagingSql}). Not thread-safe.
 */
final class PostgresPartitionWriter implements PartitionWriter {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresPartitionWriter.class);

    private final PostgresTarget target;
    private final ChangeLayout layout;
    private final StagingSql sql;
    private final CopyEncoder encoder;
    private Connection connection; // null before the first batch and after a failure that may have broken it
    private boolean stageCreated;

    PostgresPartitionWriter(PostgresTarget target, ChangeLayout layout) {
        this.target = target;
        this.layout = layout;
        this.sql = new StagingSql(target.quotedTable(), layout);
        this.encoder = new CopyEncoder(layout);
    }

    /**
     * Connects and creates the staging table, so the batch transaction that follows starts right after
     * its rate-limit permit. Only a transient failure is thrown here; any other setup error is left for
     * {@link #send} to hit again and report per its contract (whole batch or per record).
     */
    @Override
    public void prepare() {
        Connection open = connection();
        try {
            createStageOnce(open);
        } catch (SQLException e) {
            rollback();
            if (PostgresErrors.severity(e) == PostgresErrors.Severity.TRANSIENT) {
                closeConnection();
                throw new DestinationException(Category.TRANSIENT_DESTINATION, PostgresErrors.errorClass(e),
                        PostgresErrors.message(e), e);
            }
            LOG.debug("Staging setup failed on {}; the batch will report it: {}", target, e.toString());
        }
    }

    @Override
    public List<RecordOutcome> send(List<Change> batch) {
        List<RecordOutcome> outcomes = new ArrayList<>();
        List<Integer> staged = new ArrayList<>(batch.size());
        StringBuilder rows = new StringBuilder(batch.size() * 64);
        for (int i = 0; i < batch.size(); i++) {
            Change change = batch.get(i);
            if (change.operation() == Operation.DELETE && layout.mode() != SyncMode.MIRROR) {
                outcomes.add(RecordOutcome.skipped(i, "NotSent",
                        "mode '" + layout.mode().configName() + "' does not delete rows"));
                continue;
            }
            try {
                encoder.append(rows, i, change);
                staged.add(i);
            } catch (IllegalArgumentException e) {
                // Only this record is unusable, and the batch can still go without it.
                outcomes.add(RecordOutcome.failed(i, "UnsupportedValue", e.getMessage()));
            }
        }
        if (staged.isEmpty()) {
            return outcomes;
        }
        Connection open = connection();
        try {
            createStageOnce(open);
            // Encoded here rather than by the driver's Reader overload, which encodes fixed-size char
            // chunks separately and so would corrupt an emoji whose surrogate pair straddles two chunks.
            byte[] data = rows.toString().getBytes(StandardCharsets.UTF_8);
            open.unwrap(PGConnection.class).getCopyAPI().copyIn(sql.copy(), new ByteArrayInputStream(data));
            outcomes.addAll(apply(open, batch, staged));
            open.commit();
            return outcomes;
        } catch (SQLException | IOException e) {
            rollback();
            return failed(e, staged, outcomes);
        }
    }

    /** Runs the mode's statements over the staged changes; returns those that had nothing to act on. */
    private List<RecordOutcome> apply(Connection open, List<Change> batch, List<Integer> staged) throws SQLException {
        try (Statement statement = open.createStatement()) {
            switch (layout.mode()) {
                case MIRROR -> {
                    statement.executeUpdate(sql.delete());
                    upsert(statement);
                }
                case UPSERT -> upsert(statement);
                // A conflict leaves the existing row as it is, by the mode's definition, and counts as delivered.
                case INSERT -> statement.executeUpdate(sql.insertNew());
                case UPDATE -> {
                    return notFound(statement, batch, staged);
                }
            }
            return List.of();
        }
    }

    /** One full-row upsert, or with changed columns only the partial update first (see {@link StagingSql#upsert}). */
    private void upsert(Statement statement) throws SQLException {
        for (String step : sql.upsert()) {
            statement.executeUpdate(step);
        }
    }

    private List<RecordOutcome> notFound(Statement statement, List<Change> batch, List<Integer> staged)
            throws SQLException {
        Set<Integer> updated = new HashSet<>();
        try (ResultSet result = statement.executeQuery(sql.updateExisting())) {
            while (result.next()) {
                updated.add(result.getInt(1));
            }
        }
        List<RecordOutcome> skipped = new ArrayList<>();
        for (int i : staged) {
            if (!updated.contains(i)) {
                skipped.add(RecordOutcome.skipped(i, "NotFound", "no row with key "
                        + layout.describeKey(batch.get(i).row()) + " in " + target.displayName()
                        + "; mode 'update' does not create rows"));
            }
        }
        return skipped;
    }

    /**
     * Maps a failed transaction to the {@link PartitionWriter#send} contract: transient and record errors
     * are thrown for {@code BatchDelivery} to retry or split; batch errors fail every staged record
     * without splitting (see {@link PostgresErrors.Severity#BATCH}).
     */
    private List<RecordOutcome> failed(Exception error, List<Integer> staged, List<RecordOutcome> outcomes) {
        PostgresErrors.Severity severity = PostgresErrors.severity(error);
        String errorClass = PostgresErrors.errorClass(error);
        String message = PostgresErrors.message(error);
        if (severity != PostgresErrors.Severity.RECORD) {
            // A new session also rebuilds the staging table from the table as it is now.
            closeConnection();
        }
        switch (severity) {
            case TRANSIENT -> throw new DestinationException(Category.TRANSIENT_DESTINATION, errorClass,
                    message, error);
            case RECORD -> throw new DestinationException(Category.PERMANENT_RECORD, errorClass, message, error);
            case BATCH -> {
                LOG.warn("Batch of {} changes to {} failed as a whole: {}: {}", staged.size(), target, errorClass,
                        message);
                for (int index : staged) {
                    outcomes.add(RecordOutcome.failed(index, errorClass, message));
                }
                return outcomes;
            }
        }
        throw new IllegalStateException("Unknown severity " + severity);
    }

    private Connection connection() {
        if (connection == null) {
            Connection opened = null;
            try {
                opened = target.connect();
                opened.setAutoCommit(false);
                connection = opened;
                stageCreated = false;
            } catch (SQLException e) {
                closeAfterFailedSetup(opened, e);
                throw new DestinationException(Category.TRANSIENT_DESTINATION, PostgresErrors.errorClass(e),
                        "Cannot connect to " + target + ": " + PostgresErrors.message(e), e);
            }
        }
        return connection;
    }

    /** Created and committed on its own, so a rolled-back batch does not take the staging table with it. */
    private void createStageOnce(Connection open) throws SQLException {
        if (stageCreated) {
            return;
        }
        try (Statement statement = open.createStatement()) {
            for (String ddl : sql.createStage()) {
                statement.execute(ddl);
            }
        }
        open.commit();
        stageCreated = true;
    }

    private void rollback() {
        if (connection == null) {
            return;
        }
        try {
            connection.rollback();
        } catch (SQLException e) {
            // The connection is likely gone; the server rolls back a broken session's transaction itself.
            LOG.warn("Could not roll back on {}; reconnecting for the next batch: {}", target, e.toString());
            closeConnection();
        }
    }

    /** Closes the connection; a failure to close is logged and otherwise harmless (the session ends anyway). */
    @Override
    public void close() {
        closeConnection();
    }

    private void closeConnection() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("Could not close the connection to {}: {}", target, e.toString());
        } finally {
            connection = null;
            stageCreated = false;
        }
    }

    /** Closes a connection that could not be set up; a failure to close is kept with the original error. */
    private static void closeAfterFailedSetup(Connection opened, SQLException failure) {
        if (opened == null) {
            return;
        }
        try {
            opened.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}

package io.backflow.load.postgres;

import io.backflow.BackflowException;
import io.backflow.BackflowException.Category;
import io.backflow.config.PostgresConfig;
import io.backflow.load.ChangeLayout;
import io.backflow.load.Destination;
import io.backflow.load.PartitionWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * A PostgreSQL table. Each batch is COPYed into a temporary staging table and applied to the table in
 * the same transaction ({@code INSERT ... ON CONFLICT}, {@code UPDATE ... FROM}, {@code DELETE ... USING}
 * by sync mode), so a batch is all or nothing and resending it is harmless.
 *
 * <p>Serializable and immutable: created on the driver, shipped to executors. The connected user needs
 * SELECT on the table, the privileges its mode writes with, and TEMPORARY on the database; connections
 * must be session-scoped (not a transaction-pooling proxy), since the staging table lives in the session.
 */
public final class PostgresDestination implements Destination {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresDestination.class);

    private final PostgresTarget target;
    private final int batchSize;
    private final boolean createTable;

    public PostgresDestination(PostgresConfig config) {
        this.target = new PostgresTarget(config);
        this.batchSize = config.batchSize();
        this.createTable = config.createTable();
    }

    /**
     * Checks the table exists, has every key and synced column, a unique key on exactly the key columns
     * (except in mode {@code update}, which never inserts), and that the user holds the privileges needed.
     * A missing table passes when {@code create_table} is set: {@link #prepare} creates it (see
     * {@link #missingSetup}). Changes nothing.
     */
    @Override
    public void check(ChangeLayout layout) {
        TableCheck.checkTypes(layout, target);
        try (Connection connection = connect()) {
            Optional<TableInspector.Table> table = new TableInspector(connection).inspect(target);
            if (table.isEmpty() && createTable) {
                return;
            }
            TableCheck.check(table.orElseThrow(() -> new BackflowException(Category.INVALID_CONFIG,
                    "Cannot sync to postgres table " + target.displayName() + " in " + target.describeServer()
                            + ": table " + target.displayName()
                            + " does not exist; create it or set destination.create_table: true")),
                    layout, target.user());
        } catch (SQLException e) {
            throw failed("check", e);
        }
    }

    /** The {@code CREATE TABLE} that {@code run} will execute, when {@code create_table} is set and it is missing. */
    @Override
    public List<String> missingSetup(ChangeLayout layout) {
        if (!createTable) {
            return List.of();
        }
        TableCheck.checkTypes(layout, target);
        try (Connection connection = connect()) {
            if (new TableInspector(connection).inspect(target).isPresent()) {
                return List.of();
            }
        } catch (SQLException e) {
            throw failed("check", e);
        }
        return List.of("table " + target.displayName() + " does not exist; `run` will create it (create_table: "
                + "true): " + TableCheck.createTable(layout, target));
    }

    /** With {@code create_table}, creates the table if it is missing, typed from the model; then {@link #check}s. */
    @Override
    public void prepare(ChangeLayout layout) {
        if (createTable) {
            TableCheck.checkTypes(layout, target);
            String ddl = TableCheck.createTable(layout, target);
            try (Connection connection = connect()) {
                Optional<TableInspector.Table> existing = new TableInspector(connection).inspect(target);
                if (existing.isEmpty()) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute(ddl);
                    }
                    LOG.info("Created {}: {}", describe(), ddl);
                }
            } catch (SQLException e) {
                throw failed("create", e);
            }
        }
        check(layout);
    }

    @Override
    public PartitionWriter openWriter(ChangeLayout layout) {
        return new PostgresPartitionWriter(target, layout);
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    /** "postgres table public.customers at jdbc:postgresql://db:5432/app", password masked. */
    @Override
    public String describe() {
        return target.toString();
    }

    private Connection connect() {
        try {
            return target.connect();
        } catch (SQLException e) {
            throw PostgresErrors.cannotConnect(target, e);
        }
    }

    private BackflowException failed(String action, SQLException e) {
        Category category = PostgresErrors.severity(e) == PostgresErrors.Severity.TRANSIENT
                ? Category.TRANSIENT_DESTINATION : Category.INVALID_CONFIG;
        return new BackflowException(category, "Cannot " + action + " postgres table " + target.displayName() + " in "
                + target.describeServer() + ": " + PostgresErrors.errorClass(e) + ": " + PostgresErrors.message(e), e);
    }
}

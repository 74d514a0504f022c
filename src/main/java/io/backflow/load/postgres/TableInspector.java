package io.backflow.load.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads what Backflow needs to know about a table from the system catalogs. Read-only; names are
 * passed as parameters, never spliced into SQL.
 */
final class TableInspector {

    /**
     * A table as the catalogs describe it.
     *
     * @param columns column name to its type as PostgreSQL prints it, in table order
     * @param uniqueKeys the column sets of the unique indexes {@code ON CONFLICT} can use as arbiters
     * @param privileges the table privileges the connected user holds, of SELECT, INSERT, UPDATE, DELETE
     * @param canCreateTempTables whether the user may create temporary tables in the database
     */
    record Table(String name, Map<String, String> columns, List<Set<String>> uniqueKeys, Set<String> privileges,
            boolean canCreateTempTables) {
    }

    private final Connection connection;

    TableInspector(Connection connection) {
        this.connection = connection;
    }

    /** The table, or empty if there is no table (or view) by that name, resolving the search path without a schema. */
    Optional<Table> inspect(PostgresTarget target) throws SQLException {
        Optional<Long> oid = oid(target);
        if (oid.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Table(target.displayName(), columns(oid.get()), uniqueKeys(oid.get()),
                privileges(oid.get()), canCreateTempTables()));
    }

    private Optional<Long> oid(PostgresTarget target) throws SQLException {
        // to_regclass parses the quoted name exactly as a statement would and yields NULL, not an error,
        // for a missing table; a missing schema is rejected by the schema lookup instead.
        if (target.schema().isPresent() && !schemaExists(target.schema().get())) {
            return Optional.empty();
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT c.oid FROM pg_class c WHERE c.oid = to_regclass(?) AND c.relkind IN ('r', 'p', 'v', 'f')")) {
            statement.setString(1, target.quotedTable());
            try (ResultSet result = statement.executeQuery()) {
                return result.next() ? Optional.of(result.getLong(1)) : Optional.empty();
            }
        }
    }

    private boolean schemaExists(String schema) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            statement.setString(1, schema);
            try (ResultSet result = statement.executeQuery()) {
                return result.next();
            }
        }
    }

    private Map<String, String> columns(long oid) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
                        + " WHERE attrelid = ? AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
            statement.setLong(1, oid);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    columns.put(result.getString(1), result.getString(2));
                }
            }
        }
        return columns;
    }

    /**
     * Unique indexes usable by {@code ON CONFLICT (columns)}: valid, immediate (deferrable constraints
     * cannot arbitrate), without a predicate or expressions, counting key columns only (not INCLUDE ones).
     */
    private List<Set<String>> uniqueKeys(long oid) throws SQLException {
        Map<Long, Set<String>> keys = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT i.indexrelid, a.attname FROM pg_index i"
                        + " CROSS JOIN generate_series(0, i.indnkeyatts - 1) AS n"
                        + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[n]"
                        + " WHERE i.indrelid = ? AND i.indisunique AND i.indimmediate AND i.indisvalid"
                        + " AND i.indpred IS NULL AND i.indexprs IS NULL"
                        + " ORDER BY i.indisprimary DESC, i.indexrelid, n")) {
            statement.setLong(1, oid);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    keys.computeIfAbsent(result.getLong(1), id -> new LinkedHashSet<>()).add(result.getString(2));
                }
            }
        }
        return new ArrayList<>(keys.values());
    }

    private Set<String> privileges(long oid) throws SQLException {
        Set<String> held = new LinkedHashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT has_table_privilege(?::oid, 'SELECT'), has_table_privilege(?::oid, 'INSERT'),"
                        + " has_table_privilege(?::oid, 'UPDATE'), has_table_privilege(?::oid, 'DELETE')")) {
            for (int i = 1; i <= 4; i++) {
                statement.setLong(i, oid);
            }
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                String[] names = {"SELECT", "INSERT", "UPDATE", "DELETE"};
                for (int i = 0; i < names.length; i++) {
                    if (result.getBoolean(i + 1)) {
                        held.add(names[i]);
                    }
                }
            }
        }
        return held;
    }

    private boolean canCreateTempTables() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT has_database_privilege(current_database(), 'TEMPORARY')");
                ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getBoolean(1);
        }
    }
}

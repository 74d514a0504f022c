package io.backflow.load.postgres;

import io.backflow.BackflowException;
import io.backflow.BackflowException.Category;
import io.backflow.config.SyncMode;
import io.backflow.load.ChangeLayout;
import org.apache.spark.sql.types.DataType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether a table can take a sync's changes, with every problem reported at once and how to fix it.
 * Pure: works on what {@link TableInspector} read.
 */
final class TableCheck {

    private TableCheck() {
    }

    /** Spark types that cannot be sent at all; checked before connecting. */
    static void checkTypes(ChangeLayout layout, PostgresTarget target) {
        List<String> unsupported = layout.keyAndColumns().stream()
                .filter(name -> !PostgresTypes.canSend(layout.field(name).dataType()))
                .map(name -> name + " (" + layout.field(name).dataType().simpleString() + ")")
                .toList();
        if (!unsupported.isEmpty()) {
            throw new BackflowException(Category.INVALID_CONFIG, "Cannot sync to postgres table "
                    + target.displayName() + ": columns " + unsupported + " have Spark types Backflow cannot send;"
                    + " cast them in the model to string, a number, boolean, date, timestamp, binary, array, map"
                    + " or struct");
        }
    }

    /** @throws BackflowException {@code INVALID_CONFIG} listing every problem found */
    static void check(TableInspector.Table table, ChangeLayout layout, String user) {
        List<String> problems = new ArrayList<>();
        List<String> missing = layout.keyAndColumns().stream().filter(c -> !table.columns().containsKey(c)).toList();
        if (!missing.isEmpty()) {
            problems.add("it has no column" + (missing.size() > 1 ? "s " : " ") + missing
                    + " (names are case-sensitive; its columns are " + table.columns().keySet() + ")");
        }
        SyncMode mode = layout.mode();
        Set<String> key = new LinkedHashSet<>(layout.key());
        if (mode != SyncMode.UPDATE && !table.uniqueKeys().contains(key)) {
            problems.add("it has no primary key or unique index on exactly " + key + ", which mode '"
                    + mode.configName() + "' needs for INSERT ... ON CONFLICT (unique keys found: "
                    + table.uniqueKeys() + "); add one, e.g. ALTER TABLE " + table.name() + " ADD PRIMARY KEY ("
                    + SqlIdentifiers.list(layout.key(), "") + ")");
        }
        Set<String> lacking = new LinkedHashSet<>(neededPrivileges(mode));
        lacking.removeAll(table.privileges());
        if (!lacking.isEmpty()) {
            problems.add("user '" + user + "' lacks the " + String.join(", ", lacking) + " privilege"
                    + (lacking.size() > 1 ? "s" : "") + " on it, which mode '" + mode.configName() + "' needs");
        }
        if (!table.canCreateTempTables()) {
            problems.add("user '" + user + "' may not create temporary tables in the database, which Backflow"
                    + " stages each batch in; GRANT TEMPORARY ON DATABASE to the user");
        }
        if (!problems.isEmpty()) {
            throw new BackflowException(Category.INVALID_CONFIG, "Cannot sync to postgres table " + table.name()
                    + ": " + String.join("; ", problems));
        }
    }

    /** SELECT for the staging table's column types, then what the mode's statements do. */
    private static List<String> neededPrivileges(SyncMode mode) {
        return switch (mode) {
            case UPSERT -> List.of("SELECT", "INSERT", "UPDATE");
            case UPDATE -> List.of("SELECT", "UPDATE");
            case INSERT -> List.of("SELECT", "INSERT");
            case MIRROR -> List.of("SELECT", "INSERT", "UPDATE", "DELETE");
        };
    }

    /** The {@code CREATE TABLE} for a missing table: the sync's columns typed from Spark, the key as primary key. */
    static String createTable(ChangeLayout layout, PostgresTarget target) {
        String columns = layout.keyAndColumns().stream()
                .map(name -> SqlIdentifiers.quote(name) + " " + columnType(layout, name, target))
                .collect(Collectors.joining(", "));
        return "CREATE TABLE IF NOT EXISTS " + target.quotedTable() + " (" + columns + ", PRIMARY KEY ("
                + SqlIdentifiers.list(layout.key(), "") + "))";
    }

    private static String columnType(ChangeLayout layout, String name, PostgresTarget target) {
        DataType type = layout.field(name).dataType();
        return PostgresTypes.columnType(type).orElseThrow(() -> new BackflowException(Category.INVALID_CONFIG,
                "Cannot create postgres table " + target.displayName() + ": column " + name + " has Spark type "
                        + type.simpleString() + ", which has no PostgreSQL column type; cast it in the model or"
                        + " create the table"));
    }
}

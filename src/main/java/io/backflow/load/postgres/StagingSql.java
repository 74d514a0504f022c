package io.backflow.load.postgres;

import io.backflow.config.UpdateFields;
import io.backflow.diff.Columns;
import io.backflow.load.ChangeLayout;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.backflow.load.postgres.SqlIdentifiers.list;
import static io.backflow.load.postgres.SqlIdentifiers.quote;

/**
 * The SQL a writer runs for one sync: the staging table, the COPY into it, and the statements that apply
 * the staged batch to the target by sync mode. Built once per writer; all names are quoted. The staging
 * table is always addressed as {@code pg_temp...}, so no table of the search path can shadow it.
 *
 * <p>Changed columns only ({@link #stagesChanged}): the staging table gets one more column,
 * {@value #CHANGED} {@code int[]}, the 1-based positions in {@link ChangeLayout#columns} of an update's
 * changed columns, NULL for a change that writes every column (an insert, or an update whose destination
 * state is uncertain). Positions rather than names, since a column name may hold any character. An update
 * then sets its changed columns only and leaves the others as the table holds them, so a value edited at
 * the destination in a column the model did not change survives; in upsert and mirror mode an update whose
 * row is missing is inserted whole. Otherwise every statement is the full-row form, unchanged.
 */
final class StagingSql {

    /** The staged change's position in its batch. */
    static final String INDEX = "_backflow_index";
    /** The staged change's operation. */
    static final String OPERATION = "_backflow_op";
    /** The staged update's changed column positions (see the class comment); only when {@link #stagesChanged}. */
    static final String CHANGED = "_backflow_changed";

    private static final String STAGE = "pg_temp." + quote("_backflow_stage");

    private final String target;
    private final List<String> key;
    private final List<String> columns;
    private final List<String> keyAndColumns;
    private final boolean changedOnly;

    /** @param target the target table, quoted and possibly schema-qualified */
    StagingSql(String target, ChangeLayout layout) {
        this.target = target;
        this.key = layout.key();
        this.columns = layout.columns();
        this.keyAndColumns = layout.keyAndColumns();
        this.changedOnly = stagesChanged(layout);
    }

    /**
     * Whether updates write their changed columns only: {@code update_fields: changed}, a plan that names
     * them ({@link Columns#CHANGED}), and synced columns to leave alone. Then the staging table and the COPY
     * carry {@link #CHANGED} ({@link CopyEncoder} writes it).
     */
    static boolean stagesChanged(ChangeLayout layout) {
        return layout.updateFields() == UpdateFields.CHANGED && !layout.columns().isEmpty()
                && List.of(layout.planSchema().fieldNames()).contains(Columns.CHANGED);
    }

    /**
     * Creates the session's staging table with exactly the target's column types (so the server parses
     * each staged value as the target column would), but none of its constraints, defaults or triggers.
     * Rows vanish at commit, so every batch starts from an empty table.
     */
    List<String> createStage() {
        return List.of(
                "CREATE TEMP TABLE " + STAGE + " ON COMMIT DELETE ROWS AS SELECT " + list(keyAndColumns, "")
                        + " FROM " + target + " WITH NO DATA",
                "ALTER TABLE " + STAGE + " ADD COLUMN " + quote(INDEX) + " integer, ADD COLUMN " + quote(OPERATION)
                        + " text" + (changedOnly ? ", ADD COLUMN " + quote(CHANGED) + " integer[]" : ""));
    }

    /** COPY in the column order {@link CopyEncoder} writes. */
    String copy() {
        return "COPY " + STAGE + " (" + quote(INDEX) + ", " + quote(OPERATION) + ", "
                + (changedOnly ? quote(CHANGED) + ", " : "") + list(keyAndColumns, "")
                + ") FROM STDIN WITH (FORMAT text, ENCODING 'UTF8')";
    }

    /**
     * The statements of upsert and mirror mode for staged non-deletes, run in this order in the batch's
     * transaction. Full rows: one statement that inserts them and, on a key conflict, updates every synced
     * column. Changed columns only ({@link #stagesChanged}): first {@link #updateChangedColumns}, then that
     * same upsert for the changes it could not apply, those that write every column and updates whose row is
     * missing (deleted at the destination: it gets the whole row back, never a partial one).
     */
    List<String> upsert() {
        if (columns.isEmpty()) {
            return List.of(insertNew());
        }
        String conflict = " ON CONFLICT (" + list(key, "") + ") DO UPDATE SET " + columns.stream()
                .map(c -> quote(c) + " = EXCLUDED." + quote(c)).collect(Collectors.joining(", "));
        if (!changedOnly) {
            return List.of(insertStaged() + conflict);
        }
        // An update with a changed list either found its row in the statement before (NOT EXISTS now sees this
        // transaction's write) or has none. A row another session inserts meanwhile takes the full row on conflict.
        String fullRows = "INSERT INTO " + target + " AS t (" + list(keyAndColumns, "") + ") SELECT "
                + list(keyAndColumns, "s.") + " FROM " + STAGE + " AS s WHERE s." + quote(OPERATION) + " <> 'DELETE'"
                + " AND (s." + quote(CHANGED) + " IS NULL OR NOT EXISTS (SELECT 1 FROM " + target + " AS d WHERE "
                + keyMatch("d") + "))";
        return List.of(updateChangedColumns(), fullRows + conflict);
    }

    /**
     * Sets the changed columns of existing rows from staged updates that name them, leaving every other
     * column as the row holds it. Updates whose list is NULL (every column) or empty (nothing to set) are
     * not touched here.
     */
    private String updateChangedColumns() {
        // cardinality(NULL) is NULL, so the condition also leaves out the updates that write every column.
        return "UPDATE " + target + " AS t SET " + assignments(false) + " FROM " + STAGE + " AS s WHERE "
                + keyMatch("t") + " AND s." + quote(OPERATION) + " = 'UPDATE' AND cardinality(s." + quote(CHANGED)
                + ") > 0";
    }

    /** Inserts staged non-deletes whose key is not in the table yet; existing rows are left alone. */
    String insertNew() {
        return insertStaged() + " ON CONFLICT (" + list(key, "") + ") DO NOTHING";
    }

    /** Deletes the rows of staged deletes (mirror). */
    String delete() {
        return "DELETE FROM " + target + " AS t USING " + STAGE + " AS s WHERE " + keyMatch("t") + " AND s."
                + quote(OPERATION) + " = 'DELETE'";
    }

    /**
     * Updates existing rows from staged changes and returns the batch index of each staged change that
     * matched a row (update mode); a change not returned had no row to update. Without synced columns
     * there is nothing to set, so the statement only finds the matching changes. Changed columns only
     * ({@link #stagesChanged}), an update with a list sets those columns and keeps the row's others.
     */
    String updateExisting() {
        if (columns.isEmpty()) {
            return "SELECT DISTINCT s." + quote(INDEX) + " FROM " + STAGE + " AS s JOIN " + target + " AS t ON "
                    + keyMatch("t");
        }
        return "UPDATE " + target + " AS t SET " + assignments(true) + " FROM " + STAGE + " AS s WHERE "
                + keyMatch("t") + " RETURNING s." + quote(INDEX);
    }

    /**
     * {@code c = s.c} for every synced column; changed columns only, {@code c = CASE WHEN <position> =
     * ANY(s._backflow_changed) THEN s.c ELSE t.c END}, and with {@code orAllWhenNull} a NULL list sets them all.
     */
    private String assignments(boolean orAllWhenNull) {
        if (!changedOnly) {
            return columns.stream().map(c -> quote(c) + " = s." + quote(c)).collect(Collectors.joining(", "));
        }
        String changed = "s." + quote(CHANGED);
        return IntStream.range(0, columns.size()).mapToObj(i -> {
            String column = quote(columns.get(i));
            return column + " = CASE WHEN " + (orAllWhenNull ? changed + " IS NULL OR " : "") + (i + 1) + " = ANY("
                    + changed + ") THEN s." + column + " ELSE t." + column + " END";
        }).collect(Collectors.joining(", "));
    }

    private String insertStaged() {
        return "INSERT INTO " + target + " AS t (" + list(keyAndColumns, "") + ") SELECT " + list(keyAndColumns, "")
                + " FROM " + STAGE + " WHERE " + quote(OPERATION) + " <> 'DELETE'";
    }

    /** The key columns of the table row {@code alias} equal to the staged change's ({@code s}). */
    private String keyMatch(String alias) {
        return key.stream().map(k -> alias + "." + quote(k) + " = s." + quote(k)).collect(Collectors.joining(" AND "));
    }
}

package io.backflow.load.postgres;

import io.backflow.load.ChangeLayout;

import java.util.List;
import java.util.stream.Collectors;

import static io.backflow.load.postgres.SqlIdentifiers.list;
import static io.backflow.load.postgres.SqlIdentifiers.quote;

/**
 * The SQL a writer runs for one sync: the staging table, the COPY into it, and the statements that apply
 * the staged batch to the target by sync mode. Built once per writer; all names are quoted. The staging
 * table is always addressed as {@code pg_temp...}, so no table of the search path can shadow it.
 */
final class StagingSql {

    /** The staged change's position in its batch. */
    static final String INDEX = "_backflow_index";
    /** The staged change's operation. */
    static final String OPERATION = "_backflow_op";

    private static final String STAGE = "pg_temp." + quote("_backflow_stage");

    private final String target;
    private final List<String> key;
    private final List<String> columns;
    private final List<String> keyAndColumns;

    /** @param target the target table, quoted and possibly schema-qualified */
    StagingSql(String target, ChangeLayout layout) {
        this.target = target;
        this.key = layout.key();
        this.columns = layout.columns();
        this.keyAndColumns = layout.keyAndColumns();
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
                "ALTER TABLE " + STAGE + " ADD COLUMN " + quote(INDEX) + " integer, ADD COLUMN "
                        + quote(OPERATION) + " text");
    }

    /** COPY in the column order {@link CopyEncoder} writes. */
    String copy() {
        return "COPY " + STAGE + " (" + quote(INDEX) + ", " + quote(OPERATION) + ", " + list(keyAndColumns, "")
                + ") FROM STDIN WITH (FORMAT text, ENCODING 'UTF8')";
    }

    /** Inserts staged non-deletes; on a key conflict updates every synced column (upsert, mirror). */
    String upsert() {
        if (columns.isEmpty()) {
            return insertNew();
        }
        String assignments = columns.stream().map(c -> quote(c) + " = EXCLUDED." + quote(c))
                .collect(Collectors.joining(", "));
        return insertStaged() + " ON CONFLICT (" + list(key, "") + ") DO UPDATE SET " + assignments;
    }

    /** Inserts staged non-deletes whose key is not in the table yet; existing rows are left alone. */
    String insertNew() {
        return insertStaged() + " ON CONFLICT (" + list(key, "") + ") DO NOTHING";
    }

    /** Deletes the rows of staged deletes (mirror). */
    String delete() {
        return "DELETE FROM " + target + " AS t USING " + STAGE + " AS s WHERE " + keyMatch() + " AND s."
                + quote(OPERATION) + " = 'DELETE'";
    }

    /**
     * Updates existing rows from staged changes and returns the batch index of each staged change that
     * matched a row (update mode); a change not returned had no row to update. Without synced columns
     * there is nothing to set, so the statement only finds the matching changes.
     */
    String updateExisting() {
        if (columns.isEmpty()) {
            return "SELECT DISTINCT s." + quote(INDEX) + " FROM " + STAGE + " AS s JOIN " + target + " AS t ON "
                    + keyMatch();
        }
        String assignments = columns.stream().map(c -> quote(c) + " = s." + quote(c))
                .collect(Collectors.joining(", "));
        return "UPDATE " + target + " AS t SET " + assignments + " FROM " + STAGE + " AS s WHERE " + keyMatch()
                + " RETURNING s." + quote(INDEX);
    }

    private String insertStaged() {
        return "INSERT INTO " + target + " AS t (" + list(keyAndColumns, "") + ") SELECT " + list(keyAndColumns, "")
                + " FROM " + STAGE + " WHERE " + quote(OPERATION) + " <> 'DELETE'";
    }

    private String keyMatch() {
        return key.stream().map(k -> "t." + quote(k) + " = s." + quote(k)).collect(Collectors.joining(" AND "));
    }
}

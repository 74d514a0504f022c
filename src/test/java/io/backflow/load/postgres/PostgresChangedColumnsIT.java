package io.backflow.load.postgres;

import io.backflow.config.SyncMode;
import io.backflow.config.UpdateFields;
import io.backflow.diff.Operation;
import io.backflow.load.Change;
import io.backflow.load.ChangeLayout;
import io.backflow.load.PartitionWriter;
import io.backflow.load.RecordOutcome;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.backflow.load.postgres.TestTables.changed;
import static io.backflow.load.postgres.TestTables.field;
import static io.backflow.load.postgres.TestTables.simpleLayoutWithChanged;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code update_fields: changed} against a real PostgreSQL: an update sets its changed columns only, so a
 * value edited at the destination in another column survives; a change that must write every column, or
 * whose row is missing, writes the whole row. A trigger logs every row written, to show each change
 * writes its row once.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PostgresChangedColumnsIT extends PostgresTestBase {

    private static PartitionWriter writer(String table, ChangeLayout layout) {
        return new PostgresDestination(tables.config(table)).openWriter(layout);
    }

    /** The simple table with a trigger logging each row written as {@code "<TG_OP> <id>"}, in order. */
    private static String tableWithWriteLog() throws SQLException {
        String table = newTable();
        tables.createSimpleTable(table);
        tables.execute("CREATE TABLE " + table + "_writes (n serial, op text, id bigint)");
        tables.execute("CREATE FUNCTION " + table + "_log() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "INSERT INTO " + table + "_writes (op, id) VALUES (TG_OP, NEW.id); RETURN NULL; END $$");
        tables.execute("CREATE TRIGGER log AFTER INSERT OR UPDATE ON " + table + " FOR EACH ROW EXECUTE FUNCTION "
                + table + "_log()");
        return table;
    }

    private static List<String> writes(String table) throws SQLException {
        return tables.query("SELECT op, id FROM " + table + "_writes ORDER BY id, n").stream()
                .map(row -> row.get(0) + " " + row.get(1)).toList();
    }

    /** Someone edits a row at the destination by hand. */
    private static void editByHand(String table, String assignment, long id) throws SQLException {
        tables.execute("UPDATE " + table + " SET " + assignment + " WHERE id = " + id);
        tables.execute("TRUNCATE " + table + "_writes");
    }

    @Test
    void anUpdateSetsOnlyItsChangedColumnsSoAHandEditToAnotherColumnSurvives() throws Exception {
        String table = tableWithWriteLog();
        ChangeLayout layout = simpleLayoutWithChanged(SyncMode.UPSERT, UpdateFields.CHANGED);
        try (PartitionWriter writer = writer(table, layout)) {
            assertThat(writer.send(List.of(changed(Operation.INSERT, null, 1L, "one", 1),
                    changed(Operation.INSERT, null, 2L, "two", 2)))).isEmpty();
            editByHand(table, "amount = 100", 1);
            editByHand(table, "name = 'edited'", 2);

            List<Change> batch = List.of(changed(Operation.UPDATE, List.of("name"), 1L, "ONE", 1),
                    changed(Operation.UPDATE, List.of("amount"), 2L, "two", 22));
            assertThat(writer.send(batch)).isEmpty();
            assertThat(tables.simpleRows(table)).containsExactly("1 ONE 100", "2 edited 22");
            assertThat(writes(table)).containsExactly("UPDATE 1", "UPDATE 2");

            // A re-run task sends the same batch again: the table must not change.
            assertThat(writer.send(batch)).isEmpty();
        }
        assertThat(tables.simpleRows(table)).containsExactly("1 ONE 100", "2 edited 22");
    }

    @Test
    void eachChangeWritesItsRowOnceAndAnUpdateWhoseRowIsMissingInsertsTheWholeRow() throws Exception {
        String table = tableWithWriteLog();
        tables.execute("INSERT INTO " + table + " VALUES (1, 'one', 100), (4, 'four', 400), (5, 'five', 500)");
        tables.execute("TRUNCATE " + table + "_writes");
        List<Change> batch = List.of(
                changed(Operation.UPDATE, List.of("name"), 1L, "ONE", 1),
                // deleted at the destination: comes back whole, not as a row of nulls and one name
                changed(Operation.UPDATE, List.of("name"), 2L, "TWO", 2),
                changed(Operation.INSERT, null, 3L, "three", 3),
                // the destination's state is uncertain: every column
                changed(Operation.UPDATE, null, 4L, "FOUR", 4),
                changed(Operation.DELETE, null, 5L, null, null));

        try (PartitionWriter writer = writer(table, simpleLayoutWithChanged(SyncMode.MIRROR, UpdateFields.CHANGED))) {
            assertThat(writer.send(batch)).isEmpty();
        }

        assertThat(tables.simpleRows(table)).containsExactly("1 ONE 100", "2 TWO 2", "3 three 3", "4 FOUR 4");
        assertThat(writes(table)).containsExactly("UPDATE 1", "INSERT 2", "INSERT 3", "UPDATE 4");
    }

    @Test
    void anInsertOverAnExistingRowWritesEveryColumn() throws Exception {
        String table = tableWithWriteLog();
        tables.execute("INSERT INTO " + table + " VALUES (1, 'there already', 100)");
        try (PartitionWriter writer = writer(table, simpleLayoutWithChanged(SyncMode.UPSERT, UpdateFields.CHANGED))) {
            assertThat(writer.send(List.of(changed(Operation.INSERT, null, 1L, "one", 1)))).isEmpty();
        }
        assertThat(tables.simpleRows(table)).containsExactly("1 one 1");
    }

    @Test
    void updateModeSetsOnlyTheChangedColumnsAndSkipsKeysTheTableLacks() throws Exception {
        String table = newTable();
        // No unique key: update mode does not need one.
        tables.execute("CREATE TABLE " + table + " (id bigint, name text, amount integer)");
        tables.execute("INSERT INTO " + table + " VALUES (1, 'one', 100), (3, 'three', 300), (4, 'four', 400)");
        try (PartitionWriter writer = writer(table, simpleLayoutWithChanged(SyncMode.UPDATE, UpdateFields.CHANGED))) {
            List<RecordOutcome> outcomes = writer.send(List.of(
                    changed(Operation.UPDATE, List.of("amount"), 1L, "ONE", 11),
                    changed(Operation.UPDATE, List.of("name"), 2L, "TWO", 22),
                    changed(Operation.UPDATE, null, 3L, "THREE", 33),
                    changed(Operation.INSERT, null, 4L, "FOUR", 44)));
            assertThat(outcomes).containsExactly(RecordOutcome.skipped(1, "NotFound",
                    "no row with key id=2 in " + table + "; mode 'update' does not create rows"));
        }
        assertThat(tables.simpleRows(table)).containsExactly("1 one 11", "3 THREE 33", "4 FOUR 44");
    }

    @Test
    void updateFieldsAllOverwritesTheWholeRowEvenWhenThePlanNamesTheChangedColumns() throws Exception {
        String table = tableWithWriteLog();
        tables.execute("INSERT INTO " + table + " VALUES (1, 'one', 100)");
        tables.execute("TRUNCATE " + table + "_writes");
        try (PartitionWriter writer = writer(table, simpleLayoutWithChanged(SyncMode.UPSERT, UpdateFields.ALL))) {
            assertThat(writer.send(List.of(changed(Operation.UPDATE, List.of("name"), 1L, "ONE", 1),
                    changed(Operation.UPDATE, List.of("name"), 2L, "TWO", 2)))).isEmpty();
        }
        assertThat(tables.simpleRows(table)).containsExactly("1 ONE 1", "2 TWO 2");
        assertThat(writes(table)).containsExactly("UPDATE 1", "INSERT 2");

        String updateTable = newTable();
        tables.execute("CREATE TABLE " + updateTable + " (id bigint, name text, amount integer)");
        tables.execute("INSERT INTO " + updateTable + " VALUES (1, 'one', 100)");
        try (PartitionWriter writer = writer(updateTable, simpleLayoutWithChanged(SyncMode.UPDATE, UpdateFields.ALL))) {
            assertThat(writer.send(List.of(changed(Operation.UPDATE, List.of("name"), 1L, "ONE", 1)))).isEmpty();
        }
        assertThat(tables.simpleRows(updateTable)).containsExactly("1 ONE 1");
    }

    @Test
    void changedColumnsWithQuotesAndSqlInTheirNamesAreSetExactly() throws Exception {
        String schema = "Changed \"Schema\"";
        String table = "y\"; DROP TABLE victim2; --";
        tables.execute("CREATE TABLE victim2 (id int)");
        String odd = "value\"); DROP TABLE victim2; --";
        ChangeLayout layout = TestTables.layoutWithChanged(SyncMode.MIRROR, UpdateFields.CHANGED,
                List.of(field("key col", DataTypes.LongType)),
                List.of(field(odd, DataTypes.StringType), field("1", DataTypes.IntegerType),
                        field("Mixed, Case {2}", DataTypes.IntegerType)));
        tables.execute("CREATE SCHEMA " + SqlIdentifiers.quote(schema));
        PostgresDestination destination = new PostgresDestination(tables.config(Optional.of(schema), table, true));
        destination.prepare(layout);
        String quoted = SqlIdentifiers.qualified(Optional.of(schema), table);
        try (PartitionWriter writer = destination.openWriter(layout)) {
            assertThat(writer.send(List.of(changed(Operation.INSERT, null, 1L, "a", 1, 1)))).isEmpty();
            tables.execute("UPDATE " + quoted + " SET \"1\" = 100");
            assertThat(writer.send(List.of(changed(Operation.UPDATE, List.of(odd, "Mixed, Case {2}"), 1L, "A", 1, 10))))
                    .isEmpty();
        }
        assertThat(tables.query("SELECT \"key col\", " + SqlIdentifiers.quote(odd) + ", \"1\", \"Mixed, Case {2}\" FROM "
                + quoted)).containsExactly(List.of(1L, "A", 100, 10));
        assertThat(tables.query("SELECT count(*) FROM victim2")).containsExactly(List.of(0L));
    }
}

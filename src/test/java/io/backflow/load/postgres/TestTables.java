package io.backflow.load.postgres;

import io.backflow.config.PostgresConfig;
import io.backflow.config.SyncMode;
import io.backflow.config.UpdateFields;
import io.backflow.diff.Columns;
import io.backflow.diff.Operation;
import io.backflow.load.Change;
import io.backflow.load.ChangeLayout;
import io.backflow.local.LocalPostgres;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Builds layouts, changes and configs for the PostgreSQL tests, and reads tables back over plain JDBC. */
final class TestTables {

    private final LocalPostgres postgres;
    private final Connection admin;

    TestTables(LocalPostgres postgres) throws SQLException {
        this.postgres = postgres;
        this.admin = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "");
        // Reading back in UTC makes timestamptz text comparable to literals.
        execute("SET TIME ZONE 'UTC'");
    }

    PostgresConfig config(String table) {
        return config(Optional.empty(), table, false);
    }

    PostgresConfig config(Optional<String> schema, String table, boolean createTable) {
        return new PostgresConfig(postgres.jdbcUrl(), postgres.user(), Optional.empty(), schema, table, 100,
                createTable);
    }

    /** A plan layout: {@code [_backflow_op, keys..., columns..., _backflow_hash]}. */
    static ChangeLayout layout(SyncMode mode, List<StructField> keys, List<StructField> columns) {
        List<StructField> plan = new ArrayList<>();
        plan.add(DataTypes.createStructField(Columns.OPERATION, DataTypes.StringType, false));
        plan.addAll(keys);
        plan.addAll(columns);
        plan.add(DataTypes.createStructField(Columns.HASH, DataTypes.LongType, false));
        return new ChangeLayout(new StructType(plan.toArray(StructField[]::new)),
                keys.stream().map(StructField::name).toList(), columns.stream().map(StructField::name).toList(), mode,
                UpdateFields.ALL);
    }

    /**
     * A plan layout that names an update's changed columns:
     * {@code [_backflow_op, keys..., columns..., _backflow_hash, _backflow_changed]}; build its rows with
     * {@link #changed}.
     */
    static ChangeLayout layoutWithChanged(SyncMode mode, UpdateFields updateFields, List<StructField> keys,
            List<StructField> columns) {
        ChangeLayout layout = layout(mode, keys, columns);
        StructType plan = layout.planSchema().add(Columns.CHANGED,
                DataTypes.createArrayType(DataTypes.StringType, false), true);
        return new ChangeLayout(plan, layout.key(), layout.columns(), mode, updateFields);
    }

    /** {@link #simpleLayout} with the changed column list ({@link #layoutWithChanged}). */
    static ChangeLayout simpleLayoutWithChanged(SyncMode mode, UpdateFields updateFields) {
        return layoutWithChanged(mode, updateFields, List.of(field("id", DataTypes.LongType)),
                List.of(field("name", DataTypes.StringType), field("amount", DataTypes.IntegerType)));
    }

    /** The usual small layout: {@code id bigint} key, {@code name text}, {@code amount integer}. */
    static ChangeLayout simpleLayout(SyncMode mode) {
        return layout(mode, List.of(field("id", DataTypes.LongType)),
                List.of(field("name", DataTypes.StringType), field("amount", DataTypes.IntegerType)));
    }

    static StructField field(String name, org.apache.spark.sql.types.DataType type) {
        return DataTypes.createStructField(name, type, true);
    }

    /** A change whose plan row holds {@code values} (keys then columns) between the operation and the hash. */
    static Change change(Operation operation, Object... values) {
        Object[] row = new Object[values.length + 2];
        row[0] = operation.name();
        System.arraycopy(values, 0, row, 1, values.length);
        row[row.length - 1] = 0L;
        return new Change(operation, RowFactory.create(row));
    }

    /**
     * A change for a {@link #layoutWithChanged} plan: {@code values} (keys then columns), and the changed
     * column names as the plan holds them (a Scala sequence, as Spark gives an array), or null for none.
     */
    static Change changed(Operation operation, List<String> changed, Object... values) {
        Object[] row = new Object[values.length + 3];
        row[0] = operation.name();
        System.arraycopy(values, 0, row, 1, values.length);
        row[row.length - 2] = 0L;
        row[row.length - 1] = changed == null ? null
                : scala.collection.JavaConverters.asScalaBuffer(new ArrayList<>(changed)).toList();
        return new Change(operation, RowFactory.create(row));
    }

    void execute(String sql) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Every row of a query, each as its columns' {@code getObject} values. */
    List<List<Object>> query(String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Statement statement = admin.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            int width = result.getMetaData().getColumnCount();
            while (result.next()) {
                Object[] row = new Object[width];
                for (int i = 0; i < width; i++) {
                    row[i] = result.getObject(i + 1);
                }
                rows.add(Arrays.asList(row));
            }
        }
        return rows;
    }

    /** The simple table as {@code "id name amount"} lines, ordered by id. */
    List<String> simpleRows(String quotedTable) throws SQLException {
        return query("SELECT id, name, amount FROM " + quotedTable + " ORDER BY id").stream()
                .map(row -> row.get(0) + " " + row.get(1) + " " + row.get(2)).toList();
    }

    void createSimpleTable(String quotedTable) throws SQLException {
        execute("CREATE TABLE " + quotedTable + " (id bigint PRIMARY KEY, name text, amount integer)");
    }

    void close() throws SQLException {
        admin.close();
    }
}

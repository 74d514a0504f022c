package io.backflow.diff;

import io.backflow.state.SnapshotStore;
import io.backflow.state.StateLayout;
import io.backflow.testing.SparkTest;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/** The diff's semantics and its physical plan, on Spark local with a Delta snapshot. */
class DifferIT extends SparkTest {

    private static final StructType PAIRS = new StructType().add("id", DataTypes.IntegerType)
            .add("a", DataTypes.StringType).add("b", DataTypes.StringType);

    /** A {@link #PAIRS} row with the usual values. */
    private static Row xy(int id) {
        return RowFactory.create(id, "x", "y");
    }

    private static KeyedModel model(StructType schema, List<Row> rows) {
        return KeyedModel.of("test", spark.createDataFrame(rows, schema), List.of("id"), Optional.empty());
    }

    /** The model's hashes as a snapshot would hold them: key, row hash, field hashes. */
    private static Dataset<Row> snapshotOf(KeyedModel model) {
        List<Column> selected = new java.util.ArrayList<>(List.of(col("id"), col(Columns.HASH)));
        model.columns().forEach(name -> selected.add(col(Columns.quoted(Columns.fieldHash(name)))));
        return model.withFieldHashes().select(selected.toArray(Column[]::new));
    }

    private static Map<Object, String> operations(Dataset<Row> changes) {
        return changes.collectAsList().stream().collect(Collectors.toMap(row -> row.get(1), row -> row.getString(0)));
    }

    @Test
    void classifiesInsertsUpdatesDeletesAndLeavesUnchangedRowsOut() {
        KeyedModel before = model(PAIRS, List.of(xy(1), xy(2), xy(3)));
        KeyedModel after = model(PAIRS, List.of(xy(2), RowFactory.create(3, "x", "z"), xy(4)));

        assertThat(operations(Differ.changes(after, snapshotOf(before), false)))
                .isEqualTo(Map.of(1, "DELETE", 3, "UPDATE", 4, "INSERT"));
    }

    @Test
    void hashIsNullSafeUnambiguousAndTyped() {
        KeyedModel before = model(PAIRS, List.of(RowFactory.create(1, null, "x"), RowFactory.create(2, "a|b", "c"),
                RowFactory.create(3, "", null), RowFactory.create(4, null, null), RowFactory.create(5, "ab", "")));
        KeyedModel after = model(PAIRS, List.of(RowFactory.create(1, "x", null), RowFactory.create(2, "a", "b|c"),
                RowFactory.create(3, null, ""), RowFactory.create(4, null, null), RowFactory.create(5, "a", "b")));

        assertThat(operations(Differ.changes(after, snapshotOf(before), false)))
                .isEqualTo(Map.of(1, "UPDATE", 2, "UPDATE", 3, "UPDATE", 5, "UPDATE"));

        StructType asText = new StructType().add("id", DataTypes.IntegerType).add("v", DataTypes.StringType);
        StructType asDecimal = new StructType().add("id", DataTypes.IntegerType)
                .add("v", DataTypes.createDecimalType(10, 2));
        KeyedModel text = model(asText, List.of(RowFactory.create(1, "1.00")));
        KeyedModel decimal = model(asDecimal, List.of(RowFactory.create(1, new BigDecimal("1.00"))));
        assertThat(operations(Differ.changes(decimal, snapshotOf(text), false))).isEqualTo(Map.of(1, "UPDATE"));
    }

    @Test
    void nestedValuesKeepNullPositions() {
        StructType arrays = new StructType().add("id", DataTypes.IntegerType)
                .add("tags", DataTypes.createArrayType(DataTypes.StringType));
        KeyedModel before = model(arrays, List.of(RowFactory.create(1, new String[] {null, "x"})));
        KeyedModel after = model(arrays, List.of(RowFactory.create(1, new String[] {"x", null})));

        assertThat(operations(Differ.changes(after, snapshotOf(before), false))).isEqualTo(Map.of(1, "UPDATE"));
    }

    @Test
    void marksNullAndDuplicateKeysInTheSamePass() {
        KeyedModel model = model(PAIRS, List.of(xy(1), RowFactory.create(1, "x", "z"),
                RowFactory.create(null, "x", "y"), xy(2)));
        KeyedModel empty = model(PAIRS, List.of());

        List<String> operations = Differ.changes(model, snapshotOf(empty), false).collectAsList().stream()
                .map(row -> row.getString(0)).sorted().toList();

        assertThat(operations).containsExactly("DUPLICATE_KEY", "DUPLICATE_KEY", "INSERT", "NULL_KEY");
    }

    @Test
    void readsOnlyKeyAndHashFromTheRealSnapshotTable() {
        KeyedModel model = model(PAIRS, List.of(xy(1), RowFactory.create(2, "x", "z")));
        SnapshotStore snapshot = new SnapshotStore(spark, new StateLayout(directory.resolve("sync").toString()));
        snapshot.commit(Differ.changes(model, snapshotOf(model(PAIRS, List.of())), false), 2, List.of("id"),
                List.of("a", "b"), new SnapshotStore.Delivery("test-run", "test-run", EnumSet.of(Operation.INSERT)));
        Dataset<Row> changes = Differ.changes(model, snapshot.keysAndHashes(List.of("id"), model.valueSchema()), false);
        String plan = changes.queryExecution().executedPlan().toString();

        assertThat(changes.count()).isZero();
        List<String> snapshotScans = java.util.Arrays.stream(plan.split("\n"))
                .filter(line -> line.contains("FileScan") && line.contains("snapshot")).toList();
        assertThat(snapshotScans).hasSize(1);
        String readSchema = snapshotScans.get(0).replaceAll(".*ReadSchema: struct<([^>]*)>.*", "$1");
        // key and row hash: no value, no field hash
        assertThat(readSchema.split(",")).as(snapshotScans.get(0)).hasSize(2);
    }

    @Test
    void readsOnlyKeyAndHashFromTheSnapshotAndShufflesEachSideOnce() {
        String snapshotPath = directory.resolve("snapshot").toString();
        KeyedModel model = model(PAIRS, List.of(xy(1)));
        model.withFieldHashes().write().format("delta").save(snapshotPath);
        Dataset<Row> snapshot = spark.read().format("delta").load(snapshotPath).select("id", Columns.HASH);

        String plan = Differ.changes(model, snapshot, false).queryExecution().executedPlan().toString();

        assertThat(plan).contains("ReadSchema: struct<id:int," + Columns.HASH + ":bigint>");
        assertThat(plan).doesNotContain("ReadSchema: struct<id:int,a:string");
        // one shuffle per side: the key-count window's shuffle is reused by the join
        assertThat(plan.split("Exchange hashpartitioning", -1).length - 1).isEqualTo(2);
    }

    @Test
    void updatesNameTheirChangedColumnsFromTheSnapshotsFieldHashesWithoutShufflingTheSnapshot() {
        StructType three = new StructType().add("id", DataTypes.IntegerType).add("a", DataTypes.StringType)
                .add("b", DataTypes.StringType).add("c", DataTypes.IntegerType);
        KeyedModel before = model(three, List.of(RowFactory.create(1, "x", "y", 1), RowFactory.create(2, "x", "y", 2),
                RowFactory.create(3, "x", "y", 3)));
        KeyedModel after = model(three, List.of(RowFactory.create(1, "x", "Y", 1), RowFactory.create(2, "X", "y", 20),
                RowFactory.create(3, "x", "y", 3), RowFactory.create(4, "n", "n", 4)));
        Dataset<Row> pending = spark.createDataFrame(List.of(RowFactory.create(3)),
                new StructType().add("id", DataTypes.IntegerType));
        Dataset<Row> previous = before.withFieldHashes();

        Dataset<Row> changes = Differ.changes(after, previous.select("id", Columns.HASH), false, Optional.of(pending),
                Differ.FieldDetection.CHANGED_COLUMNS);
        Dataset<Row> fieldHashes = previous.select(col("id"), col(Columns.quoted(Columns.fieldHash("a"))),
                col(Columns.quoted(Columns.fieldHash("b"))), col(Columns.quoted(Columns.fieldHash("c"))));
        Dataset<Row> named = ChangedColumns.named(changes, fieldHashes, List.of("id"), after.columns(), 2);

        Map<Object, Object> changed = named.collectAsList().stream().collect(Collectors.toMap(row -> row.get(1),
                row -> row.isNullAt(row.fieldIndex(Columns.CHANGED)) ? "all"
                        : row.getList(row.fieldIndex(Columns.CHANGED))));
        // 3 is pending: it sends every column whatever changed; 4 is new: an insert sends every column.
        assertThat(changed).isEqualTo(Map.of(1, List.of("b"), 2, List.of("a", "c"), 3, "all", 4, "all"));
        assertThat(named.schema().fieldNames()).doesNotContain(Columns.SENDS_ALL);
        String plan = named.queryExecution().executedPlan().toString();
        assertThat(plan).as("the updates' keys are broadcast into the snapshot's scan").contains("BroadcastHashJoin");
    }

    @Test
    void pendingKeysAreResentAndTheModelIsStillShuffledOnce() {
        KeyedModel previous = model(PAIRS, List.of(xy(1), xy(2), xy(3)));
        // 1 unchanged, 2 left the model, 4 is new; 1, 2 and 5 are pending (5 was never in the snapshot)
        KeyedModel model = model(PAIRS, List.of(xy(1), xy(3), xy(4)));
        Dataset<Row> pending = spark.createDataFrame(List.of(RowFactory.create(1), RowFactory.create(2),
                RowFactory.create(5)), new StructType().add("id", DataTypes.IntegerType));

        Dataset<Row> changes = Differ.changes(model, snapshotOf(previous), false, Optional.of(pending),
                Differ.FieldDetection.CHANGED_COLUMNS);

        assertThat(operations(changes)).containsExactlyInAnyOrderEntriesOf(
                Map.of(1, "UPDATE", 2, "DELETE", 4, "INSERT", 5, "DELETE"));
        // Pending keys join the snapshot's narrow side: only the model's own shuffle carries its values.
        Dataset<Row> planned = Differ.changes(model, snapshotOf(previous), false, Optional.of(pending),
                Differ.FieldDetection.CHANGED_COLUMNS);
        assertThat(shufflesCarrying(planned.queryExecution().executedPlan(), "a")).isEqualTo(1);
    }

    /** How many shuffles in {@code plan} move rows holding a column named {@code column}. */
    private static long shufflesCarrying(org.apache.spark.sql.execution.SparkPlan plan, String column) {
        if (plan instanceof org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec adaptive) {
            return shufflesCarrying(adaptive.executedPlan(), column);
        }
        if (plan instanceof org.apache.spark.sql.execution.adaptive.QueryStageExec stage) {
            return shufflesCarrying(stage.plan(), column);
        }
        long own = plan instanceof org.apache.spark.sql.execution.exchange.ShuffleExchangeExec exchange
                && scala.collection.JavaConverters.seqAsJavaList(exchange.child().output()).stream()
                        .anyMatch(attribute -> attribute.name().equals(column)) ? 1 : 0;
        return own + scala.collection.JavaConverters.seqAsJavaList(plan.children()).stream()
                .mapToLong(child -> shufflesCarrying(child, column)).sum();
    }
}

package io.backflow.state;

import io.backflow.diff.Columns;
import io.backflow.diff.Operation;
import io.backflow.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.QueryExecutionListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two-step commit on a real Delta snapshot, with the delivered keys broadcast to the delete-only MERGE
 * and without (a shuffle join): both must leave exactly the delivered state.
 */
class SnapshotCommitIT extends SparkTest {

    private static final StructType PLAN = new StructType()
            .add(Columns.OPERATION, DataTypes.StringType, false)
            .add("id", DataTypes.LongType, false)
            .add("v", DataTypes.StringType)
            .add(Columns.HASH, DataTypes.LongType);
    private static final EnumSet<Operation> ALL = EnumSet.allOf(Operation.class);
    /** The MERGE's join on the key; Delta's own joins are on file paths. */
    private static final Pattern KEY_JOIN = Pattern.compile("(BroadcastHashJoin|SortMergeJoin) \\[id#");

    @BeforeAll
    static void withoutAutomaticBroadcast() {
        // Spark would broadcast these few keys by itself; without its threshold only the hint broadcasts.
        spark.conf().set("spark.sql.autoBroadcastJoinThreshold", "-1");
    }

    private static Dataset<Row> plan(List<Row> rows) {
        return spark.createDataFrame(rows, PLAN);
    }

    private static Row change(Operation operation, long id, String value) {
        return RowFactory.create(operation.name(), id, value, value == null ? null : (long) value.hashCode());
    }

    /**
     * The executed plans of the queries run while {@code action} ran (Delta's MERGE runs several), once the
     * one joining on the key has been reported: the listener hears of each query through Spark's
     * asynchronous listener bus.
     */
    private static String executedPlans(Runnable action) throws InterruptedException {
        List<String> plans = new CopyOnWriteArrayList<>();
        CountDownLatch keyJoinSeen = new CountDownLatch(1);
        QueryExecutionListener listener = new QueryExecutionListener() {
            @Override
            public void onSuccess(String function, QueryExecution execution, long durationNs) {
                String plan = execution.executedPlan().toString();
                plans.add(plan);
                if (KEY_JOIN.matcher(plan).find()) {
                    keyJoinSeen.countDown();
                }
            }

            @Override
            public void onFailure(String function, QueryExecution execution, Exception error) {
            }
        };
        spark.listenerManager().register(listener);
        try {
            action.run();
            assertThat(keyJoinSeen.await(60, TimeUnit.SECONDS)).as("a query joining on the key was reported").isTrue();
            return String.join("\n", plans);
        } finally {
            spark.listenerManager().unregister(listener);
        }
    }

    @Test
    void broadcastAndShuffledKeyRemovalLeaveTheSameSnapshot() throws InterruptedException {
        for (long deliveredRows : new long[] {3, SnapshotStore.BROADCAST_KEYS + 1}) {
            SnapshotStore snapshot = new SnapshotStore(spark,
                    new StateLayout(directory.resolve("sync-" + deliveredRows).toString()));
            List<Row> first = new ArrayList<>();
            for (long id = 1; id <= 10; id++) {
                first.add(change(Operation.INSERT, id, "v" + id));
            }
            snapshot.commit(plan(first), 10, List.of("id"), List.of("v"), new SnapshotStore.Delivery("r1", "r1", ALL));

            Dataset<Row> changes = plan(List.of(change(Operation.UPDATE, 2, "changed"),
                    change(Operation.DELETE, 5, null), change(Operation.INSERT, 11, "v11")));
            String plans = executedPlans(() -> snapshot.commit(changes, deliveredRows, List.of("id"), List.of("v"),
                    new SnapshotStore.Delivery("r2", "r2", ALL)));

            // The join on the key (Delta's own joins on file paths are sort-merge joins either way).
            String broadcastJoin = "BroadcastHashJoin \\[id#";
            String shuffleJoin = "SortMergeJoin \\[id#";
            boolean broadcast = deliveredRows <= SnapshotStore.BROADCAST_KEYS;
            assertThat(plans).as("the MERGE's join on the key").containsPattern(broadcast ? broadcastJoin : shuffleJoin)
                    .doesNotContainPattern(broadcast ? shuffleJoin : broadcastJoin);
            assertThat(snapshot.version()).as("create, append; then remove, append").contains(3L);
            assertThat(snapshot.incompleteCommit()).isEmpty();
            assertThat(snapshot.lastCommittedRunId()).contains("r2");
            List<String> rows = snapshot.read().orderBy("id").collectAsList().stream()
                    .map(row -> row.getLong(0) + "=" + row.getString(1) + ":" + row.get(2)).toList();
            assertThat(rows).as("delivered rows = %d", deliveredRows).containsExactly(
                    "1=v1:" + "v1".hashCode(), "2=changed:" + "changed".hashCode(), "3=v3:" + "v3".hashCode(),
                    "4=v4:" + "v4".hashCode(), "6=v6:" + "v6".hashCode(), "7=v7:" + "v7".hashCode(),
                    "8=v8:" + "v8".hashCode(), "9=v9:" + "v9".hashCode(), "10=v10:" + "v10".hashCode(),
                    "11=v11:" + "v11".hashCode());
        }
    }
}

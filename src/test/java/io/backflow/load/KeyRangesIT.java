package io.backflow.load;

import io.backflow.testing.SparkTest;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.rand;
import static org.assertj.core.api.Assertions.assertThat;

/** How the load cuts changes into writers' partitions, on Spark local. */
class KeyRangesIT extends SparkTest {

    /** Each partition's rows as "key|other", in partition order, keyed by the partition's index. */
    private static Map<Integer, List<String>> partitions(Dataset<Row> partitioned) {
        MapPartitionsFunction<Row, String> tag = rows -> {
            List<String> out = new ArrayList<>();
            int partition = TaskContext.getPartitionId();
            while (rows.hasNext()) {
                Row row = rows.next();
                out.add(partition + "#" + row.mkString("|"));
            }
            return out.iterator();
        };
        Map<Integer, List<String>> byPartition = new TreeMap<>();
        for (String tagged : partitioned.mapPartitions(tag, Encoders.STRING()).collectAsList()) {
            int mark = tagged.indexOf('#');
            byPartition.computeIfAbsent(Integer.parseInt(tagged.substring(0, mark)), p -> new ArrayList<>())
                    .add(tagged.substring(mark + 1));
        }
        return byPartition;
    }

    private static Dataset<Row> longKeys(long count) {
        // Keys out of order and spread over their input partitions, as a plan's are.
        return spark.range(count).select(pmod(col("id").multiply(7919L), lit(count)).as("id"),
                col("id").cast("string").as("payload")).repartition(3);
    }

    @Test
    void eachWriterGetsOneSortedRangeOfKeysInWriterOrderAndAboutAsManyAsTheOthers() {
        Map<Integer, List<String>> partitions = partitions(KeyRanges.partition(longKeys(20_000), List.of("id"), 4));

        assertThat(partitions).hasSize(4);
        long previousLast = -1;
        for (int writer = 0; writer < 4; writer++) {
            List<Long> keys = partitions.get(writer).stream().map(row -> Long.parseLong(row.split("\\|")[0]))
                    .toList();
            assertThat(keys).as("writer %d", writer).isSorted();
            assertThat(keys.get(0)).as("writer %d starts after writer %d", writer, writer - 1)
                    .isEqualTo(previousLast + 1);
            assertThat(keys).as("writer %d's share", writer).hasSizeBetween(4_500, 5_500);
            previousLast = keys.get(keys.size() - 1);
        }
        assertThat(previousLast).isEqualTo(19_999);
    }

    @Test
    void theSameChangesAreCutTheSameWayHoweverTheirInputIsSplit() {
        Dataset<Row> changes = longKeys(5_000);

        Map<Integer, List<String>> once = partitions(KeyRanges.partition(changes.coalesce(1), List.of("id"), 3));
        Map<Integer, List<String>> again = partitions(KeyRanges.partition(
                changes.repartition(5).orderBy(rand(7)), List.of("id"), 3));

        assertThat(again).isEqualTo(once);
    }

    @Test
    void severalKeyColumnsAreRangedInTheirOrder() {
        StructType schema = new StructType().add("region", DataTypes.StringType).add("n", DataTypes.IntegerType);
        List<Row> rows = new ArrayList<>();
        for (String region : List.of("eu", "us", "apac")) {
            for (int n = 0; n < 1_000; n++) {
                rows.add(RowFactory.create(region, n));
            }
        }

        Map<Integer, List<String>> partitions = partitions(
                KeyRanges.partition(spark.createDataFrame(rows, schema).repartition(3), List.of("region", "n"), 2));

        List<String> all = partitions.values().stream().flatMap(List::stream).toList();
        List<String> expected = rows.stream().sorted((a, b) -> a.getString(0).equals(b.getString(0))
                        ? Integer.compare(a.getInt(1), b.getInt(1)) : a.getString(0).compareTo(b.getString(0)))
                .map(row -> row.mkString("|")).collect(Collectors.toList());
        assertThat(all).as("both writers' rows, writer 0 first").isEqualTo(expected);
        assertThat(partitions.get(0)).hasSizeBetween(1_350, 1_650);
    }

    @Test
    void dateAndTimestampKeysFromAnyEraAreRangedInTheirOrder() {
        // Days from year 1000 on, and timestamps a second apart from 1850 on: before the Gregorian cut-over and
        // before standard time zones, where Java's date classes would shift them.
        Dataset<Row> changes = spark.range(3_000).select(
                org.apache.spark.sql.functions.date_add(lit(java.sql.Date.valueOf("1000-01-01")),
                        pmod(col("id").multiply(7919L), lit(3_000L)).cast("int")).as("day"),
                org.apache.spark.sql.functions.timestamp_seconds(col("id").plus(-3_786_825_600L)).as("at"))
                .repartition(3);

        Map<Integer, List<String>> partitions = partitions(KeyRanges.partition(changes, List.of("day", "at"), 3));

        List<String> all = partitions.values().stream().flatMap(List::stream).toList();
        List<String> sorted = changes.orderBy("day", "at").collectAsList().stream().map(row -> row.mkString("|"))
                .toList();
        assertThat(all).as("the writers' rows in writer order").isEqualTo(sorted);
        assertThat(partitions.values()).allSatisfy(rows -> assertThat(rows).hasSizeBetween(850, 1_150));
    }

    @Test
    void fewerChangesThanWritersAndNoChangesAtAllAreFine() {
        Dataset<Row> two = spark.range(2).select(concat(lit("k"), format_string("%d", col("id"))).as("id"));

        assertThat(partitions(KeyRanges.partition(two, List.of("id"), 4)).values().stream().mapToInt(List::size)
                .sum()).isEqualTo(2);
        assertThat(KeyRanges.partition(two.limit(0), List.of("id"), 4).count()).isZero();
    }

    @Test
    void eachTokenHashesToItsOwnPartitionAsSparkPartitionsIt() {
        int[] tokens = KeyRanges.tokens(7);
        Dataset<Row> rows = spark.createDataFrame(
                java.util.Arrays.stream(tokens).mapToObj(RowFactory::create).toList(),
                new StructType().add("token", DataTypes.IntegerType));

        Map<Integer, List<String>> partitions = partitions(rows.repartition(7, col("token")));

        for (int partition = 0; partition < 7; partition++) {
            assertThat(partitions.get(partition)).containsExactly(String.valueOf(tokens[partition]));
        }
    }
}

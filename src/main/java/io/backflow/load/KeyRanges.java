package io.backflow.load;

import io.backflow.diff.Columns;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.unsafe.hash.Murmur3_x86_32;

import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.unix_date;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Cuts changes into one contiguous key range per writer, each range sorted by key. Against a table with
 * a key index (PostgreSQL), each writer then works in its own part of the index, and of the table where
 * its rows lie in key order: concurrent writers share only the pages at their ranges' edges, and a page
 * is read by one writer, rather than by every writer in turn, as with hash partitioning, where each
 * writer's keys span the whole table.
 *
 * <p>The ranges are a function of the changes and the writer count only, so a resumed load cuts the same
 * plan into the same batches. Their bounds are quantiles of a sample of the keys with the smallest
 * hashes: a uniform sample that, unlike Spark's range partitioner (which samples each input partition
 * at random), does not depend on how the input happens to be split.
 */
final class KeyRanges {

    /**
     * Sampled keys per writer: the ranges come out within a few percent of even (with more than
     * {@code MAX_SAMPLE / SAMPLE_PER_WRITER} writers, fewer keys each, and less even ranges).
     */
    static final int SAMPLE_PER_WRITER = 1000;
    /** At most this many sampled keys reach the driver, however many writers there are. */
    static final int MAX_SAMPLE = 100_000;
    /** The seed of Spark's hash partitioning ({@code Murmur3Hash}'s default). */
    private static final int SPARK_HASH_SEED = 42;

    private KeyRanges() {
    }

    /**
     * The changes in {@code writers} partitions: partition {@code i} holds the {@code i}-th key range,
     * sorted by key. All changes of a key are in one partition.
     *
     * @param key the key columns, all non-null
     */
    static Dataset<Row> partition(Dataset<Row> changes, List<String> key, int writers) {
        Column[] keyColumns = key.stream().map(name -> col(Columns.quoted(name))).toArray(Column[]::new);
        Column keyValue = keyColumns.length == 1 ? keyColumns[0] : struct(keyColumns);
        Column[] exactKeyColumns = new Column[key.size()];
        for (int i = 0; i < key.size(); i++) {
            exactKeyColumns[i] = exact(keyColumns[i], changes.schema().apply(key.get(i)).dataType());
        }
        List<Row> sample = changes.select(keyColumns)
                .orderBy(xxhash64(keyColumns), keyValue)
                .limit(Math.min(MAX_SAMPLE, SAMPLE_PER_WRITER * writers))
                .orderBy(keyColumns)
                .select(exactKeyColumns)
                .collectAsList();
        Column[] lowerBounds = new Column[writers];
        for (int writer = 1; writer < writers && !sample.isEmpty(); writer++) {
            lowerBounds[writer] = literal(sample.get((int) ((long) writer * sample.size() / writers)), key,
                    changes.schema());
        }
        Column partitionToken = sample.isEmpty() ? lit(tokens(writers)[0])
                : rangeOf(keyValue, lowerBounds, tokens(writers), 0, writers - 1);
        return changes.repartition(writers, partitionToken).sortWithinPartitions(keyColumns);
    }

    /**
     * For each partition {@code r}, an int that Spark's hash partitioning into {@code partitions} sends to
     * partition {@code r}: {@code pmod(murmur3(token, 42), partitions) == r}. Repartitioning by the token
     * of a range then puts range {@code r} exactly into partition {@code r}.
     */
    static int[] tokens(int partitions) {
        int[] tokens = new int[partitions];
        boolean[] found = new boolean[partitions];
        int missing = partitions;
        for (int candidate = 0; missing > 0; candidate++) {
            int partition = Math.floorMod(Murmur3_x86_32.hashInt(candidate, SPARK_HASH_SEED), partitions);
            if (!found[partition]) {
                found[partition] = true;
                tokens[partition] = candidate;
                missing--;
            }
        }
        return tokens;
    }

    /** The token of the range {@code keyValue} falls in, among ranges {@code first..last}: a binary search. */
    private static Column rangeOf(Column keyValue, Column[] lowerBounds, int[] tokens, int first, int last) {
        if (first == last) {
            return lit(tokens[first]);
        }
        int middle = (first + last + 1) / 2;
        return when(keyValue.lt(lowerBounds[middle]), rangeOf(keyValue, lowerBounds, tokens, first, middle - 1))
                .otherwise(rangeOf(keyValue, lowerBounds, tokens, middle, last));
    }

    /**
     * A key column as the driver collects it to build a bound from. Timestamps and dates go as numbers:
     * as Java objects they would pass through the driver's time zone and calendar, and the same plan
     * could then get other bounds on another driver.
     */
    private static Column exact(Column column, DataType type) {
        if (type instanceof TimestampType) {
            return unix_micros(column);
        } else if (type instanceof DateType) {
            return unix_date(column);
        }
        return column;
    }

    /** A sampled key as a literal of the key columns' types (a struct named like them for several columns). */
    private static Column literal(Row sampled, List<String> key, StructType schema) {
        Column[] values = new Column[key.size()];
        for (int i = 0; i < key.size(); i++) {
            DataType type = schema.apply(key.get(i)).dataType();
            Column value;
            if (type instanceof TimestampType) {
                value = timestamp_micros(lit(sampled.getLong(i)));
            } else if (type instanceof DateType) {
                value = date_from_unix_date(lit(sampled.getInt(i)));
            } else {
                value = lit(sampled.get(i)).cast(type);
            }
            values[i] = value.as(key.get(i));
        }
        return values.length == 1 ? values[0] : struct(values);
    }
}

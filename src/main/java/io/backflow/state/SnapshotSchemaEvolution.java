package io.backflow.state;

import io.backflow.diff.Columns;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Brings the snapshot's synced columns in line with the model before a commit: adds new columns, drops
 * removed ones, and replaces a column whose type changed (drop, then add). With column mapping these
 * are metadata-only Delta commits. The key columns never change here: a changed key is refused earlier.
 */
final class SnapshotSchemaEvolution {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSchemaEvolution.class);

    private final SparkSession spark;
    private final String table;

    SnapshotSchemaEvolution(SparkSession spark, String path) {
        this.spark = spark;
        this.table = "delta.`" + path.replace("`", "``") + "`";
    }

    void evolve(StructType current, StructType target, List<String> key) {
        Set<String> targetNames = Set.of(target.fieldNames());
        List<String> drop = new ArrayList<>();
        List<StructField> add = new ArrayList<>();
        for (StructField field : current.fields()) {
            if (key.contains(field.name()) || field.name().equals(Columns.HASH)) {
                continue;
            }
            if (!targetNames.contains(field.name())) {
                drop.add(field.name());
            } else if (!target.apply(field.name()).dataType().equals(field.dataType())) {
                drop.add(field.name());
                add.add(target.apply(field.name()));
            }
        }
        Set<String> currentNames = Set.of(current.fieldNames());
        for (StructField field : target.fields()) {
            if (!currentNames.contains(field.name())) {
                add.add(field);
            }
        }
        if (!drop.isEmpty()) {
            LOG.info("Snapshot: dropping columns {}", drop);
            spark.sql("ALTER TABLE " + table + " DROP COLUMNS ("
                    + drop.stream().map(Columns::quoted).collect(Collectors.joining(", ")) + ")");
        }
        if (!add.isEmpty()) {
            LOG.info("Snapshot: adding columns {}", add.stream().map(StructField::name).toList());
            spark.sql("ALTER TABLE " + table + " ADD COLUMNS ("
                    + add.stream().map(field -> Columns.quoted(field.name()) + " " + field.dataType().sql())
                            .collect(Collectors.joining(", ")) + ")");
        }
    }
}

package io.backflow.state;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Creates Backflow's Delta tables. All of them use column mapping by name, because model columns may
 * be named anything the warehouse allows ({@code "first name"}, {@code "a=b"}), while Delta without
 * column mapping rejects spaces and {@code ,;{}()=} in column names.
 */
final class DeltaTables {

    private static final String COLUMN_MAPPING = "delta.columnMapping.mode";

    private DeltaTables() {
    }

    /**
     * Creates a new table at {@code path} holding {@code rows}, with extra table properties, in one commit (a
     * create, then an append, would be two Delta commits, each with its own log read and write).
     */
    static void createWith(String path, Dataset<Row> rows, java.util.Map<String, String> properties) {
        org.apache.spark.sql.CreateTableWriter<Row> writer = rows.writeTo("delta.`" + path.replace("`", "``") + "`")
                .using("delta").tableProperty(COLUMN_MAPPING, "name");
        for (java.util.Map.Entry<String, String> property : properties.entrySet()) {
            writer = writer.tableProperty(property.getKey(), property.getValue());
        }
        try {
            writer.create();
        } catch (org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException e) {
            // Callers write each such table once (a plan per run id), so this is a bug, not bad input.
            throw new IllegalStateException("A Delta table already exists at " + path, e);
        }
    }

    /**
     * Overwrites the table at {@code path} with {@code rows} (which may read that table: Delta reads the version
     * before) and their schema, then sets the given properties: two commits. An overwrite rather than a
     * {@code REPLACE TABLE}, which would give the table a new id and so break its readers (Delta refuses a
     * transaction that sees the id change under it).
     */
    static void overwriteWith(SparkSession spark, String path, Dataset<Row> rows,
            java.util.Map<String, String> properties) {
        rows.write().format("delta").mode("overwrite").option("overwriteSchema", "true").save(path);
        String assignments = properties.entrySet().stream()
                .map(property -> "'" + property.getKey().replace("'", "\\'") + "' = '"
                        + property.getValue().replace("'", "\\'") + "'")
                .collect(java.util.stream.Collectors.joining(", "));
        spark.sql("ALTER TABLE delta.`" + path.replace("`", "``") + "` SET TBLPROPERTIES (" + assignments + ")");
    }

    /** Creates an empty table at {@code path} with {@code schema} unless one exists. */
    static void createIfMissing(SparkSession spark, String path, StructType schema, boolean deletionVectors) {
        createIfMissing(spark, path, schema, deletionVectors, java.util.Map.of());
    }

    /** As {@link #createIfMissing(SparkSession, String, StructType, boolean)}, with extra table properties. */
    static void createIfMissing(SparkSession spark, String path, StructType schema, boolean deletionVectors,
            java.util.Map<String, String> properties) {
        if (DeltaTable.isDeltaTable(spark, path)) {
            return;
        }
        io.delta.tables.DeltaTableBuilder builder = DeltaTable.createIfNotExists(spark).location(path)
                .addColumns(schema)
                .property(COLUMN_MAPPING, "name");
        for (java.util.Map.Entry<String, String> property : properties.entrySet()) {
            builder = builder.property(property.getKey(), property.getValue());
        }
        if (deletionVectors) {
            // Deletion vectors let the commit's delete-only MERGE mark removed rows instead of rewriting
            // whole files: it writes in proportion to the changes, though it still reads the key column.
            builder = builder.property("delta.enableDeletionVectors", "true");
        }
        builder.execute();
    }
}

package io.backflow.state;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Creates Backflow's Delta tables. All of them use column mapping by name, because model columns may
 * be named anything the warehouse allows ({@code "first name"}, {@code "a=b"}), while Delta without
 * column mapping rejects spaces and {@code ,;{}()=} in column names.
 */
final class DeltaTables {

    private DeltaTables() {
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
                .property("delta.columnMapping.mode", "name");
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

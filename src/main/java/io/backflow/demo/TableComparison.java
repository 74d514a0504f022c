package io.backflow.demo;

import io.backflow.config.PostgresConfig;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.Properties;

/**
 * Compares a destination table with the model, row for row and value for value, with Spark reading
 * the table over JDBC in parallel. Used by the demo to prove the sync converged.
 */
public final class TableComparison {

    private TableComparison() {
    }

    /**
     * Rows of the model missing from the table plus rows of the table missing from the model, over the
     * model's columns; 0 means equal.
     */
    public static long differences(SparkSession spark, Dataset<Row> model, PostgresConfig destination,
            String keyColumn) {
        Properties properties = new Properties();
        properties.setProperty("user", destination.user());
        destination.password().ifPresent(secret -> properties.setProperty("password", secret.value()));
        Dataset<Row> table = spark.read()
                .option("partitionColumn", keyColumn).option("lowerBound", "0")
                .option("upperBound", String.valueOf(model.count())).option("numPartitions", "4")
                .jdbc(destination.url(), quotedTable(destination), properties)
                .select(model.columns()[0], java.util.Arrays.copyOfRange(model.columns(), 1, model.columns().length));
        Dataset<Row> aligned = model.selectExpr(model.columns());
        return aligned.exceptAll(table).count() + table.exceptAll(aligned).count();
    }

    private static String quotedTable(PostgresConfig destination) {
        String table = "\"" + destination.table().replace("\"", "\"\"") + "\"";
        return destination.schema().map(schema -> "\"" + schema.replace("\"", "\"\"") + "\"." + table).orElse(table);
    }
}

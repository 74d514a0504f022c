package io.backflow.source;

import io.backflow.BackflowException;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import io.backflow.config.SourceConfig;

/** Builds the {@link Source} a config describes, and reads it. */
public final class Sources {

    private Sources() {
    }

    /**
     * The model's rows (lazy), with the schema resolved now: a model Spark cannot find or read is bad input, told
     * as one line naming the config key, not a stack trace.
     *
     * @param syncName for messages
     * @throws BackflowException {@code INVALID_INPUT} for a path that does not exist or cannot be read, a wrong
     *     format, a missing catalog table, or a query Spark cannot analyse
     */
    public static Dataset<Row> read(SparkSession spark, String syncName, SourceConfig config) {
        Source source = create(config);
        try {
            Dataset<Row> rows = source.load(spark);
            rows.schema();
            return rows;
        } catch (BackflowException e) {
            throw e;
        } catch (Exception e) {
            // AnalysisException (a missing path or table, a bad query) and a reader's own errors (a wrong format)
            // surface here, thrown undeclared from Scala.
            if (!(e instanceof AnalysisException) && !(e instanceof org.apache.spark.SparkException)
                    && !(e instanceof IllegalArgumentException) && !(e instanceof UnsupportedOperationException)) {
                throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
            }
            throw new BackflowException(BackflowException.Category.INVALID_INPUT, "Cannot read the model of '"
                    + syncName + "': " + key(config) + " (" + source.describe() + ") could not be read: "
                    + firstLine(e) + ". Nothing was sent.", e);
        }
    }

    private static String key(SourceConfig config) {
        if (config instanceof SourceConfig.Table table) {
            return table.path().isPresent() ? "source.path '" + table.path().get() + "'"
                    : "source.table '" + table.table().orElseThrow() + "'";
        }
        if (config instanceof SourceConfig.Snowflake snowflake) {
            return snowflake.query().isPresent() ? "source.query" : "source.table '" + snowflake.table().orElse("") + "'";
        }
        return "source.query";
    }

    private static String firstLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message).strip();
    }

    public static Source create(SourceConfig config) {
        // Java 17 has no pattern switch over sealed types; the chain covers every permitted subtype.
        if (config instanceof SourceConfig.Table table) {
            return new TableSource(table);
        }
        if (config instanceof SourceConfig.Sql sql) {
            return new SqlSource(sql.query());
        }
        if (config instanceof SourceConfig.Snowflake snowflake) {
            return new SnowflakeSource(snowflake);
        }
        throw new IllegalArgumentException("Unknown source config " + config.getClass().getName());
    }
}

package io.backflow.config;

import java.util.Map;
import java.util.Optional;

/** Where the model's rows come from. */
public sealed interface SourceConfig {

    /**
     * Any Spark-readable table: a path in a format ({@code delta}, {@code parquet}, {@code csv}, …) or a
     * catalog table.
     *
     * @param format the Spark data source format; empty for a catalog table
     * @param path a path to read; empty when {@code table} is set
     * @param table a catalog table name; empty when {@code path} is set
     * @param options passed to the Spark reader as they are
     */
    record Table(Optional<String> format, Optional<String> path, Optional<String> table, Map<String, String> options)
            implements SourceConfig {
        public Table {
            options = Map.copyOf(options);
        }

        /** Masks option values that look like credentials (a jdbc source's password), for logs. */
        @Override
        public String toString() {
            return "Table[format=" + format.orElse("") + ", path=" + path.orElse("") + ", table=" + table.orElse("")
                    + ", options=" + Secret.maskOptions(options) + "]";
        }
    }

    /** A Spark SQL query over tables the session can see. */
    record Sql(String query) implements SourceConfig {
    }

    /**
     * A Snowflake query or table read through the spark-snowflake connector.
     *
     * @param options connector options ({@code sfURL}, {@code sfUser}, …); secrets already resolved
     * @param query a query to run in Snowflake; empty when {@code table} is set
     * @param table a table to read; empty when {@code query} is set
     */
    record Snowflake(Map<String, String> options, Optional<String> query, Optional<String> table)
            implements SourceConfig {
        public Snowflake {
            options = Map.copyOf(options);
        }

        /** Masks option values that look like credentials, so the config can be logged. */
        @Override
        public String toString() {
            return "Snowflake[options=" + Secret.maskOptions(options) + ", query=" + query.orElse("")
                    + ", table=" + table.orElse("") + "]";
        }
    }
}

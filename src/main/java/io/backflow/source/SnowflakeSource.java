package io.backflow.source;

import io.backflow.config.Secret;
import io.backflow.config.SourceConfig;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Snowflake query or table read through the spark-snowflake connector. The user's connector options
 * pass through unchanged; Backflow adds the query or table and turns query pushdown on unless the user
 * set it, so filters and projections run inside Snowflake.
 */
public final class SnowflakeSource implements Source {

    /** The connector's data source name. */
    public static final String FORMAT = "net.snowflake.spark.snowflake";

    private final SourceConfig.Snowflake config;

    public SnowflakeSource(SourceConfig.Snowflake config) {
        this.config = config;
    }

    /** The exact options given to the connector (secrets included: never log this map). */
    public Map<String, String> readerOptions() {
        Map<String, String> options = new LinkedHashMap<>(config.options());
        config.query().ifPresent(query -> options.put("query", query));
        config.table().ifPresent(table -> options.put("dbtable", table));
        options.putIfAbsent("autopushdown", "on");
        return options;
    }

    @Override
    public Dataset<Row> load(SparkSession spark) {
        return spark.read().format(FORMAT).options(readerOptions()).load();
    }

    @Override
    public String describe() {
        return "Snowflake " + config.query().map(query -> "query").orElse("table " + config.table().orElse(""))
                + " with options " + Secret.maskOptions(config.options());
    }
}

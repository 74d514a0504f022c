package io.backflow.source;

import io.backflow.config.SourceConfig;

/** Builds the {@link Source} a config describes. */
public final class Sources {

    private Sources() {
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

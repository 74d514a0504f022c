package io.backflow.source;

import io.backflow.config.SourceConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SnowflakeSourceTest {

    private static final Map<String, String> CONNECTION = Map.of("sfURL", "acme.snowflakecomputing.com",
            "sfUser", "loader", "sfPassword", "pw-secret", "sfDatabase", "ANALYTICS", "sfSchema", "MARTS",
            "sfWarehouse", "WH");

    @Test
    void passesConnectorOptionsThroughAndAddsTheQueryWithPushdownOn() {
        SnowflakeSource source = new SnowflakeSource(new SourceConfig.Snowflake(CONNECTION,
                Optional.of("SELECT id, score FROM churn"), Optional.empty()));

        assertThat(source.readerOptions())
                .containsAllEntriesOf(CONNECTION)
                .containsEntry("query", "SELECT id, score FROM churn")
                .containsEntry("autopushdown", "on")
                .doesNotContainKey("dbtable");
    }

    @Test
    void readsATableThroughDbtable() {
        SnowflakeSource source = new SnowflakeSource(new SourceConfig.Snowflake(CONNECTION, Optional.empty(),
                Optional.of("MARTS.CHURN")));

        assertThat(source.readerOptions()).containsEntry("dbtable", "MARTS.CHURN").doesNotContainKey("query");
    }

    @Test
    void keepsTheUsersPushdownChoice() {
        Map<String, String> options = new java.util.HashMap<>(CONNECTION);
        options.put("autopushdown", "off");
        SnowflakeSource source = new SnowflakeSource(new SourceConfig.Snowflake(options, Optional.of("SELECT 1"),
                Optional.empty()));

        assertThat(source.readerOptions()).containsEntry("autopushdown", "off");
    }

    @Test
    void describesItselfWithoutTheSecret() {
        SnowflakeSource source = new SnowflakeSource(new SourceConfig.Snowflake(CONNECTION, Optional.of("SELECT 1"),
                Optional.empty()));

        assertThat(source.describe()).contains("sfUser=loader").contains("sfPassword=******")
                .doesNotContain("pw-secret");
        assertThat(SnowflakeSource.FORMAT).isEqualTo("net.snowflake.spark.snowflake");
    }
}

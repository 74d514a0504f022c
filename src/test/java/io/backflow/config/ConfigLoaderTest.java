package io.backflow.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    private static final String VALID = String.join("\n",
            "name: customers_ltv",
            "source:",
            "  type: table",
            "  format: parquet",
            "  path: /data/customers_ltv",
            "key: [customer_id]",
            "columns: [email, lifetime_value]",
            "mode: mirror",
            "state_path: /var/lib/backflow",
            "writers: 4",
            "rate_limit: {requests_per_second: 20}",
            "guards: {max_delete_fraction: 0.1, max_change_fraction: 0.5}",
            "destination:",
            "  type: postgres",
            "  url: jdbc:postgresql://localhost:5432/app",
            "  user: app",
            "  password: ${env:APP_DB_PASSWORD}",
            "  table: public.customers",
            "  batch_size: 1000",
            "  create_table: true",
            "");

    private final ConfigLoader loader = new ConfigLoader(Map.of("APP_DB_PASSWORD", "s3cr3t-pw"));

    @Test
    void updateFieldsDefaultsByDestinationAndRejectsOtherValues() {
        assertThat(loader.parse(VALID, "inline").updateFields()).isEqualTo(UpdateFields.ALL);
        assertThat(loader.parse(VALID + "update_fields: changed\n", "inline").updateFields())
                .isEqualTo(UpdateFields.CHANGED);
        assertThat(UpdateFields.defaultFor("hubspot")).isEqualTo(UpdateFields.CHANGED);
        assertThat(UpdateFields.defaultFor("salesforce")).isEqualTo(UpdateFields.CHANGED);
        assertThat(UpdateFields.defaultFor("http")).isEqualTo(UpdateFields.CHANGED);
        assertThat(UpdateFields.defaultFor("files")).isEqualTo(UpdateFields.ALL);
        assertThatThrownBy(() -> loader.parse(VALID + "update_fields: some\n", "inline"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("update_fields: 'some' is not allowed; use changed");
    }

    @Test
    void commandsThatReadOnlyStateNeedNoSecret() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).parse(VALID, "inline"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("environment variable 'APP_DB_PASSWORD' is not set");

        SyncConfig config = ConfigLoader.forStateOnly(Map.of()).parse(VALID, "inline");

        assertThat(config.syncStatePath()).isEqualTo("/var/lib/backflow/customers_ltv");
    }

    @Test
    void parsesTheDocumentedContractIntoTypedValues() {
        SyncConfig config = loader.parse(VALID, "inline");

        assertThat(config.name()).isEqualTo("customers_ltv");
        assertThat(config.source()).isInstanceOf(SourceConfig.Table.class);
        assertThat(config.key()).containsExactly("customer_id");
        assertThat(config.columns()).contains(List.of("email", "lifetime_value"));
        assertThat(config.mode()).isEqualTo(SyncMode.MIRROR);
        assertThat(config.syncStatePath()).isEqualTo("/var/lib/backflow/customers_ltv");
        assertThat(config.rateLimit()).contains(new RateLimit(20));
        assertThat(config.guards()).isEqualTo(new Guards(0.1, 0.5));
        PostgresConfig postgres = (PostgresConfig) config.destination();
        assertThat(postgres.password().orElseThrow().value()).isEqualTo("s3cr3t-pw");
        assertThat(postgres.schema()).contains("public");
        assertThat(postgres.table()).isEqualTo("customers");
        assertThat(postgres.batchSize()).isEqualTo(1000);
        assertThat(postgres.createTable()).isTrue();
    }

    @Test
    void appliesDefaultsForOptionalKeys() {
        SyncConfig config = loader.parse(String.join("\n",
                "name: s", "source: {type: sql, query: 'SELECT 1 AS id'}", "key: id", "state_path: /tmp/s",
                "destination: {type: postgres, url: 'jdbc:postgresql://h/db', user: u, table: t}"), "inline");

        assertThat(config.mode()).isEqualTo(SyncMode.UPSERT);
        assertThat(config.writers()).isEqualTo(SyncConfig.DEFAULT_WRITERS);
        assertThat(config.columns()).isEmpty();
        assertThat(config.rateLimit()).isEmpty();
        assertThat(config.guards()).isEqualTo(Guards.defaults());
        assertThat(config.retry()).isEqualTo(RetryPolicy.defaults());
        assertThat(((PostgresConfig) config.destination()).batchSize()).isEqualTo(PostgresConfig.DEFAULT_BATCH_SIZE);
    }

    @Test
    void reportsEveryProblemAtOnceWithKeyValueAndWhatIsAllowed() {
        String broken = String.join("\n",
                "name: customers",
                "source: {type: table, format: parquet}",
                "key: [id]",
                "columns: [id, email, email]",
                "mode: replace",
                "writers: 0",
                "guards: {max_delete_fraction: 2}",
                "destinaton: {}",
                "");

        assertThatThrownBy(() -> loader.parse(broken, "'conf/broken.yaml'"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Invalid sync config 'conf/broken.yaml': ")
                .hasMessageContaining("destinaton: unknown key; allowed here: ")
                .hasMessageContaining("source.path: give exactly one of 'path' (with 'format') or 'table'")
                .hasMessageContaining("columns: 'id' is a key column")
                .hasMessageContaining("columns: 'email' is listed twice")
                .hasMessageContaining("mode: 'replace' is not a mode; allowed: upsert, update, insert, mirror")
                .hasMessageContaining("state_path: missing")
                .hasMessageContaining("writers: must be a whole number from 1 to 10000, got '0'")
                .hasMessageContaining("guards.max_delete_fraction: must be a number from 0.0 to 1.0, got '2'")
                .hasMessageContaining("destination: missing")
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(9));
    }

    @Test
    void rejectsUnknownKeysInsideSectionsAndUnknownTypes() {
        String typo = VALID.replace("batch_size: 1000", "batch_sise: 1000").replace("type: table", "type: tabel");

        assertThatThrownBy(() -> loader.parse(typo, "inline"))
                .hasMessageContaining("destination.batch_sise: unknown key")
                .hasMessageContaining("source.type: 'tabel' is not a source type; allowed: table, sql, snowflake");
    }

    @Test
    void namesAMissingEnvironmentVariableWithoutFailingOnTheRest() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).parse(VALID, "inline"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("destination.password: environment variable 'APP_DB_PASSWORD' is not set");
    }

    @Test
    void readsSecretsFromFilesAndNeverPrintsThem(@TempDir Path directory) throws IOException {
        Path secret = Files.writeString(directory.resolve("pw"), "from-a-file\n");
        String yaml = VALID.replace("${env:APP_DB_PASSWORD}", "${file:" + secret + "}")
                .replace("jdbc:postgresql://localhost:5432/app", "jdbc:postgresql://localhost:5432/app?password=inurl");

        SyncConfig config = loader.parse(yaml, "inline");

        assertThat(((PostgresConfig) config.destination()).password().orElseThrow().value()).isEqualTo("from-a-file");
        assertThat(config.toString()).doesNotContain("from-a-file").doesNotContain("inurl").contains("******");
    }

    @Test
    void masksSnowflakeCredentialsWhenPrinted() {
        String yaml = String.join("\n",
                "name: churn",
                "source:",
                "  type: snowflake",
                "  options: {sfURL: acme.snowflakecomputing.com, sfUser: loader, sfPassword: '${env:SF_PASSWORD}',",
                "            sfDatabase: ANALYTICS, sfSchema: MARTS, sfWarehouse: TRANSFORM}",
                "  query: SELECT customer_id, churn_score FROM churn_scores",
                "key: [customer_id]",
                "state_path: /tmp/state",
                "destination: {type: postgres, url: 'jdbc:postgresql://h/db', user: u, table: t}");

        SyncConfig config = new ConfigLoader(Map.of("SF_PASSWORD", "sf-secret")).parse(yaml, "inline");

        SourceConfig.Snowflake snowflake = (SourceConfig.Snowflake) config.source();
        assertThat(snowflake.options()).containsEntry("sfPassword", "sf-secret");
        assertThat(config.toString()).doesNotContain("sf-secret").contains("sfPassword=******");
    }

    @Test
    void explainsWhyMirrorNeedsQueryOrTableForSnowflake() {
        String yaml = String.join("\n",
                "name: churn", "source: {type: snowflake, options: {sfURL: x}}", "key: [id]", "state_path: /s",
                "destination: {type: postgres, url: 'jdbc:postgresql://h/db', user: u, table: t}");

        assertThatThrownBy(() -> loader.parse(yaml, "inline"))
                .hasMessageContaining("source.options.sfUser: missing; the Snowflake connector needs it")
                .hasMessageContaining("source.query: give exactly one of 'query' or 'table'");
    }

    @Test
    void rejectsTextThatIsNotAMapping() {
        assertThatThrownBy(() -> loader.parse("- just\n- a list\n", "inline"))
                .hasMessageContaining("the file must be a YAML mapping");
        assertThatThrownBy(() -> loader.parse("name: [unclosed", "inline"))
                .hasMessageContaining("not valid YAML");
    }
}

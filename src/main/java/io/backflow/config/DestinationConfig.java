package io.backflow.config;

import java.io.Serializable;

/** Where changes are sent. Serializable: shipped to the executors that run the writers. */
public sealed interface DestinationConfig extends Serializable permits PostgresConfig, HttpConfig, HubSpotConfig, SalesforceConfig, FilesConfig {

    /** The config spelling of this destination's type. */
    String type();

    /** Changes per request; turns {@code rate_limit.records_per_second} into requests per second. */
    int batchSize();

    /** Whether this destination can delete rows (required by mode {@code mirror}). */
    boolean canDelete();
}

package io.backflow.load;

import io.backflow.config.DestinationConfig;
import io.backflow.config.FilesConfig;
import io.backflow.config.HttpConfig;
import io.backflow.config.HubSpotConfig;
import io.backflow.config.PostgresConfig;
import io.backflow.config.SalesforceConfig;
import io.backflow.load.files.FilesDestination;
import io.backflow.load.http.GenericJsonApi;
import io.backflow.load.http.HttpDestination;
import io.backflow.load.http.HttpSettings;
import io.backflow.load.hubspot.HubSpotApi;
import io.backflow.load.postgres.PostgresDestination;
import io.backflow.load.salesforce.SalesforceApi;

/** Builds the {@link Destination} a config describes. */
public final class Destinations {

    private Destinations() {
    }

    public static Destination create(DestinationConfig config) {
        // Java 17 has no pattern switch over sealed types; the chain covers every permitted subtype.
        if (config instanceof PostgresConfig postgres) {
            return new PostgresDestination(postgres);
        } else if (config instanceof HttpConfig http) {
            return new HttpDestination(new GenericJsonApi(http), new HttpSettings(http.headers(), http.timeout()),
                    http.batchSize());
        } else if (config instanceof HubSpotConfig hubspot) {
            return new HttpDestination(new HubSpotApi(hubspot), HttpSettings.bearer(hubspot.token(), hubspot.timeout()),
                    hubspot.batchSize());
        } else if (config instanceof SalesforceConfig salesforce) {
            return new HttpDestination(new SalesforceApi(salesforce),
                    HttpSettings.bearer(salesforce.token(), salesforce.timeout()), salesforce.batchSize());
        } else if (config instanceof FilesConfig files) {
            return new FilesDestination(files);
        }
        throw new IllegalArgumentException("Unknown destination config " + config.getClass().getName());
    }
}

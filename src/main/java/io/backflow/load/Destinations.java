package io.backflow.load;

import io.backflow.config.DestinationConfig;
import io.backflow.config.PostgresConfig;
import io.backflow.load.postgres.PostgresDestination;

/** Builds the {@link Destination} a config describes. */
public final class Destinations {

    private Destinations() {
    }

    public static Destination create(DestinationConfig config) {
        // Java 17 has no pattern switch over sealed types; the chain covers every permitted subtype.
        if (config instanceof PostgresConfig postgres) {
            return new PostgresDestination(postgres);
        }
        throw new IllegalArgumentException("Unknown destination config " + config.getClass().getName());
    }
}

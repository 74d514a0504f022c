package io.backflow.cli;

import io.backflow.config.SyncConfig;
import io.backflow.load.Destinations;
import io.backflow.source.Sources;

import java.util.Locale;

/**
 * The resolved config as one readable log line: what the sync reads, where it writes and with which limits. It
 * holds no secret: the source and the destination describe themselves without credentials.
 */
final class ConfigDescription {

    private ConfigDescription() {
    }

    static String of(SyncConfig config) {
        return String.format(Locale.ROOT,
                "Sync '%s': %s -> %s; key %s, columns %s, mode %s, update_fields %s; %d writers, rate limit %s; "
                        + "guards: deletes <= %s, changes <= %s of the snapshot; retry: %d attempts, backoff %d-%d ms; "
                        + "lock %d min; state %s",
                config.name(), Sources.create(config.source()).describe(),
                Destinations.create(config.destination()).describe(), config.key(),
                config.columns().map(Object::toString).orElse("all non-key"), config.mode().configName(),
                config.updateFields().configName(), config.writers(),
                config.rateLimit().map(limit -> limit.requestsPerSecond() + " requests/s").orElse("none"),
                percent(config.guards().maxDeleteFraction()), percent(config.guards().maxChangeFraction()),
                config.retry().maxAttempts(), config.retry().initialBackoff().toMillis(),
                config.retry().maxBackoff().toMillis(), config.lockTimeout().toMinutes(), config.syncStatePath());
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.4g%%", fraction * 100).replaceAll("\\.?0+%$", "%");
    }
}

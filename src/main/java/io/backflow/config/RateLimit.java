package io.backflow.config;

import java.io.Serializable;

/**
 * A global limit on destination requests, shared by all writers of a run.
 *
 * @param requestsPerSecond the most requests (for PostgreSQL: batch transactions) all writers together
 *     may start in any one second; positive
 */
public record RateLimit(double requestsPerSecond) implements Serializable {
}

package io.backflow.load.http;

import io.backflow.config.Secret;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * How every request of a destination is made: headers sent with each request (authentication among them,
 * hence secrets) and the timeout for connecting and for a whole answer.
 *
 * @param headers header names to values
 * @param timeout the longest wait to connect and for an answer; a request that takes longer is retried
 */
public record HttpSettings(Map<String, Secret> headers, Duration timeout) implements Serializable {

    public HttpSettings {
        headers = Map.copyOf(headers);
    }

    /** Settings with one {@code Authorization: Bearer} header. */
    public static HttpSettings bearer(Secret token, Duration timeout) {
        return new HttpSettings(Map.of("Authorization", new Secret("Bearer " + token.value())), timeout);
    }

    @Override
    public String toString() {
        return "HttpSettings[headers=" + new TreeMap<>(headers) + ", timeout=" + timeout + "]";
    }
}

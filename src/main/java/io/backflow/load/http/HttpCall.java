package io.backflow.load.http;

import java.net.URI;
import java.util.Optional;

/**
 * One HTTP request to make: method, URI and an optional JSON body.
 *
 * @param method an HTTP method, e.g. {@code POST}
 * @param uri the absolute URI
 * @param body the JSON body, or empty for none
 */
public record HttpCall(String method, URI uri, Optional<byte[]> body) {

    public static HttpCall get(URI uri) {
        return new HttpCall("GET", uri, Optional.empty());
    }

    public static HttpCall withBody(String method, URI uri, byte[] body) {
        return new HttpCall(method, uri, Optional.of(body));
    }
}

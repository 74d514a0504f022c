package io.backflow.load.http;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Sends {@link HttpCall}s over one {@link HttpClient} (TLS with the JVM's trust store and hostname
 * checks; nothing is relaxed), with the destination's headers and timeout. HTTP/1.1, one request at a
 * time: a writer never has two requests in flight, so its rate is what its limiter allows.
 *
 * <p>Not thread-safe in the sense that one writer uses it; {@link #close()} releases the client.
 */
final class HttpTransport implements AutoCloseable {

    private final HttpSettings settings;
    private final HttpClient client;

    HttpTransport(HttpSettings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Makes the request and reads the whole answer, whatever its status.
     *
     * @throws IOException if the connection fails, drops or times out
     */
    HttpAnswer send(HttpCall call) throws IOException {
        HttpRequest.BodyPublisher body = call.body()
                .map(HttpRequest.BodyPublishers::ofByteArray)
                .orElseGet(HttpRequest.BodyPublishers::noBody);
        HttpRequest.Builder request = HttpRequest.newBuilder(call.uri())
                .timeout(settings.timeout())
                .header("Accept", "application/json")
                .method(call.method(), body);
        if (call.body().isPresent()) {
            request.header("Content-Type", "application/json");
        }
        settings.headers().forEach((name, value) -> request.header(name, value.value()));
        try {
            HttpResponse<String> response = client.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new HttpAnswer(response.statusCode(), response.body(),
                    response.headers().firstValue("Retry-After"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + call.method() + " " + HttpErrors.withoutQuery(call),
                    e);
        }
    }

    @Override
    public void close() {
        // HttpClient gained close() only in Java 21; on 17 its connections end with the client's garbage.
    }
}

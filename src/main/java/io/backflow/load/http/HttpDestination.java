package io.backflow.load.http;

import io.backflow.BackflowException;
import io.backflow.BackflowException.Category;
import io.backflow.load.ChangeLayout;
import io.backflow.load.Destination;
import io.backflow.load.PartitionWriter;

import java.io.IOException;
import java.time.Clock;

/**
 * An API taking JSON batches over HTTP(S): the generic {@code http} destination and the SaaS ones
 * ({@code hubspot}, {@code salesforce}) are this class with a different {@link HttpApi}.
 *
 * <p>Serializable and immutable: created on the driver, shipped to executors, where each partition opens
 * an {@link HttpPartitionWriter} with its own HTTP client.
 */
public final class HttpDestination implements Destination {

    private static final long serialVersionUID = 1L;

    private final HttpApi api;
    private final HttpSettings settings;
    private final int batchSize;
    private final Clock clock;

    public HttpDestination(HttpApi api, HttpSettings settings, int batchSize) {
        this(api, settings, batchSize, Clock.systemUTC());
    }

    /** @param clock reads the time for {@code Retry-After} dates (tests) */
    HttpDestination(HttpApi api, HttpSettings settings, int batchSize, Clock clock) {
        this.api = api;
        this.settings = settings;
        this.batchSize = batchSize;
        this.clock = clock;
    }

    /**
     * Checks the model fits the API's mapping, then makes the API's read-only check request: it proves the
     * server is reachable and accepts the credentials. Writes nothing.
     */
    @Override
    public void check(ChangeLayout layout) {
        api.checkLayout(layout);
        HttpCall call = api.checkRequest();
        HttpAnswer answer;
        try (HttpTransport transport = new HttpTransport(settings)) {
            answer = transport.send(call);
        } catch (IOException e) {
            throw new BackflowException(Category.TRANSIENT_DESTINATION, "Cannot reach " + api.describe() + ": "
                    + HttpErrors.fromException(call, e).getMessage(), e);
        }
        int status = answer.status();
        if (status == 401 || status == 403) {
            throw new BackflowException(Category.INVALID_CONFIG, "Cannot sync to " + api.describe()
                    + ": the credentials were refused (" + HttpErrors.fromAnswer(call, answer, clock).getMessage()
                    + "); check the token or headers in the destination config");
        }
        if (status >= 500 || status == 429) {
            throw new BackflowException(Category.TRANSIENT_DESTINATION, "Cannot check " + api.describe() + ": "
                    + HttpErrors.fromAnswer(call, answer, clock).getMessage());
        }
        if (!answer.isSuccess()) {
            throw new BackflowException(Category.INVALID_CONFIG, "Cannot sync to " + api.describe() + ": "
                    + HttpErrors.fromAnswer(call, answer, clock).getMessage() + "; check the URL and object names");
        }
    }

    /** Nothing to create at an API: the same as {@link #check}. */
    @Override
    public void prepare(ChangeLayout layout) {
        check(layout);
    }

    @Override
    public PartitionWriter openWriter(ChangeLayout layout) {
        return new HttpPartitionWriter(api, layout, settings, clock);
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public String describe() {
        return api.describe();
    }
}

package io.backflow.load.http;

import io.backflow.diff.Operation;
import io.backflow.load.Change;
import io.backflow.load.ChangeLayout;
import io.backflow.load.PartitionWriter;
import io.backflow.load.RecordOutcome;

import java.io.IOException;
import java.time.Clock;
import java.util.List;

/**
 * Sends each batch as one HTTP request shaped by an {@link HttpApi}: a 2xx answer is read for per-record
 * results, anything else becomes a transient or permanent {@link io.backflow.load.DestinationException}
 * ({@link HttpErrors}). Upserts and deletes go to different endpoints, so a batch holds one operation.
 * Every request is an upsert or a delete by key, so resending one is harmless.
 */
final class HttpPartitionWriter implements PartitionWriter {

    private final HttpApi api;
    private final ChangeLayout layout;
    private final HttpTransport transport;
    private final Clock clock;

    HttpPartitionWriter(HttpApi api, ChangeLayout layout, HttpSettings settings, Clock clock) {
        this.api = api;
        this.layout = layout;
        this.transport = new HttpTransport(settings);
        this.clock = clock;
    }

    @Override
    public List<RecordOutcome> send(List<Change> batch) {
        Operation operation = batch.get(0).operation();
        HttpCall call = api.request(operation, batch, layout);
        HttpAnswer answer;
        try {
            answer = transport.send(call);
        } catch (IOException e) {
            throw HttpErrors.fromException(call, e);
        }
        if (!answer.isSuccess()) {
            throw HttpErrors.fromAnswer(call, answer, clock);
        }
        return api.outcomes(operation, batch, layout, answer);
    }

    @Override
    public boolean oneOperationPerRequest() {
        return true;
    }

    @Override
    public void close() {
        transport.close();
    }
}

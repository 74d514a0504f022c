package io.backflow.load.http;

import io.backflow.diff.Operation;
import io.backflow.load.Change;
import io.backflow.load.ChangeLayout;
import io.backflow.load.PartitionWriter;
import io.backflow.load.RecordOutcome;
import io.backflow.load.RequestPermits;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Sends each batch as one HTTP request shaped by an {@link HttpApi}: a 2xx answer is read for per-record
 * results, anything else becomes a transient or permanent {@link io.backflow.load.DestinationException}
 * ({@link HttpErrors}). Upserts and deletes go to different endpoints, so a batch holds one operation.
 * Every request is an upsert or a delete by key, so resending one is harmless. An {@link IdLookupApi}
 * deletes in two requests, a lookup then the delete, each with its own rate-limit permit.
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
        return send(batch, RequestPermits.NONE);
    }

    @Override
    public List<RecordOutcome> send(List<Change> batch, RequestPermits permits) {
        Operation operation = batch.get(0).operation();
        if (operation == Operation.DELETE && api instanceof IdLookupApi lookup) {
            return deleteByLookup(lookup, batch, permits);
        }
        HttpCall call = api.request(operation, batch, layout);
        return api.outcomes(operation, batch, layout, exchange(call));
    }

    /**
     * Finds the records' ids (the first request, whose permit the caller took), then deletes the ones found
     * with a second request and a second permit. Records not found are already gone: delivered.
     */
    private List<RecordOutcome> deleteByLookup(IdLookupApi lookup, List<Change> batch, RequestPermits permits) {
        String key = layout.key().get(0);
        List<String> keys = batch.stream().map(change -> RecordJson.text(layout, change.row(), key)).toList();
        IdLookupApi.Found found = lookup.found(keys, layout, exchange(lookup.lookupRequest(keys, layout)));
        List<RecordOutcome> outcomes = new ArrayList<>(found.failed());
        List<String> ids = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        new TreeMap<>(found.ids()).forEach((index, recordIds) -> recordIds.forEach(id -> {
            ids.add(id);
            owners.add(index);
        }));
        if (ids.isEmpty()) {
            return outcomes;
        }
        permits.acquire();
        Set<Integer> failed = new HashSet<>();
        for (RecordOutcome outcome : lookup.deleteOutcomes(ids, exchange(lookup.deleteRequest(ids)))) {
            int index = owners.get(outcome.index());
            if (failed.add(index)) {
                outcomes.add(outcome.atIndex(index));
            }
        }
        return outcomes;
    }

    /** Makes one request; a non-2xx answer or a transport failure becomes a {@code DestinationException}. */
    private HttpAnswer exchange(HttpCall call) {
        HttpAnswer answer;
        try {
            answer = transport.send(call);
        } catch (IOException e) {
            throw HttpErrors.fromException(call, e);
        }
        if (!answer.isSuccess()) {
            throw HttpErrors.fromAnswer(call, answer, clock);
        }
        return answer;
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

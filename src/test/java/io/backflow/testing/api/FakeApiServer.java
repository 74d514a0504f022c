package io.backflow.testing.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A local HTTP server that behaves like a SaaS batch API, with a {@link FakeApiDialect} for the API's
 * shapes. In the order a real API checks them, it enforces: a bearer token (401), a token-bucket rate
 * limit answering 429 with {@code Retry-After} (every such answer counted), the batch size limit (400),
 * then, at a configured rate from a seeded random, fails requests like a flaky API: a 500, a 502, a 503,
 * or a dropped connection (before or after applying the batch, since a real API may die either way).
 * Finally it validates each record with a configurable rule and applies the accepted ones, keeping the
 * final state per id for comparison with the model. A record whose id is stored already is merged into it,
 * as HubSpot's and Salesforce's upserts update a record: the fields it names take its values, every other
 * field keeps the stored one (so a field {@link #editByHand edited at the API} survives an update of another).
 */
public final class FakeApiServer implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** A field a dialect adds to a record's fields when the record breaks the API's own rules. */
    public static final String INVALID = "_invalid";

    private final FakeApiDialect dialect;
    private final String token;
    private final int maxBatch;
    private final TokenBucket bucket;
    private final double failureRate;
    private final Random random;
    private volatile Function<ObjectNode, Optional<String>> validator = fields -> Optional.empty();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);

    private final Map<String, ObjectNode> records = new ConcurrentHashMap<>();
    private final List<Long> writeArrivalNanos = new ArrayList<>();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong lookups = new AtomicLong();
    private final AtomicLong tooManyRequests = new AtomicLong();
    private final AtomicLong unauthorized = new AtomicLong();
    private final AtomicLong oversize = new AtomicLong();
    private final AtomicLong injectedFailures = new AtomicLong();
    private final AtomicLong refusedRecords = new AtomicLong();

    /**
     * @param requestsPerSecond the rate limit (a bucket of that many tokens, refilled at that rate); 0 for none
     * @param failureRate the fraction of write requests failed on purpose
     * @param seed seeds the failure injection
     */
    public FakeApiServer(FakeApiDialect dialect, String token, int maxBatch, double requestsPerSecond,
            double failureRate, long seed) {
        this.dialect = dialect;
        this.token = token;
        this.maxBatch = maxBatch;
        this.bucket = requestsPerSecond > 0 ? new TokenBucket(requestsPerSecond) : null;
        this.failureRate = failureRate;
        this.random = new Random(seed);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the fake API", e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Refuses records for which the rule returns a message (the API's validation error). */
    public void refuse(Function<ObjectNode, Optional<String>> rule) {
        this.validator = rule;
    }

    public void acceptEverything() {
        this.validator = fields -> Optional.empty();
    }

    /** Removes a record as if someone else had deleted it at the API. */
    public void forget(String id) {
        records.remove(id);
    }

    /**
     * Sets one field of a stored record, as someone editing it in the API's own interface would.
     *
     * @throws IllegalArgumentException if no record has that id
     */
    public void editByHand(String id, String field, String value) {
        if (records.computeIfPresent(id, (key, stored) -> stored.deepCopy().put(field, value)) == null) {
            throw new IllegalArgumentException("no record with id " + id + " to edit; stored: " + records.keySet());
        }
    }

    /** The stored records by id. */
    public Map<String, ObjectNode> records() {
        return Map.copyOf(records);
    }

    public long writes() {
        return writes.get();
    }

    /** The lookup requests (reads of record ids before a delete); counted in {@link #writes} as well. */
    public long lookups() {
        return lookups.get();
    }

    public long reads() {
        return reads.get();
    }

    public long tooManyRequests() {
        return tooManyRequests.get();
    }

    public long unauthorized() {
        return unauthorized.get();
    }

    public long oversize() {
        return oversize.get();
    }

    public long injectedFailures() {
        return injectedFailures.get();
    }

    public long refusedRecords() {
        return refusedRecords.get();
    }

    /** Arrival times (System.nanoTime) of the write requests that passed auth, in arrival order. */
    public List<Long> writeArrivals() {
        synchronized (writeArrivalNanos) {
            return List.copyOf(writeArrivalNanos);
        }
    }

    /** The most write requests that arrived within any one second. */
    public int maxWritesInOneSecond() {
        List<Long> arrivals = new ArrayList<>(writeArrivals());
        arrivals.sort(Long::compare);
        int most = 0;
        int start = 0;
        for (int end = 0; end < arrivals.size(); end++) {
            while (arrivals.get(end) - arrivals.get(start) >= 1_000_000_000L) {
                start++;
            }
            most = Math.max(most, end - start + 1);
        }
        return most;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long arrival = System.nanoTime();
        // Closing an exchange that has sent no answer closes its connection: that is how a drop is injected.
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            FakeApiDialect.Route route = dialect.route(exchange.getRequestMethod(), exchange.getRequestURI().toString());
            if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                unauthorized.incrementAndGet();
                respond(exchange, dialect.unauthorized(), null);
                return;
            }
            if (route == FakeApiDialect.Route.UNKNOWN) {
                respond(exchange, new FakeApiDialect.Answer(404, "{\"message\":\"no such endpoint\"}"), null);
                return;
            }
            if (route == FakeApiDialect.Route.READ) {
                reads.incrementAndGet();
                respond(exchange, dialect.read(), null);
                return;
            }
            writes.incrementAndGet();
            if (route == FakeApiDialect.Route.LOOKUP) {
                lookups.incrementAndGet();
            }
            synchronized (writeArrivalNanos) {
                writeArrivalNanos.add(arrival);
            }
            if (bucket != null) {
                long waitMillis = bucket.take(arrival);
                if (waitMillis > 0) {
                    tooManyRequests.incrementAndGet();
                    respond(exchange, new FakeApiDialect.Answer(429, "{\"message\":\"rate limit exceeded\"}"),
                            String.valueOf(Math.max(1, (waitMillis + 999) / 1000)));
                    return;
                }
            }
            List<JsonNode> batch;
            try {
                batch = dialect.records(route, exchange.getRequestURI().toString(),
                        body.length == 0 ? MAPPER.missingNode() : MAPPER.readTree(body));
            } catch (IllegalArgumentException e) {
                respond(exchange, new FakeApiDialect.Answer(400, MAPPER.createObjectNode()
                        .put("message", e.getMessage()).toString()), null);
                return;
            }
            if (batch.size() > maxBatch) {
                oversize.incrementAndGet();
                respond(exchange, dialect.oversize(batch.size(), maxBatch), null);
                return;
            }
            Failure failure = nextFailure();
            if (failure == Failure.STATUS_500 || failure == Failure.STATUS_502 || failure == Failure.STATUS_503) {
                int status = failure == Failure.STATUS_500 ? 500 : failure == Failure.STATUS_502 ? 502 : 503;
                respond(exchange, new FakeApiDialect.Answer(status, "{\"message\":\"injected failure\"}"), null);
                return;
            }
            if (failure == Failure.DROP_BEFORE_APPLYING) {
                return;
            }
            FakeApiDialect.Answer answer = apply(route, batch);
            if (failure == Failure.DROP_AFTER_APPLYING) {
                return;
            }
            respond(exchange, answer, null);
        }
    }

    private FakeApiDialect.Answer apply(FakeApiDialect.Route route, List<JsonNode> batch) {
        if (route == FakeApiDialect.Route.LOOKUP) {
            return dialect.lookup(batch, Map.copyOf(records));
        }
        if (route == FakeApiDialect.Route.DELETE) {
            List<Boolean> existed = new ArrayList<>();
            batch.forEach(record -> existed.add(records.remove(dialect.deletedKey(record)) != null));
            return dialect.deleted(batch, existed);
        }
        List<Optional<String>> errors = new ArrayList<>();
        for (JsonNode record : batch) {
            ObjectNode fields = dialect.fields(record);
            Optional<String> error = fields.has(INVALID) ? Optional.of(fields.path(INVALID).asText())
                    : validator.apply(fields);
            errors.add(error);
        }
        long refused = errors.stream().filter(Optional::isPresent).count();
        refusedRecords.addAndGet(refused);
        if (refused == 0 || dialect.appliesPartially()) {
            for (int i = 0; i < batch.size(); i++) {
                if (errors.get(i).isEmpty()) {
                    records.merge(dialect.id(batch.get(i)), dialect.fields(batch.get(i)),
                            (old, update) -> old.deepCopy().setAll(update));
                }
            }
        }
        return dialect.answer(batch, errors);
    }

    private enum Failure { NONE, STATUS_500, STATUS_502, STATUS_503, DROP_BEFORE_APPLYING, DROP_AFTER_APPLYING }

    private Failure nextFailure() {
        synchronized (random) {
            if (random.nextDouble() >= failureRate) {
                return Failure.NONE;
            }
            injectedFailures.incrementAndGet();
            return Failure.values()[1 + random.nextInt(Failure.values().length - 1)];
        }
    }

    private static void respond(HttpExchange exchange, FakeApiDialect.Answer answer, String retryAfter)
            throws IOException {
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** A bucket of {@code rate} tokens refilled continuously at {@code rate} per second: at most R per second. */
    private static final class TokenBucket {
        private final double rate;
        private double tokens;
        private long lastNanos = -1;

        TokenBucket(double rate) {
            this.rate = rate;
            this.tokens = rate;
        }

        /** Takes a token; returns 0, or how many milliseconds until one is available (nothing taken). */
        synchronized long take(long nowNanos) {
            if (lastNanos >= 0 && nowNanos > lastNanos) {
                tokens = Math.min(rate, tokens + (nowNanos - lastNanos) / 1e9 * rate);
            }
            lastNanos = Math.max(lastNanos, nowNanos);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / rate * 1000);
        }
    }
}

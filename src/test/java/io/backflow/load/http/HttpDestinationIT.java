package io.backflow.load.http;

import io.backflow.BackflowException;
import io.backflow.config.SyncConfig;
import io.backflow.config.UpdateFields;
import io.backflow.load.LoadResults;
import io.backflow.run.RunStatus;
import io.backflow.run.RunSummary;
import io.backflow.testing.ApiSyncFixture;
import io.backflow.testing.api.FakeApiServer;
import io.backflow.testing.api.HandEdits;
import io.backflow.testing.api.GenericDialect;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static io.backflow.testing.ApiSyncFixture.contacts;
import static io.backflow.testing.ApiSyncFixture.expected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The generic {@code http} destination through real runs against a local API that enforces real limits. */
class HttpDestinationIT {

    @TempDir
    static Path directory;
    static ApiSyncFixture fixture;

    @BeforeAll
    static void start() {
        // Four task slots: the rate test runs four writers at once, as a cluster would.
        fixture = new ApiSyncFixture(directory, 4);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    static List<String> destination(FakeApiServer server, String... extra) {
        List<String> lines = new ArrayList<>(List.of(
                "type: http",
                "url: " + server.baseUri() + "/v1/contacts/batch",
                "headers: {Authorization: 'Bearer ${env:API_TOKEN}'}",
                "body_field: inputs",
                "rename: {contact_id: id}",
                "delete: {url: '" + server.baseUri() + "/v1/contacts/batch/delete'}",
                "check_url: " + server.baseUri() + "/v1/me"));
        lines.addAll(List.of(extra));
        return lines;
    }

    static Map<String, List<String>> state(FakeApiServer server) {
        Map<String, List<String>> state = new LinkedHashMap<>();
        server.records().forEach((id, fields) ->
                state.put(id, List.of(fields.path("email").asText(), fields.path("score").asText())));
        return state;
    }

    @Test
    void staysUnderTheServersRateLimitAndReachesNinetyPercentOfIt() {
        int rate = 40;
        try (FakeApiServer server = new FakeApiServer(new GenericDialect(true), ApiSyncFixture.TOKEN, 100, rate, 0,
                1)) {
            List<Row> model = contacts(1, 20_000, 0);
            fixture.writeModel("rate", model);
            SyncConfig config = fixture.config("rate", "mirror",
                    List.of("writers: 4", "rate_limit: {requests_per_second: " + rate + "}"),
                    destination(server, "batch_size: 100", "results: {field: results, error_field: error}"));

            RunSummary run = fixture.run(config);

            assertThat(run.status()).as(run.message()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.delivered()).isEqualTo(20_000);
            assertThat(server.tooManyRequests()).as("429 answers").isZero();
            List<Long> arrivals = server.writeArrivals();
            double seconds = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1e9;
            double achieved = (arrivals.size() - 1) / seconds;
            System.out.printf(Locale.ROOT, "http rate: %d requests in %.2f s at the server = %.1f/s of %d/s configured"
                    + " (%.0f%%), 429s=%d, most in one second=%d; engine load phase %.1f/s%n", arrivals.size(), seconds,
                    achieved, rate, 100 * achieved / rate, server.tooManyRequests(), server.maxWritesInOneSecond(),
                    run.achievedRequestsPerSecond());
            // The server's bucket holds R tokens, so a limiter somewhat too fast would still see no 429 in a 5 s run:
            // the average rate at the server bounds it from above too (5% for the writers' simultaneous first requests).
            assertThat(achieved).as("requests per second at the server").isBetween(0.9 * rate, 1.05 * rate);
            assertThat(state(server)).isEqualTo(expected(model));
        }
    }

    @Test
    void honoursRetryAfterWhenTheServersLimitIsBelowTheConfiguredRate() {
        // The server allows 4 requests a second, the config claims 20: the server answers 429 with Retry-After.
        try (FakeApiServer server = new FakeApiServer(new GenericDialect(true), ApiSyncFixture.TOKEN, 100, 4, 0, 1)) {
            List<Row> model = contacts(1, 1_500, 0);
            fixture.writeModel("overrun", model);
            SyncConfig config = fixture.config("overrun", "upsert",
                    List.of("writers: 2", "rate_limit: {requests_per_second: 20}"),
                    destination(server, "results: {field: results, error_field: error}"));

            RunSummary run = fixture.run(config);

            assertThat(run.status()).as(run.message()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(server.tooManyRequests()).isPositive();
            assertThat(run.retries()).isEqualTo(server.tooManyRequests());
            // Each 429 said "Retry-After: 1", and a writer waits that second, not its 10-200 ms backoff, so the
            // bucket has refilled by its retry: fewer 429s than batches (measured: 16 batches, 5 answered 429).
            // Retrying after the backoff alone would hit the empty bucket again and again.
            assertThat(server.tooManyRequests()).isLessThan(run.requests() - run.retries());
            assertThat(state(server)).isEqualTo(expected(model));
        }
    }

    @Test
    void convergesThroughInjectedFailuresAndCountsEveryRetry() {
        try (FakeApiServer server = new FakeApiServer(new GenericDialect(true), ApiSyncFixture.TOKEN, 50, 0, 0.05,
                42)) {
            List<Row> first = contacts(1, 3_000, 0);
            fixture.writeModel("flaky", first);
            SyncConfig config = fixture.config("flaky", "mirror", List.of("writers: 3"),
                    destination(server, "batch_size: 50", "results: {field: results, error_field: error}"));

            RunSummary run = fixture.run(config);

            assertThat(run.status()).as(run.message()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(server.injectedFailures()).isGreaterThan(0);
            assertThat(run.retries()).as("retries in the run report").isEqualTo(server.injectedFailures());
            assertThat(state(server)).isEqualTo(expected(first));

            // updates, deletes and inserts through the same flaky server
            List<Row> second = new ArrayList<>(contacts(1, 2_000, 7));
            second.addAll(contacts(2_501, 3_500, 0));
            fixture.writeModel("flaky", second);
            long failuresBefore = server.injectedFailures();

            RunSummary next = fixture.run(config);

            assertThat(next.status()).as(next.message()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(next.sentCount("DELETE")).isEqualTo(500);
            assertThat(next.retries()).isEqualTo(server.injectedFailures() - failuresBefore);
            assertThat(state(server)).isEqualTo(expected(second));
        }
    }

    @Test
    void recordsTheApiRefusesFailAloneWithItsMessageAndAreDeliveredOnceAccepted() {
        try (FakeApiServer server = new FakeApiServer(new GenericDialect(true), ApiSyncFixture.TOKEN, 100, 0, 0, 1)) {
            server.refuse(fields -> fields.path("score").asInt() == 13
                    ? Optional.of("score 13 is unlucky for " + fields.path("email").asText()) : Optional.empty());
            List<Row> model = contacts(1, 1_000, 0);
            fixture.writeModel("refusals", model);
            SyncConfig config = fixture.config("refusals", "upsert", List.of("writers: 2"),
                    destination(server, "results: {field: results, error_field: error}"));

            RunSummary run = fixture.run(config);

            assertThat(run.status()).isEqualTo(RunStatus.FINISHED_WITH_FAILURES);
            assertThat(run.failed()).isEqualTo(10);
            assertThat(run.splits()).as("per-record results need no split").isZero();
            List<Row> failures = fixture.failures(config, run.runId()).orderBy("contact_id").collectAsList();
            assertThat(failures).hasSize(10);
            assertThat(failures.get(0).getLong(failures.get(0).fieldIndex("contact_id"))).isEqualTo(13);
            assertThat(failures.get(0).getString(failures.get(0).fieldIndex(LoadResults.ERROR_CLASS)))
                    .isEqualTo("HTTP 200 INVALID_EMAIL");
            assertThat(failures.get(0).getString(failures.get(0).fieldIndex(LoadResults.ERROR_MESSAGE)))
                    .isEqualTo("score 13 is unlucky for c13@example.com");
            assertThat(server.records()).hasSize(990).doesNotContainKey("13");

            server.acceptEverything();
            RunSummary next = fixture.run(config);

            assertThat(next.status()).as(next.message()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(next.delivered()).isEqualTo(10);
            assertThat(state(server)).isEqualTo(expected(model));
        }
    }

    @Test
    void aBatchRefusedAsAWholeIsSplitUntilTheBadRecordStandsAlone() {
        try (FakeApiServer server = new FakeApiServer(new GenericDialect(false), ApiSyncFixture.TOKEN, 100, 0, 0, 1)) {
            server.refuse(fields -> fields.path("email").asText().equals("c77@example.com")
                    ? Optional.of("email c77@example.com is on the blocklist") : Optional.empty());
            List<Row> model = contacts(1, 400, 0);
            fixture.writeModel("whole_batch", model);
            SyncConfig config = fixture.config("whole_batch", "upsert", List.of("writers: 1"), destination(server));

            RunSummary run = fixture.run(config);

            assertThat(run.failed()).isEqualTo(1);
            assertThat(run.splits()).isGreaterThan(0);
            Row failure = fixture.failures(config, run.runId()).collectAsList().get(0);
            assertThat(failure.getLong(failure.fieldIndex("contact_id"))).isEqualTo(77);
            assertThat(failure.getString(failure.fieldIndex(LoadResults.ERROR_CLASS))).isEqualTo("HTTP 400");
            assertThat(failure.getString(failure.fieldIndex(LoadResults.ERROR_MESSAGE))).isEqualTo("POST "
                    + server.baseUri() + "/v1/contacts/batch answered 400: {\"message\":\"input 0: email "
                    + "c77@example.com is on the blocklist\"}");
            assertThat(server.records()).hasSize(399);
        }
    }

    @Test
    void anOversizedBatchIsRefusedByTheServerAndReported() {
        try (FakeApiServer server = new FakeApiServer(new GenericDialect(true), ApiSyncFixture.TOKEN, 10, 0, 0, 1)) {
            fixture.writeModel("oversize", contacts(1, 30, 0));
            SyncConfig config = fixture.config("oversize", "upsert", List.of("writers: 1"),
                    destination(server, "batch_size: 20", "results: {field: results, error_field: error}"));

            RunSummary run = fixture.run(config);

            // 20 > 10: refused as a whole, split into halves of 10 that pass
            assertThat(server.oversize()).isGreaterThan(0);
            assertThat(run.status()).as(run.message()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(server.records()).hasSize(30);
        }
    }

    @Test
    void anUpdateSendsOnlyItsChangedFieldsSoAnEditMadeAtTheApiSurvives() {
        try (FakeApiServer server = new FakeApiServer(new GenericDialect(true), ApiSyncFixture.TOKEN, 100, 0, 0, 1)) {
            SyncConfig config = fixture.config("http_changed", "upsert", List.of(), destination(server));
            assertThat(config.updateFields()).as("http's default").isEqualTo(UpdateFields.CHANGED);

            assertThat(HandEdits.run(config, server, "email", "score", HttpDestinationIT::state))
                    .isEqualTo(HandEdits.KEPT);
        }
        try (FakeApiServer server = new FakeApiServer(new GenericDialect(true), ApiSyncFixture.TOKEN, 100, 0, 0, 1)) {
            SyncConfig config = fixture.config("http_all", "upsert", List.of("update_fields: all"), destination(server));

            assertThat(HandEdits.run(config, server, "email", "score", HttpDestinationIT::state))
                    .isEqualTo(HandEdits.OVERWRITTEN);
        }
    }

    @Test
    void validateChecksReachabilityAndTokenWithoutWritingAndPlanSendsNothing() {
        try (FakeApiServer server = new FakeApiServer(new GenericDialect(true), ApiSyncFixture.TOKEN, 100, 0, 0, 1)) {
            fixture.writeModel("checks", contacts(1, 10, 0));
            SyncConfig config = fixture.config("checks", "mirror", List.of(), destination(server));

            assertThat(fixture.validate(config)).last().asString()
                    .isEqualTo("destination: http API POST " + server.baseUri() + "/v1/contacts/batch is reachable "
                            + "and fits the model");
            RunSummary plan = fixture.plan(config);
            assertThat(plan.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(plan.diffCount("INSERT")).isEqualTo(10);
            assertThat(server.writes()).isZero();
            assertThat(server.reads()).isEqualTo(1);

            List<String> wrongToken = new ArrayList<>(destination(server));
            wrongToken.set(2, "headers: {Authorization: 'Bearer wrong'}");
            SyncConfig refused = fixture.config("checks", "mirror", List.of(), wrongToken);
            assertThatThrownBy(() -> fixture.validate(refused))
                    .isInstanceOf(BackflowException.class)
                    .hasMessage("Cannot sync to http API POST " + server.baseUri() + "/v1/contacts/batch: the "
                            + "credentials were refused (GET " + server.baseUri() + "/v1/me answered 401: "
                            + "{\"message\":\"invalid token\"}); check the token or headers in the destination config");
            assertThat(server.writes()).isZero();
        }
    }
}

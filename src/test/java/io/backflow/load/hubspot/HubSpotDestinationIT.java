package io.backflow.load.hubspot;

import io.backflow.BackflowException;
import io.backflow.config.SyncConfig;
import io.backflow.config.UpdateFields;
import io.backflow.load.LoadResults;
import io.backflow.run.RunStatus;
import io.backflow.run.RunSummary;
import io.backflow.testing.ApiEndToEndTest;
import io.backflow.testing.ApiSyncFixture;
import io.backflow.testing.api.FakeApiServer;
import io.backflow.testing.api.HandEdits;
import io.backflow.testing.api.HubSpotDialect;
import io.backflow.testing.api.MirrorRuns;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.backflow.testing.ApiSyncFixture.contacts;
import static io.backflow.testing.ApiSyncFixture.expected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code hubspot} destination through real runs against a local server speaking HubSpot's batch API. */
class HubSpotDestinationIT extends ApiEndToEndTest {

    static List<String> destination(FakeApiServer server, String token) {
        return List.of("type: hubspot", "base_url: " + server.baseUri(), "object_type: contacts",
                "id_property: backflow_id", "token: " + token);
    }

    static Map<String, List<String>> state(FakeApiServer server) {
        Map<String, List<String>> state = new LinkedHashMap<>();
        server.records().forEach((id, properties) ->
                state.put(id, List.of(properties.path("email").asText(), properties.path("score").asText())));
        return state;
    }

    @Test
    void upsertsByTheIdPropertyWithinHubSpotsLimitsAndRetriesRefusedRecordsNextRun() {
        // 10 requests a second, HubSpot's 100 per 10 seconds, and at most 100 inputs per batch
        try (FakeApiServer server = new FakeApiServer(new HubSpotDialect("contacts", "backflow_id"),
                ApiSyncFixture.TOKEN, 100, 10, 0, 3)) {
            server.refuse(properties -> properties.path("email").asText().startsWith("c42")
                    ? Optional.of("Property values were not valid: email " + properties.path("email").asText())
                    : Optional.empty());
            List<Row> model = contacts(1, 2_500, 0);
            fixture.writeModel("hubspot", model);
            SyncConfig config = fixture.config("hubspot", "upsert",
                    List.of("writers: 2", "rate_limit: {requests_per_second: 10}"),
                    destination(server, "${env:API_TOKEN}"));

            RunSummary run = fixture.run(config);

            assertThat(run.status()).as(run.message()).isEqualTo(RunStatus.FINISHED_WITH_FAILURES);
            assertThat(server.tooManyRequests()).isZero();
            assertThat(server.oversize()).isZero();
            // c42 and c420..c429: 11 refused with a 207
            assertThat(run.failed()).isEqualTo(11).isEqualTo(server.refusedRecords());
            Row failure = fixture.failures(config, run.runId()).where("contact_id = 42").collectAsList().get(0);
            assertThat(failure.getString(failure.fieldIndex(LoadResults.ERROR_CLASS)))
                    .isEqualTo("HTTP 207 VALIDATION_ERROR");
            assertThat(failure.getString(failure.fieldIndex(LoadResults.ERROR_MESSAGE)))
                    .isEqualTo("Property values were not valid: email c42@example.com");
            assertThat(server.records()).hasSize(2_500 - 11);

            server.acceptEverything();
            RunSummary next = fixture.run(config);

            assertThat(next.status()).as(next.message()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(next.delivered()).isEqualTo(11);
            assertThat(state(server)).isEqualTo(expected(model));
        }
    }

    @Test
    void mirrorArchivesKeysThatLeftTheModelAfterALookupThatTakesItsOwnPermit() {
        // 8 requests a second at the server and in the config; 5% of requests fail (lookups and archives too)
        try (FakeApiServer server = new FakeApiServer(new HubSpotDialect("contacts", "backflow_id"),
                ApiSyncFixture.TOKEN, 100, 8, 0.05, 5)) {
            SyncConfig config = fixture.config("hubspot_mirror", "mirror",
                    List.of("writers: 2", "rate_limit: {requests_per_second: 8}"),
                    destination(server, "${env:API_TOKEN}"));
            // 1..200 and 601..650 leave the model (under the 25% delete guard), 651..750 change; 1..5 are
            // archived at HubSpot before the second run
            List<Row> next = new ArrayList<>(contacts(201, 600, 0));
            next.addAll(contacts(651, 750, 1));
            next.addAll(contacts(751, 1_200, 0));

            MirrorRuns runs = MirrorRuns.run(fixture, "hubspot_mirror", config, server, contacts(1, 1_200, 0), next,
                    HubSpotDestinationIT::state);

            RunSummary second = runs.second();
            assertThat(second.diffCount("DELETE")).isEqualTo(250);
            assertThat(second.delivered()).isEqualTo(350);
            // at least one lookup per delete batch of at most 100
            assertThat(server.lookups() - runs.lookupsBefore()).isGreaterThanOrEqualTo(3);
            // every request the writers made, lookups included, took a permit, was counted by the run and reached
            // the server, and every injected failure (of a lookup, an archive or an upsert) was retried
            assertThat(second.requests()).isEqualTo(server.writes() - runs.writesBefore());
            assertThat(second.retries() + runs.first().retries()).isEqualTo(server.injectedFailures());
            // the API's own token bucket of exactly 8/s never refused a request (lookups included)
            assertThat(server.tooManyRequests()).isZero();
            assertThat(second.achievedRequestsPerSecond()).isLessThanOrEqualTo(8.0);
        }
    }

    @Test
    void anUpdateSendsOnlyItsChangedPropertiesSoAnEditMadeInHubSpotSurvives() {
        try (FakeApiServer server = new FakeApiServer(new HubSpotDialect("contacts", "backflow_id"),
                ApiSyncFixture.TOKEN, 100, 0, 0, 3)) {
            SyncConfig config = fixture.config("hubspot_changed", "upsert", List.of(),
                    destination(server, "${env:API_TOKEN}"));
            assertThat(config.updateFields()).as("hubspot's default").isEqualTo(UpdateFields.CHANGED);

            assertThat(HandEdits.run(config, server, "email", "score", HubSpotDestinationIT::state))
                    .isEqualTo(HandEdits.KEPT);
        }
        try (FakeApiServer server = new FakeApiServer(new HubSpotDialect("contacts", "backflow_id"),
                ApiSyncFixture.TOKEN, 100, 0, 0, 3)) {
            SyncConfig config = fixture.config("hubspot_changed_sync", "upsert", List.of(),
                    destination(server, "${env:API_TOKEN}"));

            assertThat(HandEdits.sync(fixture, config, server, "email", "score", HubSpotDestinationIT::state))
                    .isEqualTo(HandEdits.KEPT);
        }
        try (FakeApiServer server = new FakeApiServer(new HubSpotDialect("contacts", "backflow_id"),
                ApiSyncFixture.TOKEN, 100, 0, 0, 3)) {
            SyncConfig config = fixture.config("hubspot_all", "upsert", List.of("update_fields: all"),
                    destination(server, "${env:API_TOKEN}"));

            assertThat(HandEdits.run(config, server, "email", "score", HubSpotDestinationIT::state))
                    .isEqualTo(HandEdits.OVERWRITTEN);
        }
    }

    @Test
    void validateReadsOneRecordAndNamesARefusedToken() {
        try (FakeApiServer server = new FakeApiServer(new HubSpotDialect("contacts", "backflow_id"),
                ApiSyncFixture.TOKEN, 100, 0, 0, 3)) {
            fixture.writeModel("hubspot_checks", contacts(1, 5, 0));

            assertThat(fixture.validate(fixture.config("hubspot_checks", "upsert", List.of(),
                    destination(server, "${env:API_TOKEN}")))).last().asString()
                    .isEqualTo("destination: hubspot contacts by backflow_id at " + server.baseUri()
                            + " is reachable and fits the model");
            assertThat(fixture.plan(fixture.config("hubspot_checks", "upsert", List.of(),
                    destination(server, "${env:API_TOKEN}"))).diffCount("INSERT")).isEqualTo(5);
            SyncConfig wrong = fixture.config("hubspot_checks", "upsert", List.of(), destination(server, "expired"));
            assertThatThrownBy(() -> fixture.validate(wrong)).isInstanceOf(BackflowException.class)
                    .hasMessageStartingWith("Cannot sync to hubspot contacts by backflow_id at " + server.baseUri()
                            + ": the credentials were refused (GET " + server.baseUri() + "/crm/v3/objects/contacts "
                            + "answered 401: ")
                    .hasMessageNotContaining("expired");
            assertThat(server.writes()).isZero();
        }
    }
}

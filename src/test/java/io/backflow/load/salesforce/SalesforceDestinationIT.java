package io.backflow.load.salesforce;

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
import io.backflow.testing.api.MirrorRuns;
import io.backflow.testing.api.SalesforceDialect;
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

/** The {@code salesforce} destination through real runs against a local server speaking sObject Collections. */
class SalesforceDestinationIT extends ApiEndToEndTest {

    static FakeApiServer server(double rate, double failureRate) {
        return new FakeApiServer(new SalesforceDialect("60.0", "Contact", "Backflow_Id__c"), ApiSyncFixture.TOKEN,
                200, rate, failureRate, 3);
    }

    static List<String> destination(FakeApiServer server, String token) {
        return List.of("type: salesforce", "instance_url: " + server.baseUri(), "sobject: Contact",
                "external_id_field: Backflow_Id__c", "token: " + token, "rename: {email: Email, score: Score__c}");
    }

    static Map<String, List<String>> state(FakeApiServer server) {
        Map<String, List<String>> state = new LinkedHashMap<>();
        server.records().forEach((id, fields) ->
                state.put(id, List.of(fields.path("Email").asText(), fields.path("Score__c").asText())));
        return state;
    }

    @Test
    void upsertsByExternalIdThroughFailuresAndRetriesRefusedRecordsNextRun() {
        // 10% of requests fail (a 5xx or a dropped connection); seed 3 fails the 2nd and 7th of the first 15
        try (FakeApiServer server = server(8, 0.1)) {
            server.refuse(fields -> fields.path("Score__c").asInt() == 99
                    ? Optional.of("invalid email address: " + fields.path("Email").asText()) : Optional.empty());
            List<Row> model = contacts(1, 3_000, 0);
            fixture.writeModel("salesforce", model);
            SyncConfig config = fixture.config("salesforce", "upsert",
                    List.of("writers: 2", "rate_limit: {requests_per_second: 8}"),
                    destination(server, "${env:API_TOKEN}"));

            RunSummary run = fixture.run(config);

            assertThat(run.status()).as(run.message()).isEqualTo(RunStatus.FINISHED_WITH_FAILURES);
            assertThat(server.tooManyRequests()).isZero();
            assertThat(server.injectedFailures()).isPositive();
            assertThat(run.retries()).isEqualTo(server.injectedFailures());
            assertThat(run.failed()).isEqualTo(30);
            Row failure = fixture.failures(config, run.runId()).where("contact_id = 99").collectAsList().get(0);
            assertThat(failure.getString(failure.fieldIndex(LoadResults.ERROR_CLASS)))
                    .isEqualTo("HTTP 200 INVALID_EMAIL_ADDRESS");
            assertThat(failure.getString(failure.fieldIndex(LoadResults.ERROR_MESSAGE)))
                    .isEqualTo("invalid email address: c99@example.com (fields [\"Email\"])");

            server.acceptEverything();
            List<Row> changed = new ArrayList<>(contacts(1, 1_000, 1));
            changed.addAll(contacts(1_001, 3_000, 0));
            fixture.writeModel("salesforce", changed);
            RunSummary next = fixture.run(config);

            assertThat(next.status()).as(next.message()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(state(server)).isEqualTo(expected(changed));
        }
    }

    @Test
    void mirrorDeletesKeysThatLeftTheModelAfterAQueryThatTakesItsOwnPermit() {
        // 8 requests a second at the server and in the config; 10% of requests fail (queries and deletes too)
        try (FakeApiServer server = server(8, 0.1)) {
            SyncConfig config = fixture.config("salesforce_mirror", "mirror",
                    List.of("writers: 2", "rate_limit: {requests_per_second: 8}"),
                    destination(server, "${env:API_TOKEN}"));
            // 1..300 and 1001..1100 leave the model (under the 25% delete guard), 1101..1300 change; 1..5 are
            // deleted in Salesforce before the second run
            List<Row> next = new ArrayList<>(contacts(301, 1_000, 0));
            next.addAll(contacts(1_101, 1_300, 1));
            next.addAll(contacts(1_301, 2_000, 0));

            MirrorRuns runs = MirrorRuns.run(fixture, "salesforce_mirror", config, server, contacts(1, 2_000, 0),
                    next, SalesforceDestinationIT::state);

            RunSummary second = runs.second();
            assertThat(second.diffCount("DELETE")).isEqualTo(400);
            assertThat(second.delivered()).isEqualTo(600);
            // at least one query per delete batch of at most 200
            assertThat(server.lookups() - runs.lookupsBefore()).isGreaterThanOrEqualTo(2);
            // every request the writers made, queries included, took a permit, was counted by the run and reached
            // the server; the server may see a few more: java.net.http silently resends a GET once when its
            // pooled connection drops before the answer (an injected drop here), outside the run's count
            long seen = server.writes() - runs.writesBefore();
            assertThat(seen).isBetween(second.requests(), second.requests() + server.injectedFailures());
            assertThat(second.retries() + runs.first().retries()).isLessThanOrEqualTo(server.injectedFailures());
            // the API's own token bucket of exactly 8/s never refused a request (lookups included)
            assertThat(server.tooManyRequests()).isZero();
            assertThat(second.achievedRequestsPerSecond()).isLessThanOrEqualTo(8.0);
        }
    }

    @Test
    void anUpdateSendsOnlyItsChangedFieldsSoAnEditMadeInSalesforceSurvives() {
        try (FakeApiServer server = server(0, 0)) {
            SyncConfig config = fixture.config("salesforce_changed", "upsert", List.of(),
                    destination(server, "${env:API_TOKEN}"));
            assertThat(config.updateFields()).as("salesforce's default").isEqualTo(UpdateFields.CHANGED);

            assertThat(HandEdits.run(config, server, "Email", "Score__c", SalesforceDestinationIT::state))
                    .isEqualTo(HandEdits.KEPT);
        }
        try (FakeApiServer server = server(0, 0)) {
            SyncConfig config = fixture.config("salesforce_changed_sync", "upsert", List.of(),
                    destination(server, "${env:API_TOKEN}"));

            assertThat(HandEdits.sync(fixture, config, server, "Email", "Score__c", SalesforceDestinationIT::state))
                    .isEqualTo(HandEdits.KEPT);
        }
        try (FakeApiServer server = server(0, 0)) {
            SyncConfig config = fixture.config("salesforce_all", "upsert", List.of("update_fields: all"),
                    destination(server, "${env:API_TOKEN}"));

            assertThat(HandEdits.run(config, server, "Email", "Score__c", SalesforceDestinationIT::state))
                    .isEqualTo(HandEdits.OVERWRITTEN);
        }
    }

    @Test
    void validateDescribesTheObjectAndNamesARefusedToken() {
        try (FakeApiServer server = server(0, 0)) {
            fixture.writeModel("salesforce_checks", contacts(1, 5, 0));

            assertThat(fixture.validate(fixture.config("salesforce_checks", "upsert", List.of(),
                    destination(server, "${env:API_TOKEN}")))).last().asString()
                    .isEqualTo("destination: salesforce Contact by Backflow_Id__c at " + server.baseUri()
                            + " is reachable and fits the model");
            SyncConfig wrong = fixture.config("salesforce_checks", "upsert", List.of(), destination(server, "old"));
            assertThatThrownBy(() -> fixture.validate(wrong)).isInstanceOf(BackflowException.class)
                    .hasMessage("Cannot sync to salesforce Contact by Backflow_Id__c at " + server.baseUri()
                            + ": the credentials were refused (GET " + server.baseUri() + "/services/data/v60.0/"
                            + "sobjects/Contact/describe answered 401: [{\"message\":\"Session expired or invalid\","
                            + "\"errorCode\":\"INVALID_SESSION_ID\"}]); check the token or headers in the "
                            + "destination config");
            assertThat(server.writes()).isZero();
        }
    }
}

package io.backflow.load.salesforce;

import io.backflow.config.SalesforceConfig;
import io.backflow.config.Secret;
import io.backflow.config.SyncMode;
import io.backflow.config.UpdateFields;
import io.backflow.diff.Operation;
import io.backflow.load.ChangeLayout;
import io.backflow.load.http.HttpCall;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.backflow.testing.ContactChanges.insert;
import static io.backflow.testing.ContactChanges.layout;
import static io.backflow.testing.ContactChanges.update;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sObject Collections upsert bodies (each record with its own fields), and the SOQL literals of the
 * delete lookup: no key can end the literal or the query.
 */
class SalesforceApiTest {

    private static final SalesforceApi API = new SalesforceApi(new SalesforceConfig(
            URI.create("https://acme.my.salesforce.com"), "60.0", "Contact", "Backflow_Id__c", new Secret("token"), 200,
            Map.of("email", "Email", "score", "Score__c"), Duration.ofSeconds(5)));

    private static String body(HttpCall call) {
        return new String(call.body().orElseThrow(), StandardCharsets.UTF_8);
    }

    @Test
    void anUpdateHoldsTheExternalIdAndOnlyItsChangedFieldsWhileAnInsertHoldsEveryField() {
        ChangeLayout layout = layout(SyncMode.UPSERT, UpdateFields.CHANGED);

        HttpCall updates = API.request(Operation.UPDATE, List.of(update(1, "c1@example.com", 5, List.of("score")),
                update(2, null, 7, List.of("email"))), layout);
        HttpCall inserts = API.request(Operation.INSERT, List.of(insert(3, "c3@example.com", 3)), layout);

        assertThat(updates.method()).isEqualTo("PATCH");
        assertThat(updates.uri()).isEqualTo(URI.create("https://acme.my.salesforce.com/services/data/v60.0/composite/"
                + "sobjects/Contact/Backflow_Id__c"));
        assertThat(body(updates)).isEqualTo("{\"allOrNone\":false,\"records\":["
                + "{\"attributes\":{\"type\":\"Contact\"},\"Backflow_Id__c\":1,\"Score__c\":5},"
                + "{\"attributes\":{\"type\":\"Contact\"},\"Backflow_Id__c\":2,\"Email\":null}]}");
        assertThat(body(inserts)).isEqualTo("{\"allOrNone\":false,\"records\":[{\"attributes\":{\"type\":"
                + "\"Contact\"},\"Backflow_Id__c\":3,\"Email\":\"c3@example.com\",\"Score__c\":3}]}");
    }

    @Test
    void anUpdateWithoutAChangedListOrWithUpdateFieldsAllHoldsEveryField() {
        String every = "{\"allOrNone\":false,\"records\":[{\"attributes\":{\"type\":\"Contact\"},"
                + "\"Backflow_Id__c\":1,\"Email\":\"c1@example.com\",\"Score__c\":5}]}";

        assertThat(body(API.request(Operation.UPDATE, List.of(update(1, "c1@example.com", 5, null)),
                layout(SyncMode.UPSERT, UpdateFields.CHANGED)))).isEqualTo(every);
        assertThat(body(API.request(Operation.UPDATE, List.of(update(1, "c1@example.com", 5, List.of("score"))),
                layout(SyncMode.UPSERT, UpdateFields.ALL)))).isEqualTo(every);
    }

    @Test
    void quotesAndEscapesTextKeys() {
        assertThat(SalesforceApi.literal("plain-42")).isEqualTo("'plain-42'");
        assertThat(SalesforceApi.literal("O'Brien")).isEqualTo("'O\\'Brien'");
        assertThat(SalesforceApi.literal("x') OR Name != ('")).isEqualTo("'x\\') OR Name != (\\''");
        assertThat(SalesforceApi.literal("back\\slash \"q\"\n")).isEqualTo("'back\\\\slash \\\"q\\\"\\n'");
    }
}

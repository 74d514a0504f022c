package io.backflow.load.hubspot;

import io.backflow.config.HubSpotConfig;
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

/** The batch upsert bodies: HubSpot's documented {@code inputs} shape, each input with its own properties. */
class HubSpotApiTest {

    private static final HubSpotApi API = new HubSpotApi(new HubSpotConfig(URI.create("https://api.hubapi.com"),
            "contacts", "backflow_id", new Secret("token"), 100, Map.of("score", "hs_score"), Duration.ofSeconds(5)));

    private static String body(HttpCall call) {
        return new String(call.body().orElseThrow(), StandardCharsets.UTF_8);
    }

    @Test
    void anUpdateHoldsOnlyItsChangedPropertiesWhileAnInsertHoldsEveryProperty() {
        ChangeLayout layout = layout(SyncMode.UPSERT, UpdateFields.CHANGED);

        HttpCall updates = API.request(Operation.UPDATE, List.of(update(1, "c1@example.com", 5, List.of("score")),
                update(2, null, 7, List.of("email"))), layout);
        HttpCall inserts = API.request(Operation.INSERT, List.of(insert(3, "c3@example.com", 3)), layout);

        assertThat(updates.uri()).isEqualTo(URI.create("https://api.hubapi.com/crm/v3/objects/contacts/batch/upsert"));
        // A null is sent as "", which clears the property, as when every property is sent.
        assertThat(body(updates)).isEqualTo("{\"inputs\":["
                + "{\"idProperty\":\"backflow_id\",\"id\":\"1\",\"properties\":{\"hs_score\":\"5\"}},"
                + "{\"idProperty\":\"backflow_id\",\"id\":\"2\",\"properties\":{\"email\":\"\"}}]}");
        assertThat(body(inserts)).isEqualTo("{\"inputs\":[{\"idProperty\":\"backflow_id\",\"id\":\"3\","
                + "\"properties\":{\"email\":\"c3@example.com\",\"hs_score\":\"3\"}}]}");
    }

    @Test
    void anUpdateWithoutAChangedListOrWithUpdateFieldsAllHoldsEveryProperty() {
        String every = "{\"inputs\":[{\"idProperty\":\"backflow_id\",\"id\":\"1\","
                + "\"properties\":{\"email\":\"c1@example.com\",\"hs_score\":\"5\"}}]}";

        assertThat(body(API.request(Operation.UPDATE, List.of(update(1, "c1@example.com", 5, null)),
                layout(SyncMode.UPSERT, UpdateFields.CHANGED)))).isEqualTo(every);
        assertThat(body(API.request(Operation.UPDATE, List.of(update(1, "c1@example.com", 5, List.of("score"))),
                layout(SyncMode.UPSERT, UpdateFields.ALL)))).isEqualTo(every);
    }
}

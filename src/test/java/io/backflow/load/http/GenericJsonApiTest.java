package io.backflow.load.http;

import io.backflow.config.HttpConfig;
import io.backflow.config.Secret;
import io.backflow.config.SyncMode;
import io.backflow.config.UpdateFields;
import io.backflow.diff.Columns;
import io.backflow.diff.Operation;
import io.backflow.load.Change;
import io.backflow.load.ChangeLayout;
import io.backflow.load.DestinationException;
import io.backflow.load.RecordOutcome;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The request bodies and result reading the {@code http} config describes. */
class GenericJsonApiTest {

    private static final StructType PLAN = new StructType()
            .add(Columns.OPERATION, DataTypes.StringType)
            .add("id", DataTypes.LongType)
            .add("email", DataTypes.StringType)
            .add("ltv", DataTypes.createDecimalType(10, 2));
    private static final ChangeLayout LAYOUT = new ChangeLayout(PLAN, List.of("id"), List.of("email", "ltv"),
            SyncMode.MIRROR, UpdateFields.CHANGED);
    private static final URI URL = URI.create("https://api.example.com/v1/batch");
    /** {@link #PLAN} with the list of an update's changed columns, as the diff writes it. */
    private static final StructType PLAN_WITH_CHANGED = PLAN.add(Columns.CHANGED,
            DataTypes.createArrayType(DataTypes.StringType, false), true);

    private static HttpConfig config(Optional<String> bodyField, Optional<HttpConfig.Results> results) {
        return new HttpConfig(URL, "PUT", Map.of("Authorization", new Secret("Bearer x")), 100, bodyField,
                Map.of("id", "externalId"), Optional.of(new HttpConfig.Delete("DELETE", URI.create(URL + "/delete"))),
                results, Optional.empty(), Duration.ofSeconds(5));
    }

    private static List<Change> batch(Operation operation) {
        return List.of(
                new Change(operation, RowFactory.create(operation.name(), 1L, "a@example.com", new BigDecimal("10.50"))),
                new Change(operation, RowFactory.create(operation.name(), 2L, null, new BigDecimal("0.00"))));
    }

    private static ChangeLayout layoutWithChanged(UpdateFields updateFields) {
        return new ChangeLayout(PLAN_WITH_CHANGED, List.of("id"), List.of("email", "ltv"), SyncMode.MIRROR,
                updateFields);
    }

    /** A change of {@link #PLAN_WITH_CHANGED}; {@code changed} null for one that writes every column. */
    private static Change changed(Operation operation, long id, String email, String ltv, List<String> changed) {
        return new Change(operation, RowFactory.create(operation.name(), id, email, new BigDecimal(ltv),
                changed == null ? null : scala.collection.JavaConverters.asScalaBuffer(changed).toList()));
    }

    private static String body(HttpCall call) {
        return new String(call.body().orElseThrow(), StandardCharsets.UTF_8);
    }

    @Test
    void sendsABareArrayOfRenamedRecordsWithExactDecimalsAndNulls() {
        HttpCall call = new GenericJsonApi(config(Optional.empty(), Optional.empty()))
                .request(Operation.UPDATE, batch(Operation.UPDATE), LAYOUT);

        assertThat(call.method()).isEqualTo("PUT");
        assertThat(call.uri()).isEqualTo(URL);
        assertThat(body(call)).isEqualTo("[{\"externalId\":1,\"email\":\"a@example.com\",\"ltv\":10.50},"
                + "{\"externalId\":2,\"email\":null,\"ltv\":0.00}]");
    }

    @Test
    void sendsDeletesWithKeysOnlyUnderTheBodyFieldToTheDeleteEndpoint() {
        HttpCall call = new GenericJsonApi(config(Optional.of("inputs"), Optional.empty()))
                .request(Operation.DELETE, batch(Operation.DELETE), LAYOUT);

        assertThat(call.method()).isEqualTo("DELETE");
        assertThat(call.uri()).isEqualTo(URI.create(URL + "/delete"));
        assertThat(body(call)).isEqualTo("{\"inputs\":[{\"externalId\":1},{\"externalId\":2}]}");
    }

    @Test
    void anUpdateHoldsTheKeyAndOnlyItsChangedFieldsWhileAnInsertHoldsEveryField() {
        GenericJsonApi api = new GenericJsonApi(config(Optional.of("inputs"), Optional.empty()));
        ChangeLayout layout = layoutWithChanged(UpdateFields.CHANGED);

        HttpCall updates = api.request(Operation.UPDATE, List.of(
                changed(Operation.UPDATE, 1L, "a@example.com", "10.50", List.of("ltv")),
                changed(Operation.UPDATE, 2L, null, "0.00", List.of("email")),
                changed(Operation.UPDATE, 3L, "c@example.com", "3.00", List.of("ltv", "email"))), layout);
        HttpCall inserts = api.request(Operation.INSERT, List.of(
                changed(Operation.INSERT, 4L, "d@example.com", "4.00", null)), layout);

        // Records of one batch may differ in their fields; a changed null is sent as a JSON null.
        assertThat(body(updates)).isEqualTo("{\"inputs\":[{\"externalId\":1,\"ltv\":10.50},"
                + "{\"externalId\":2,\"email\":null},{\"externalId\":3,\"email\":\"c@example.com\",\"ltv\":3.00}]}");
        assertThat(body(inserts)).isEqualTo("{\"inputs\":[{\"externalId\":4,\"email\":\"d@example.com\","
                + "\"ltv\":4.00}]}");
    }

    @Test
    void anUpdateWithoutAChangedListOrWithUpdateFieldsAllHoldsEveryField() {
        GenericJsonApi api = new GenericJsonApi(config(Optional.empty(), Optional.empty()));

        HttpCall uncertain = api.request(Operation.UPDATE, List.of(
                changed(Operation.UPDATE, 1L, "a@example.com", "10.50", null)), layoutWithChanged(UpdateFields.CHANGED));
        HttpCall all = api.request(Operation.UPDATE, List.of(
                changed(Operation.UPDATE, 1L, "a@example.com", "10.50", List.of("ltv"))),
                layoutWithChanged(UpdateFields.ALL));

        assertThat(body(uncertain)).isEqualTo("[{\"externalId\":1,\"email\":\"a@example.com\",\"ltv\":10.50}]");
        assertThat(body(all)).isEqualTo(body(uncertain));
    }

    @Test
    void aDeleteHoldsTheKeyOnly() {
        HttpCall call = new GenericJsonApi(config(Optional.empty(), Optional.empty())).request(Operation.DELETE,
                List.of(changed(Operation.DELETE, 1L, null, "0", null)), layoutWithChanged(UpdateFields.CHANGED));

        assertThat(body(call)).isEqualTo("[{\"externalId\":1}]");
    }

    @Test
    void readsPerRecordErrorsGivenAsTextOrAsObjects() {
        GenericJsonApi api = new GenericJsonApi(config(Optional.of("inputs"),
                Optional.of(new HttpConfig.Results("items", "problem"))));
        HttpAnswer answer = new HttpAnswer(207, "{\"items\":[{\"problem\":\"email is invalid\"},{\"problem\":false}]}",
                Optional.empty());

        assertThat(api.outcomes(Operation.INSERT, batch(Operation.INSERT), LAYOUT, answer))
                .containsExactly(RecordOutcome.failed(0, "HTTP 207", "email is invalid"));
        HttpAnswer coded = new HttpAnswer(200, "{\"items\":[{\"problem\":null},{\"problem\":{\"code\":\"RANGE\","
                + "\"message\":\"ltv must be positive\"}}]}", Optional.empty());
        assertThat(api.outcomes(Operation.INSERT, batch(Operation.INSERT), LAYOUT, coded))
                .containsExactly(RecordOutcome.failed(1, "HTTP 200 RANGE", "ltv must be positive"));
    }

    @Test
    void aMultiStatusAnswerWithoutConfiguredResultsIsNotCountedDelivered() {
        GenericJsonApi api = new GenericJsonApi(config(Optional.empty(), Optional.empty()));

        assertThat(api.outcomes(Operation.UPDATE, batch(Operation.UPDATE), LAYOUT,
                new HttpAnswer(200, "{}", Optional.empty()))).isEmpty();
        assertThatThrownBy(() -> api.outcomes(Operation.UPDATE, batch(Operation.UPDATE), LAYOUT,
                new HttpAnswer(207, "{\"errors\": 1}", Optional.empty())))
                .isInstanceOf(DestinationException.class)
                .hasMessageContaining("answered 207 (multi-status) and destination.results is not set")
                .satisfies(e -> assertThat(((DestinationException) e).isTransient()).isFalse());
    }

    @Test
    void refusesRenamesThatWouldWriteTwoColumnsOrTheKeyIntoOneField() {
        HttpConfig clashing = new HttpConfig(URL, "PUT", Map.of(), 100, Optional.empty(),
                Map.of("email", "ltv"), Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(5));
        HttpConfig unknown = new HttpConfig(URL, "PUT", Map.of(), 100, Optional.empty(),
                Map.of("emial", "Email"), Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(5));

        assertThatThrownBy(() -> new GenericJsonApi(clashing).checkLayout(LAYOUT))
                .hasMessageContaining("column 'ltv' and column 'email' would both be sent as field 'ltv'");
        assertThatThrownBy(() -> new GenericJsonApi(unknown).checkLayout(LAYOUT))
                .hasMessageContaining("destination.rename names [emial], not key or synced columns");
        assertThatThrownBy(() -> FieldNames.check(Map.of("email", "Ext__c"), LAYOUT, LAYOUT.columns(),
                Optional.of("Ext__c"), "salesforce Contact"))
                .hasMessage("Cannot sync to salesforce Contact: column 'email' and the key would both be sent as "
                        + "field 'Ext__c'; change destination.rename so every field is written once");
    }
}

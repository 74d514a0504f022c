package io.backflow.testing.api;

import io.backflow.config.SyncConfig;
import io.backflow.load.ChangeLayout;
import io.backflow.load.Destinations;
import io.backflow.load.PartitionWriter;
import io.backflow.testing.ContactChanges;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.backflow.testing.ContactChanges.insert;
import static io.backflow.testing.ContactChanges.update;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Updates that meet edits made by hand at the API, sent straight through the destination's writer with
 * plan rows that name each update's changed columns (as the diff writes them): contacts 1 and 2 are
 * inserted; at the server someone sets 1's score to 99 and 2's email to {@code edited@example.com}; then the
 * model changes 1's email and 2's score. With {@code update_fields: changed} the updates carry only those
 * fields and both hand edits survive ({@link #KEPT}); with {@code all} the model overwrites them
 * ({@link #OVERWRITTEN}).
 */
public final class HandEdits {

    /** The server's state (id → email, score) when the updates sent only their changed fields. */
    public static final Map<String, List<String>> KEPT = Map.of(
            "1", List.of("new1@example.com", "99"), "2", List.of("edited@example.com", "22"));
    /** The server's state when the updates sent every field. */
    public static final Map<String, List<String>> OVERWRITTEN = Map.of(
            "1", List.of("new1@example.com", "1"), "2", List.of("c2@example.com", "22"));

    private HandEdits() {
    }

    /**
     * @param emailField the API's name of the {@code email} column
     * @param scoreField the API's name of the {@code score} column
     * @param state the server's records as {@link io.backflow.testing.ApiSyncFixture#expected} lays out a model
     * @return the server's state after the updates
     */
    public static Map<String, List<String>> run(SyncConfig config, FakeApiServer server, String emailField,
            String scoreField, Function<FakeApiServer, Map<String, List<String>>> state) {
        ChangeLayout layout = ContactChanges.layout(config.mode(), config.updateFields());
        try (PartitionWriter writer = Destinations.create(config.destination()).openWriter(layout)) {
            assertThat(writer.send(List.of(insert(1, "c1@example.com", 1), insert(2, "c2@example.com", 2)))).isEmpty();
            server.editByHand("1", scoreField, "99");
            server.editByHand("2", emailField, "edited@example.com");

            assertThat(writer.send(List.of(update(1, "new1@example.com", 1, List.of("email")),
                    update(2, "c2@example.com", 22, List.of("score"))))).isEmpty();
        }
        return state.apply(server);
    }

    /**
     * The same story as {@link #run}, through whole sync runs: the diff finds each update's changed columns.
     *
     * @return the server's state after the second run
     */
    public static Map<String, List<String>> sync(io.backflow.testing.ApiSyncFixture fixture, SyncConfig config,
            FakeApiServer server, String emailField, String scoreField,
            Function<FakeApiServer, Map<String, List<String>>> state) {
        String name = config.name();
        fixture.writeModel(name, List.of(org.apache.spark.sql.RowFactory.create(1L, "c1@example.com", 1),
                org.apache.spark.sql.RowFactory.create(2L, "c2@example.com", 2)));
        assertThat(fixture.run(config).status()).isEqualTo(io.backflow.run.RunStatus.SUCCEEDED);
        server.editByHand("1", scoreField, "99");
        server.editByHand("2", emailField, "edited@example.com");
        fixture.writeModel(name, List.of(org.apache.spark.sql.RowFactory.create(1L, "new1@example.com", 1),
                org.apache.spark.sql.RowFactory.create(2L, "c2@example.com", 22)));

        io.backflow.run.RunSummary second = fixture.run(config);

        assertThat(second.status()).as(second.message()).isEqualTo(io.backflow.run.RunStatus.SUCCEEDED);
        assertThat(second.updatesByColumn()).isEqualTo(Map.of("email", 1L, "score", 1L));
        return state.apply(server);
    }
}

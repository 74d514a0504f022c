package io.backflow.testing.api;

import io.backflow.config.SyncConfig;
import io.backflow.run.RunStatus;
import io.backflow.run.RunSummary;
import io.backflow.testing.ApiSyncFixture;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.backflow.testing.ApiSyncFixture.expected;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two mirror-mode runs against a CRM's fake server: the first sends {@code model}; then keys 1 to 5 are
 * deleted at the server behind the sync's back and the second run sends {@code next} (deletes included).
 * Both runs must succeed and leave the server equal to their model.
 *
 * @param first the first run
 * @param second the second run
 * @param writesBefore the server's requests before the second run
 * @param lookupsBefore the server's id lookups before the second run
 */
public record MirrorRuns(RunSummary first, RunSummary second, long writesBefore, long lookupsBefore) {

    /** @param state the server's records as {@link ApiSyncFixture#expected} lays out a model */
    public static MirrorRuns run(ApiSyncFixture fixture, String name, SyncConfig config, FakeApiServer server,
            List<Row> model, List<Row> next, Function<FakeApiServer, Map<String, List<String>>> state) {
        fixture.writeModel(name, model);
        RunSummary first = fixture.run(config);
        assertThat(first.status()).as(first.message()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(state.apply(server)).isEqualTo(expected(model));

        fixture.writeModel(name, next);
        for (long id = 1; id <= 5; id++) {
            server.forget(String.valueOf(id));
        }
        long writesBefore = server.writes();
        long lookupsBefore = server.lookups();
        RunSummary second = fixture.run(config);

        assertThat(second.status()).as(second.message()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(state.apply(server)).isEqualTo(expected(next));
        return new MirrorRuns(first, second, writesBefore, lookupsBefore);
    }
}

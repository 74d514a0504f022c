package io.backflow.load.postgres;

import io.backflow.config.SyncMode;
import io.backflow.config.UpdateFields;
import io.backflow.load.ChangeLayout;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.backflow.load.postgres.TestTables.simpleLayout;
import static io.backflow.load.postgres.TestTables.simpleLayoutWithChanged;
import static org.assertj.core.api.Assertions.assertThat;

/** The statements a writer runs: full rows unless updates send their changed columns only. */
class StagingSqlTest {

    private static final String TARGET = "\"public\".\"t\"";

    private static StagingSql sql(ChangeLayout layout) {
        return new StagingSql(TARGET, layout);
    }

    @Test
    void updateFieldsAllKeepsTheSingleFullRowUpsertWhetherOrNotThePlanNamesChangedColumns() {
        StagingSql plain = sql(simpleLayout(SyncMode.MIRROR));
        StagingSql all = sql(simpleLayoutWithChanged(SyncMode.MIRROR, UpdateFields.ALL));
        // Without the plan's list there is nothing to stage, whatever update_fields says.
        ChangeLayout withoutList = simpleLayout(SyncMode.MIRROR);
        StagingSql unnamed = sql(new ChangeLayout(withoutList.planSchema(), withoutList.key(), withoutList.columns(),
                SyncMode.MIRROR, UpdateFields.CHANGED));

        assertThat(plain.upsert()).containsExactly("INSERT INTO \"public\".\"t\" AS t (\"id\", \"name\", \"amount\") "
                + "SELECT \"id\", \"name\", \"amount\" FROM pg_temp.\"_backflow_stage\" WHERE \"_backflow_op\" <> "
                + "'DELETE' ON CONFLICT (\"id\") DO UPDATE SET \"name\" = EXCLUDED.\"name\", \"amount\" = "
                + "EXCLUDED.\"amount\"");
        for (StagingSql same : List.of(all, unnamed)) {
            assertThat(same.createStage()).isEqualTo(plain.createStage());
            assertThat(same.copy()).isEqualTo(plain.copy());
            assertThat(same.upsert()).isEqualTo(plain.upsert());
            assertThat(same.updateExisting()).isEqualTo(plain.updateExisting()).isEqualTo("UPDATE \"public\".\"t\" AS t"
                    + " SET \"name\" = s.\"name\", \"amount\" = s.\"amount\" FROM pg_temp.\"_backflow_stage\" AS s "
                    + "WHERE t.\"id\" = s.\"id\" RETURNING s.\"_backflow_index\"");
        }
        assertThat(StagingSql.stagesChanged(simpleLayoutWithChanged(SyncMode.MIRROR, UpdateFields.ALL))).isFalse();
    }

    @Test
    void updateFieldsChangedStagesPositionsAndSetsOnlyChangedColumnsBeforeTheFullRowUpsert() {
        StagingSql changed = sql(simpleLayoutWithChanged(SyncMode.UPSERT, UpdateFields.CHANGED));

        assertThat(changed.createStage().get(1)).isEqualTo("ALTER TABLE pg_temp.\"_backflow_stage\" ADD COLUMN "
                + "\"_backflow_index\" integer, ADD COLUMN \"_backflow_op\" text, ADD COLUMN \"_backflow_changed\" "
                + "integer[]");
        assertThat(changed.copy()).isEqualTo("COPY pg_temp.\"_backflow_stage\" (\"_backflow_index\", \"_backflow_op\", "
                + "\"_backflow_changed\", \"id\", \"name\", \"amount\") FROM STDIN WITH (FORMAT text, ENCODING 'UTF8')");
        assertThat(changed.upsert()).containsExactly(
                "UPDATE \"public\".\"t\" AS t SET "
                        + "\"name\" = CASE WHEN 1 = ANY(s.\"_backflow_changed\") THEN s.\"name\" ELSE t.\"name\" END, "
                        + "\"amount\" = CASE WHEN 2 = ANY(s.\"_backflow_changed\") THEN s.\"amount\" ELSE t.\"amount\" END"
                        + " FROM pg_temp.\"_backflow_stage\" AS s WHERE t.\"id\" = s.\"id\" AND s.\"_backflow_op\" = "
                        + "'UPDATE' AND cardinality(s.\"_backflow_changed\") > 0",
                "INSERT INTO \"public\".\"t\" AS t (\"id\", \"name\", \"amount\") SELECT s.\"id\", s.\"name\", "
                        + "s.\"amount\" FROM pg_temp.\"_backflow_stage\" AS s WHERE s.\"_backflow_op\" <> 'DELETE' AND "
                        + "(s.\"_backflow_changed\" IS NULL OR NOT EXISTS (SELECT 1 FROM \"public\".\"t\" AS d WHERE "
                        + "d.\"id\" = s.\"id\")) ON CONFLICT (\"id\") DO UPDATE SET \"name\" = EXCLUDED.\"name\", "
                        + "\"amount\" = EXCLUDED.\"amount\"");
        assertThat(changed.updateExisting()).isEqualTo("UPDATE \"public\".\"t\" AS t SET "
                + "\"name\" = CASE WHEN s.\"_backflow_changed\" IS NULL OR 1 = ANY(s.\"_backflow_changed\") THEN "
                + "s.\"name\" ELSE t.\"name\" END, "
                + "\"amount\" = CASE WHEN s.\"_backflow_changed\" IS NULL OR 2 = ANY(s.\"_backflow_changed\") THEN "
                + "s.\"amount\" ELSE t.\"amount\" END "
                + "FROM pg_temp.\"_backflow_stage\" AS s WHERE t.\"id\" = s.\"id\" RETURNING s.\"_backflow_index\"");
    }
}

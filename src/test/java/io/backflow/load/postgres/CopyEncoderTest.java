package io.backflow.load.postgres;

import io.backflow.config.SyncMode;
import io.backflow.config.UpdateFields;
import io.backflow.diff.Operation;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.backflow.load.postgres.TestTables.change;
import static io.backflow.load.postgres.TestTables.changed;
import static io.backflow.load.postgres.TestTables.simpleLayout;
import static io.backflow.load.postgres.TestTables.simpleLayoutWithChanged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** COPY text lines as PostgreSQL reads them. */
class CopyEncoderTest {

    @Test
    void writesNullsEmptyStringsAndEscapesAsTheCopyTextFormatReadsThem() {
        StringBuilder out = new StringBuilder();
        CopyEncoder encoder = new CopyEncoder(simpleLayout(SyncMode.MIRROR));
        encoder.append(out, 0, change(Operation.INSERT, 1L, "", null));
        encoder.append(out, 1, change(Operation.UPDATE, 2L, "a\tb\nc\rd\\e,\"f\" \\N \\.", 3));
        encoder.append(out, 2, change(Operation.DELETE, 3L, "ignored", 4));
        assertThat(out.toString()).isEqualTo("0\tINSERT\t1\t\t\\N\n"
                + "1\tUPDATE\t2\ta\\tb\\nc\\rd\\\\e,\"f\" \\\\N \\\\.\t3\n"
                + "2\tDELETE\t3\t\\N\t\\N\n");
    }

    @Test
    void writesAnUpdatesChangedColumnsAsPositionsAndNullForChangesThatWriteEveryColumn() {
        StringBuilder out = new StringBuilder();
        CopyEncoder encoder = new CopyEncoder(simpleLayoutWithChanged(SyncMode.MIRROR, UpdateFields.CHANGED));
        encoder.append(out, 0, changed(Operation.UPDATE, List.of("amount", "name"), 1L, "a", 1));
        encoder.append(out, 1, changed(Operation.UPDATE, List.of("amount"), 2L, "b", 2));
        encoder.append(out, 2, changed(Operation.UPDATE, null, 3L, "c", 3));
        encoder.append(out, 3, changed(Operation.INSERT, null, 4L, "d", 4));
        encoder.append(out, 4, changed(Operation.DELETE, null, 5L, null, null));
        assertThat(out.toString()).isEqualTo("0\tUPDATE\t{1,2}\t1\ta\t1\n"
                + "1\tUPDATE\t{2}\t2\tb\t2\n"
                + "2\tUPDATE\t\\N\t3\tc\t3\n"
                + "3\tINSERT\t\\N\t4\td\t4\n"
                + "4\tDELETE\t\\N\t5\t\\N\t\\N\n");

        // update_fields: all stages no list, as without one in the plan.
        StringBuilder all = new StringBuilder();
        new CopyEncoder(simpleLayoutWithChanged(SyncMode.MIRROR, UpdateFields.ALL))
                .append(all, 0, changed(Operation.UPDATE, List.of("amount"), 1L, "a", 1));
        assertThat(all.toString()).isEqualTo("0\tUPDATE\t1\ta\t1\n");
    }

    @Test
    void leavesNothingBehindWhenAValueCannotBeEncoded() {
        StringBuilder out = new StringBuilder("kept\n");
        CopyEncoder encoder = new CopyEncoder(simpleLayout(SyncMode.UPSERT));
        assertThatThrownBy(() -> encoder.append(out, 0, change(Operation.INSERT, 1L, "x", 1.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Column 'amount': A Spark int value must be a Integer, got java.lang.Double");
        assertThat(out.toString()).isEqualTo("kept\n");
    }
}

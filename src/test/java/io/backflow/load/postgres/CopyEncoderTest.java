package io.backflow.load.postgres;

import io.backflow.config.SyncMode;
import io.backflow.diff.Operation;
import org.junit.jupiter.api.Test;

import static io.backflow.load.postgres.TestTables.change;
import static io.backflow.load.postgres.TestTables.simpleLayout;
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
    void leavesNothingBehindWhenAValueCannotBeEncoded() {
        StringBuilder out = new StringBuilder("kept\n");
        CopyEncoder encoder = new CopyEncoder(simpleLayout(SyncMode.UPSERT));
        assertThatThrownBy(() -> encoder.append(out, 0, change(Operation.INSERT, 1L, "x", 1.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Column 'amount': A Spark int value must be a Integer, got java.lang.Double");
        assertThat(out.toString()).isEqualTo("kept\n");
    }
}

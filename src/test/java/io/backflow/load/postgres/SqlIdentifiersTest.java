package io.backflow.load.postgres;

import io.backflow.BackflowException;
import io.backflow.BackflowException.Category;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Identifier quoting. */
class SqlIdentifiersTest {

    @Test
    void quotesIdentifiersSoNoNameCanEscapeThem() {
        assertThat(SqlIdentifiers.quote("x\"; DROP TABLE y; --")).isEqualTo("\"x\"\"; DROP TABLE y; --\"");
        assertThat(SqlIdentifiers.qualified(Optional.of("My Schema"), "t")).isEqualTo("\"My Schema\".\"t\"");
        assertThatThrownBy(() -> SqlIdentifiers.quote("a".repeat(64)))
                .isInstanceOfSatisfying(BackflowException.class,
                        e -> assertThat(e.category()).isEqualTo(Category.INVALID_CONFIG))
                .hasMessage("PostgreSQL identifier '" + "a".repeat(64) + "' is 64 bytes long; the limit is 63"
                        + " (longer names are truncated by the server)");
        assertThatThrownBy(() -> SqlIdentifiers.quote("a\0b"))
                .hasMessage("PostgreSQL identifiers cannot contain a NUL character: 'a?b'");
    }
}

package io.backflow.load.salesforce;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The SOQL literals of the delete lookup: no key can end the literal or the query. */
class SalesforceApiTest {

    @Test
    void quotesAndEscapesTextKeys() {
        assertThat(SalesforceApi.literal("plain-42")).isEqualTo("'plain-42'");
        assertThat(SalesforceApi.literal("O'Brien")).isEqualTo("'O\\'Brien'");
        assertThat(SalesforceApi.literal("x') OR Name != ('")).isEqualTo("'x\\') OR Name != (\\''");
        assertThat(SalesforceApi.literal("back\\slash \"q\"\n")).isEqualTo("'back\\\\slash \\\"q\\\"\\n'");
    }
}

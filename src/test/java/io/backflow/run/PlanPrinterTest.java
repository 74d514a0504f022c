package io.backflow.run;

import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class PlanPrinterTest {

    @Test
    void samplesStayOnOneLineAndTimestampsAreUtc() {
        assertThat(PlanPrinter.display("tab\there\nnewline\r")).isEqualTo("tab\\there\\nnewline\\r");
        assertThat(PlanPrinter.display("back\\slash|pipe \u0007")).isEqualTo("back\\\\slash|pipe \\u0007");
        assertThat(PlanPrinter.display("李小龍 🚀")).isEqualTo("李小龍 🚀");
        assertThat(PlanPrinter.display(Timestamp.from(Instant.parse("2024-02-29T23:59:59.123456Z"))))
                .isEqualTo("2024-02-29T23:59:59.123456Z");
        assertThat(PlanPrinter.display(null)).isEqualTo("null");
    }
}

package io.backflow.load.postgres;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import java.net.SocketTimeoutException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** What an error means for a batch. */
class PostgresErrorsTest {

    @Test
    void classifiesErrorsByWhatARetryOrASplitCanDo() {
        assertThat(PostgresErrors.severity(new SQLException("reset", "08006"))).isEqualTo(PostgresErrors.Severity.TRANSIENT);
        assertThat(PostgresErrors.severity(new SQLException("x", "40001"))).isEqualTo(PostgresErrors.Severity.TRANSIENT);
        assertThat(PostgresErrors.severity(new SQLException("x", "40P01"))).isEqualTo(PostgresErrors.Severity.TRANSIENT);
        assertThat(PostgresErrors.severity(new SQLException("x", "53300"))).isEqualTo(PostgresErrors.Severity.TRANSIENT);
        assertThat(PostgresErrors.severity(new SQLException("x", "57P01"))).isEqualTo(PostgresErrors.Severity.TRANSIENT);
        assertThat(PostgresErrors.severity(new PSQLException("io", PSQLState.UNKNOWN_STATE, new SocketTimeoutException())))
                .isEqualTo(PostgresErrors.Severity.TRANSIENT);
        assertThat(PostgresErrors.severity(new SQLException("x", "23514"))).isEqualTo(PostgresErrors.Severity.RECORD);
        assertThat(PostgresErrors.severity(new SQLException("x", "22P02"))).isEqualTo(PostgresErrors.Severity.RECORD);
        assertThat(PostgresErrors.severity(new SQLException("x", "42501"))).isEqualTo(PostgresErrors.Severity.RECORD);
        assertThat(PostgresErrors.severity(new SQLException("x", "P0001"))).isEqualTo(PostgresErrors.Severity.RECORD);
        assertThat(PostgresErrors.severity(new SQLException("x", "42703"))).isEqualTo(PostgresErrors.Severity.BATCH);
        assertThat(PostgresErrors.severity(new SQLException("x", "28P01"))).isEqualTo(PostgresErrors.Severity.BATCH);
        assertThat(PostgresErrors.errorClass(new SQLException("x", "23514"))).isEqualTo("23514 check_violation");
        assertThat(PostgresErrors.errorClass(new SQLException("x", "2F005"))).isEqualTo("2F005");
        assertThat(PostgresErrors.errorClass(new SocketTimeoutException())).isEqualTo("SocketTimeoutException");
    }
}

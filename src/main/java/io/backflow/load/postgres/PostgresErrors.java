package io.backflow.load.postgres;

import io.backflow.BackflowException;
import io.backflow.BackflowException.Category;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.Map;

/**
 * What a PostgreSQL error means for a batch, and how it is named and described. Messages are the
 * server's own (with its detail), which never contain the password.
 */
final class PostgresErrors {

    /** What a failed batch transaction means. */
    enum Severity {
        /** The server or network failed, not the data: retry the batch on a new connection. */
        TRANSIENT,
        /** Some record of the batch was rejected: split the batch to find it. */
        RECORD,
        /**
         * The table or session cannot take any batch (a column or table that no longer exists, lost
         * privileges on the database): every record of the batch fails with the message, without
         * splitting, which would only repeat the same error about twice per record.
         */
        BATCH
    }

    /** Readable names of the SQLStates Backflow meets most, from PostgreSQL's errcodes.txt. */
    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("08000", "connection_exception"),
            Map.entry("08001", "sqlclient_unable_to_establish_sqlconnection"),
            Map.entry("08003", "connection_does_not_exist"),
            Map.entry("08004", "sqlserver_rejected_establishment_of_sqlconnection"),
            Map.entry("08006", "connection_failure"),
            Map.entry("08P01", "protocol_violation"),
            Map.entry("21000", "cardinality_violation"),
            Map.entry("22001", "string_data_right_truncation"),
            Map.entry("22003", "numeric_value_out_of_range"),
            Map.entry("22007", "invalid_datetime_format"),
            Map.entry("22008", "datetime_field_overflow"),
            Map.entry("22012", "division_by_zero"),
            Map.entry("22021", "character_not_in_repertoire"),
            Map.entry("22023", "invalid_parameter_value"),
            Map.entry("22P02", "invalid_text_representation"),
            Map.entry("22P05", "untranslatable_character"),
            Map.entry("23000", "integrity_constraint_violation"),
            Map.entry("23001", "restrict_violation"),
            Map.entry("23502", "not_null_violation"),
            Map.entry("23503", "foreign_key_violation"),
            Map.entry("23505", "unique_violation"),
            Map.entry("23514", "check_violation"),
            Map.entry("23P01", "exclusion_violation"),
            Map.entry("25006", "read_only_sql_transaction"),
            Map.entry("28000", "invalid_authorization_specification"),
            Map.entry("28P01", "invalid_password"),
            Map.entry("3D000", "invalid_catalog_name"),
            Map.entry("3F000", "invalid_schema_name"),
            Map.entry("40001", "serialization_failure"),
            Map.entry("40P01", "deadlock_detected"),
            Map.entry("42501", "insufficient_privilege"),
            Map.entry("42703", "undefined_column"),
            Map.entry("42804", "datatype_mismatch"),
            Map.entry("42P01", "undefined_table"),
            Map.entry("42P10", "invalid_column_reference"),
            Map.entry("44000", "with_check_option_violation"),
            Map.entry("53000", "insufficient_resources"),
            Map.entry("53100", "disk_full"),
            Map.entry("53200", "out_of_memory"),
            Map.entry("53300", "too_many_connections"),
            Map.entry("54000", "program_limit_exceeded"),
            Map.entry("55P03", "lock_not_available"),
            Map.entry("57014", "query_canceled"),
            Map.entry("57P01", "admin_shutdown"),
            Map.entry("57P02", "crash_shutdown"),
            Map.entry("57P03", "cannot_connect_now"),
            Map.entry("58030", "io_error"),
            Map.entry("P0001", "raise_exception"),
            Map.entry("XX000", "internal_error"));

    private PostgresErrors() {
    }

    /**
     * Transient: connection errors (class 08), serialization failures and deadlocks, exhausted
     * resources (53), shutdowns and restarts (57P01-03), statement and lock timeouts (57014, 55P03), I/O.
     * Batch: problems no record can cause or avoid: authorization (28), missing database or schema (3D,
     * 3F), a read-only session (25), unsupported features (0A), and syntax or access rule errors (42),
     * except 42501, which row-level security also raises for single rows. Record: everything else,
     * notably data exceptions (22) and constraint violations (23), but also errors raised by triggers
     * (P0), check options (44) and rows too large to index (54): when unsure, splitting is never wrong.
     */
    static Severity severity(Throwable error) {
        if (isIoFailure(error)) {
            return Severity.TRANSIENT;
        }
        String state = error instanceof SQLException sql && sql.getSQLState() != null ? sql.getSQLState() : "";
        if (state.startsWith("08") || state.startsWith("53") || state.equals("40001") || state.equals("40P01")
                || state.equals("57P01") || state.equals("57P02") || state.equals("57P03") || state.equals("57014")
                || state.equals("55P03") || state.equals("58030")) {
            return Severity.TRANSIENT;
        }
        if (state.startsWith("28") || state.startsWith("3D") || state.startsWith("3F") || state.startsWith("25")
                || state.startsWith("0A") || (state.startsWith("42") && !state.equals("42501"))) {
            return Severity.BATCH;
        }
        return Severity.RECORD;
    }

    /** {@code 23514 check_violation}; the exception's class name when there is no SQLState. */
    static String errorClass(Throwable error) {
        if (error instanceof SQLException sql && sql.getSQLState() != null) {
            String name = NAMES.get(sql.getSQLState());
            return name == null ? sql.getSQLState() : sql.getSQLState() + " " + name;
        }
        return error.getClass().getSimpleName();
    }

    /**
     * The server's message with its detail (e.g. the failing row) and, for data exceptions, where it
     * happened (e.g. the COPY column); the driver's message when the server sent none.
     */
    static String message(Throwable error) {
        ServerErrorMessage server = error instanceof PSQLException psql ? psql.getServerErrorMessage() : null;
        if (server == null || server.getMessage() == null) {
            return String.valueOf(error.getMessage());
        }
        StringBuilder text = new StringBuilder(server.getMessage());
        if (server.getDetail() != null) {
            text.append(" (detail: ").append(server.getDetail()).append(')');
        }
        if (server.getWhere() != null && server.getSQLState() != null && server.getSQLState().startsWith("22")) {
            text.append(" (where: ").append(server.getWhere()).append(')');
        }
        return text.toString();
    }

    /**
     * Why {@link PostgresDestination#check} could not connect: a wrong password, user or database is
     * {@code INVALID_CONFIG}; anything else may pass and is {@code TRANSIENT_DESTINATION}.
     */
    static BackflowException cannotConnect(PostgresTarget target, SQLException error) {
        String state = error.getSQLState() == null ? "" : error.getSQLState();
        boolean config = state.startsWith("28") || state.equals("3D000");
        String text = "Cannot connect to PostgreSQL " + target.describeServer() + " as user '" + target.user()
                + "' (" + target.maskedUrl() + "): " + message(error)
                + (config ? "; check destination.url, destination.user and destination.password" : "");
        return new BackflowException(config ? Category.INVALID_CONFIG : Category.TRANSIENT_DESTINATION, text, error);
    }

    /** Whether the failure is the network's or the driver's I/O rather than a server error. */
    private static boolean isIoFailure(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException || cause instanceof SQLTimeoutException) {
                return true;
            }
        }
        return false;
    }
}

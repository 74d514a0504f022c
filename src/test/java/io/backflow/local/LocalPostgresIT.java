package io.backflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LocalPostgresIT {

    @Test
    void storesUnicodeTextAndNumericsInAUtf8Database() throws SQLException {
        try (LocalPostgres postgres = LocalPostgres.start();
                Connection connection = connect(postgres)) {
            assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/postgres");
            assertThat(postgres.user()).isEqualTo("postgres");
            assertThat(queryString(connection, "SHOW server_encoding")).isEqualTo("UTF8");

            String text = "Grüße, 世界 — ünïcödé 🐘";
            BigDecimal amount = new BigDecimal("12345678901234567890.123456789");
            try (Statement statement = connection.createStatement()) {
                statement.execute(
                        "CREATE TABLE customer (id int PRIMARY KEY, name text NOT NULL, balance numeric(38, 9))");
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO customer VALUES (?, ?, ?)")) {
                insert.setInt(1, 1);
                insert.setString(2, text);
                insert.setBigDecimal(3, amount);
                assertThat(insert.executeUpdate()).isEqualTo(1);
            }
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(
                            "SELECT name, balance, length(name) FROM customer WHERE id = 1")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo(text);
                assertThat(rows.getBigDecimal(2)).isEqualByComparingTo(amount);
                assertThat(rows.getInt(3)).isEqualTo(text.codePointCount(0, text.length()));
            }
        }
    }

    @Test
    void runsTwoIndependentServersAtOnce() throws Exception {
        CompletableFuture<LocalPostgres> first = CompletableFuture.supplyAsync(LocalPostgres::start);
        CompletableFuture<LocalPostgres> second = CompletableFuture.supplyAsync(LocalPostgres::start);
        try (LocalPostgres a = first.get(3, TimeUnit.MINUTES);
                LocalPostgres b = second.get(3, TimeUnit.MINUTES);
                Connection toA = connect(a);
                Connection toB = connect(b)) {
            assertThat(a.port()).isNotEqualTo(b.port());
            assertThat(a.directory()).isNotEqualTo(b.directory());

            try (Statement statement = toA.createStatement()) {
                statement.execute("CREATE TABLE only_in_a (id int)");
            }
            assertThat(queryString(toA, "SELECT to_regclass('only_in_a')::text")).isEqualTo("only_in_a");
            assertThat(queryString(toB, "SELECT to_regclass('only_in_a')::text")).isNull();
            assertThat(queryString(toB, "SELECT 'b is up'")).isEqualTo("b is up");
        } finally {
            // If one start failed, the other must still be stopped.
            first.thenAccept(LocalPostgres::close);
            second.thenAccept(LocalPostgres::close);
        }
    }

    @Test
    void closeStopsTheServerAndDeletesItsDirectoryOnce() throws SQLException {
        LocalPostgres postgres = LocalPostgres.start();
        Path directory = postgres.directory();
        try (Connection connection = connect(postgres)) {
            assertThat(queryString(connection, "SELECT 'up'")).isEqualTo("up");
        }
        assertThat(directory.resolve("data/PG_VERSION")).exists();

        postgres.close();

        assertThat(directory).doesNotExist();
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", postgres.port()), 2_000);
            }
        }).isInstanceOf(ConnectException.class);
        postgres.close(); // idempotent: no second stop, no error
        assertThat(Files.exists(directory)).isFalse();
    }

    private static Connection connect(LocalPostgres postgres) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "");
    }

    private static String queryString(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }
}

package io.backflow.bench;

import io.backflow.local.LocalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's PostgreSQL side on a real server: the check that a load left the table equal to the model
 * must see every kind of wrong row, the COPY baseline must make it right, and the restore must bring back
 * the previous state so the next pass does the same work.
 */
class BenchPostgresIT {

    private static LocalPostgres postgres;

    @BeforeAll
    static void start() {
        postgres = LocalPostgres.start();
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void theCheckSeesEveryWrongRowTheCopyLoadFixesThemAndTheRestoreUndoesIt(@TempDir Path files) throws Exception {
        Path previous = Files.writeString(files.resolve("previous.csv"), String.join("\n",
                "1,10,value-1,1.50,2020-01-01 00:00:00",
                "2,20,value-2,2.50,2020-01-02 00:00:00",
                "3,30,value-3,3.50,2020-01-03 00:00:00", ""));
        Path changes = Files.writeString(files.resolve("changes.csv"), String.join("\n",
                "INSERT,4,40,value-4,4.50,2020-01-04 00:00:00",
                "UPDATE,2,21,\"value-2, \"\"changed\"\"\",2.75,2020-01-02 12:00:00.000001",
                "DELETE,3,,,,", ""));
        Path previousOfChanged = Files.writeString(files.resolve("previous-of-changed.csv"), String.join("\n",
                "2,20,value-2,2.50,2020-01-02 00:00:00",
                "3,30,value-3,3.50,2020-01-03 00:00:00", ""));
        BenchPostgres destination = new BenchPostgres(postgres.jdbcUrl(), postgres.user(), BenchOptions.KeyType.LONG,
                List.of("c0", "c1", "c2", "c3"));
        long modelRows = 3; // keys 1, 2 and 4

        destination.setUp(previous, changes, previousOfChanged);
        // 4 missing, 2 with old values, 3 not deleted
        assertThat(destination.differences(modelRows)).isEqualTo(3);

        destination.copyLoad(changes);
        assertThat(destination.differences(modelRows)).isZero();

        execute("UPDATE " + BenchPostgres.TABLE + " SET c3 = c3 + interval '1 microsecond' WHERE customer_id = 2");
        assertThat(destination.differences(modelRows)).isEqualTo(1);
        execute("INSERT INTO " + BenchPostgres.TABLE + " (customer_id, c0) VALUES (99, 1)");
        assertThat(destination.differences(modelRows)).as("a row too many").isEqualTo(2);
        execute("DELETE FROM " + BenchPostgres.TABLE + " WHERE customer_id = 99");

        destination.restore();
        assertThat(destination.differences(modelRows)).isEqualTo(3);
        destination.copyLoad(changes);
        assertThat(destination.differences(modelRows)).as("a restored table takes the same load again").isZero();
    }

    private static void execute(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}

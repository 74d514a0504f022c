package io.backflow.load.postgres;

import io.backflow.local.LocalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.concurrent.atomic.AtomicInteger;

/** One embedded PostgreSQL per test class, and fresh table names for its tests. */
abstract class PostgresTestBase {

    private static final AtomicInteger TABLES = new AtomicInteger();

    static LocalPostgres postgres;
    static TestTables tables;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = LocalPostgres.start();
        tables = new TestTables(postgres);
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (tables != null) {
            tables.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    /** A table name no other test of this JVM uses. */
    static String newTable() {
        return "t" + TABLES.incrementAndGet();
    }
}

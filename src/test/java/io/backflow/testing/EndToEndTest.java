package io.backflow.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * Base of the end-to-end test classes: one {@link SyncFixture} (Spark session and embedded PostgreSQL)
 * per test class, on a fresh temporary directory. Tests of a class use distinct sync and table names.
 */
public abstract class EndToEndTest {

    @TempDir
    protected static Path directory;
    protected static SyncFixture fixture;

    @BeforeAll
    static void startFixture() {
        fixture = new SyncFixture(directory);
    }

    @AfterAll
    static void stopFixture() {
        fixture.close();
    }
}

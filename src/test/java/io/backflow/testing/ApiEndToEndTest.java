package io.backflow.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * Base of the end-to-end tests of the API and file destinations: one {@link ApiSyncFixture} (Spark
 * {@code local[2]}, no database) per test class, on a fresh temporary directory.
 */
public abstract class ApiEndToEndTest {

    @TempDir
    protected static Path directory;
    protected static ApiSyncFixture fixture;

    @BeforeAll
    static void startFixture() {
        fixture = new ApiSyncFixture(directory, 2);
    }

    @AfterAll
    static void stopFixture() {
        fixture.close();
    }
}

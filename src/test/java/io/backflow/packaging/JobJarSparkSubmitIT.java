package io.backflow.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.backflow.local.LocalPostgres;
import io.backflow.testing.TestSpark;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar as a cluster sees it: its contents, and a real sync run through Spark's own
 * {@code SparkSubmit} in a child JVM whose classpath holds only what a cluster provides (Spark,
 * Delta and their dependencies, written by the {@code spark-provided-classpath} execution of the
 * dependency plugin) and the job jar, handed over the way {@code spark-submit} hands it over.
 *
 * <p>Runs in Failsafe after {@code package}; Failsafe passes the jar's path as {@code backflow.jobJar}.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class JobJarSparkSubmitIT {

    private static final Path JOB_JAR =
            Path.of(System.getProperty("backflow.jobJar", "target/backflow-0.1.0-SNAPSHOT-job.jar")).toAbsolutePath();
    private static final Path CLUSTER_CLASSPATH = JOB_JAR.resolveSibling("spark-provided-classpath.txt");
    private static final Path CHILD_OUTPUT = JOB_JAR.resolveSibling("JobJarSparkSubmitIT-spark-submit.log");
    private static final Duration CHILD_DEADLINE = Duration.ofMinutes(5);
    private static final int CHILD_OUTPUT_TAIL_LINES = 150;
    private static final long MODEL_ROWS = 200;

    /** The pom's java17.opens (Failsafe passes them): Spark on Java 17 needs them, and spark-submit adds the same. */
    private static final List<String> JAVA17_OPENS =
            java.util.Arrays.stream(System.getProperty("backflow.javaOpens", "").split("\\s+"))
                    .filter(option -> !option.isEmpty()).toList();

    // The snowflake connector puts its own helpers into Spark's packages to reach package-private
    // APIs; they are part of the connector, not a copy of Spark.
    private static final List<String> SNOWFLAKE_IN_SPARK_PACKAGES =
            List.of("org/apache/spark/snowflake/", "org/apache/spark/sql/snowflake/");

    @TempDir
    static Path work;
    static SparkSession spark;

    @BeforeAll
    static void start() {
        assertThat(JOB_JAR).as("the job jar; run `mvn package` before this test").isRegularFile();
        assertThat(CLUSTER_CLASSPATH).as("the cluster classpath the dependency plugin writes at package")
                .isRegularFile();
        spark = TestSpark.start();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void jobJarShipsOurCodeAndDriversButNothingTheClusterProvides() throws IOException {
        List<String> entries;
        try (ZipFile jar = new ZipFile(JOB_JAR.toFile())) {
            entries = jar.stream().map(ZipEntry::getName).filter(name -> !name.endsWith("/")).toList();
        }

        assertThat(entries).contains("io/backflow/cli/Main.class", "org/postgresql/Driver.class");
        // Spark ships Guava 14, its own snakeyaml and Jackson: ours must only exist relocated.
        assertThat(entries).noneMatch(name -> name.startsWith("com/google/common/")
                || name.startsWith("com/google/thirdparty/"));
        assertThat(entries).noneMatch(name -> name.startsWith("org/yaml/snakeyaml/"));
        assertThat(entries).noneMatch(name -> name.startsWith("com/fasterxml/jackson/"));

        assertThat(entries).filteredOn(name -> name.startsWith("org/apache/spark/"))
                .allMatch(name -> SNOWFLAKE_IN_SPARK_PACKAGES.stream().anyMatch(name::startsWith),
                        "is the snowflake connector's, not Spark's");
        assertThat(entries).noneMatch(name -> name.startsWith("scala/"));
        assertThat(entries).noneMatch(name -> name.startsWith("io/delta/"));
        assertThat(entries).noneMatch(name -> name.startsWith("io/zonky/"));
        assertThat(entries).noneMatch(name -> name.startsWith("postgres-linux-"));
    }

    @Test
    void syncsAModelToPostgresUnderSparkSubmitWithOnlyWhatAClusterProvides() throws Exception {
        Path model = work.resolve("model");
        spark.range(1, MODEL_ROWS + 1)
                .selectExpr("id AS customer_id",
                        "concat('customer-', id, '@example.com') AS email",
                        "CAST(id * 10.25 AS DECIMAL(12,2)) AS lifetime_value")
                .coalesce(2)
                .write().parquet(model.toString());

        try (LocalPostgres postgres = LocalPostgres.start()) {
            Path config = Files.writeString(work.resolve("sync.yaml"), String.join("\n",
                    "name: packaging_proof",
                    "source:",
                    "  type: table",
                    "  format: parquet",
                    "  path: " + model,
                    "key: [customer_id]",
                    "mode: mirror",
                    "state_path: " + work.resolve("state"),
                    "writers: 2",
                    "destination:",
                    "  type: postgres",
                    "  url: " + postgres.jdbcUrl(),
                    "  user: " + postgres.user(),
                    "  table: public.customers",
                    "  batch_size: 50",
                    "  create_table: true",
                    ""));

            int exitCode = sparkSubmit("run", config.toString());

            assertThat(exitCode).as("exit code of `spark-submit ... run`; its output:%n%s", childOutput())
                    .isZero();
            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "")) {
                assertThat(queryLong(connection, "SELECT count(*) FROM public.customers")).isEqualTo(MODEL_ROWS);
                assertThat(queryLong(connection, "SELECT count(DISTINCT customer_id) FROM public.customers"))
                        .isEqualTo(MODEL_ROWS);
                assertThat(queryLong(connection, "SELECT count(*) FROM public.customers"
                        + " WHERE email = 'customer-' || customer_id || '@example.com'"
                        + " AND lifetime_value = customer_id * 10.25")).isEqualTo(MODEL_ROWS);
            }
        }
    }

    /**
     * Runs {@code spark-submit --class io.backflow.cli.Main <job jar> <args>} as a cluster would: a
     * JVM with the cluster's jars on its classpath, and the job jar loaded by SparkSubmit itself.
     * Returns the exit code; the output goes to {@link #CHILD_OUTPUT}.
     */
    private static int sparkSubmit(String... args) throws IOException, InterruptedException {
        String clusterClasspath = Files.readString(CLUSTER_CLASSPATH, StandardCharsets.UTF_8).strip();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.addAll(JAVA17_OPENS);
        command.addAll(List.of("-cp", clusterClasspath, "org.apache.spark.deploy.SparkSubmit",
                "--master", "local[2]",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.sql.shuffle.partitions=2",
                "--conf", "spark.default.parallelism=2",
                "--conf", "spark.databricks.delta.snapshotPartitions=2",
                "--conf", "spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension",
                "--conf", "spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog",
                "--class", "io.backflow.cli.Main",
                JOB_JAR.toString()));
        command.addAll(Arrays.asList(args));

        // To a file, not a pipe: nothing has to drain it, so a chatty child can never block.
        Process child = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(CHILD_OUTPUT.toFile())
                .redirectInput(Redirect.from(new File("/dev/null")))
                .start();
        if (!child.waitFor(CHILD_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            child.descendants().forEach(ProcessHandle::destroyForcibly);
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            fail("spark-submit did not finish within %s; its output:%n%s", CHILD_DEADLINE, childOutput());
        }
        return child.exitValue();
    }

    /** The end of the child's output (Spark logs at INFO, so all of it would drown the failure). */
    private static String childOutput() {
        try {
            List<String> lines = Files.readAllLines(CHILD_OUTPUT, StandardCharsets.UTF_8);
            int from = Math.max(0, lines.size() - CHILD_OUTPUT_TAIL_LINES);
            return "--- last " + (lines.size() - from) + " of " + lines.size() + " lines of " + CHILD_OUTPUT + " ---\n"
                    + String.join("\n", lines.subList(from, lines.size()));
        } catch (IOException e) {
            return "(could not read " + CHILD_OUTPUT + ": " + e + ")";
        }
    }

    private static long queryLong(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getLong(1);
        }
    }
}

package io.backflow.load.postgres;

import io.backflow.BackflowException;
import io.backflow.BackflowException.Category;
import io.backflow.config.PostgresConfig;
import io.backflow.config.Secret;
import io.backflow.config.SyncMode;
import io.backflow.load.ChangeLayout;
import io.backflow.load.Destination;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.backflow.load.postgres.TestTables.field;
import static io.backflow.load.postgres.TestTables.simpleLayout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PostgresDestinationIT extends PostgresTestBase {

    @Test
    void createTableTypesEveryColumnFromSparkWithTheKeyAsPrimaryKey() throws Exception {
        String table = newTable();
        ChangeLayout layout = TestTables.layout(SyncMode.UPSERT,
                List.of(field("region", DataTypes.StringType), field("id", DataTypes.LongType)),
                List.of(field("i", DataTypes.IntegerType), field("sh", DataTypes.ShortType),
                        field("b", DataTypes.ByteType), field("d", DataTypes.DoubleType),
                        field("f", DataTypes.FloatType), field("dec", DataTypes.createDecimalType(12, 3)),
                        field("bool", DataTypes.BooleanType), field("dt", DataTypes.DateType),
                        field("ts", DataTypes.TimestampType), field("ntz", DataTypes.TimestampNTZType),
                        field("bin", DataTypes.BinaryType), field("arr", DataTypes.createArrayType(DataTypes.LongType)),
                        field("m", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType)),
                        field("st", DataTypes.createStructType(List.of(field("a", DataTypes.IntegerType))))));
        Destination destination = new PostgresDestination(tables.config(Optional.empty(), table, true));
        destination.prepare(layout);
        // Preparing again finds the table and leaves it alone.
        destination.prepare(layout);

        assertThat(tables.query("SELECT attname::text, format_type(atttypid, atttypmod), attnotnull FROM pg_attribute"
                + " WHERE attrelid = '" + table + "'::regclass AND attnum > 0 ORDER BY attnum"))
                .map(row -> row.get(0) + " " + row.get(1) + (Boolean.TRUE.equals(row.get(2)) ? " not null" : ""))
                .containsExactly("region text not null", "id bigint not null", "i integer", "sh smallint",
                        "b smallint", "d double precision", "f real", "dec numeric(12,3)", "bool boolean", "dt date",
                        "ts timestamp with time zone", "ntz timestamp without time zone", "bin bytea", "arr jsonb",
                        "m jsonb", "st jsonb");
        assertThat(tables.query("SELECT a.attname::text FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                + " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = '" + table + "'::regclass AND i.indisprimary"
                + " ORDER BY a.attnum")).containsExactly(List.of("region"), List.of("id"));
    }

    @Test
    void createTableRejectsATypeWithoutAPostgresEquivalent() {
        ChangeLayout layout = TestTables.layout(SyncMode.UPSERT, List.of(field("id", DataTypes.LongType)),
                List.of(field("nothing", DataTypes.NullType)));
        assertThatThrownBy(() -> new PostgresDestination(tables.config(Optional.empty(), newTable(), true))
                .prepare(layout))
                .isInstanceOfSatisfying(BackflowException.class,
                        e -> assertThat(e.category()).isEqualTo(Category.INVALID_CONFIG))
                .hasMessageContaining("column nothing has Spark type void, which has no PostgreSQL column type");
    }

    @Test
    void checkReportsAMissingTableAndHowToCreateIt() {
        String table = newTable();
        assertThatThrownBy(() -> new PostgresDestination(tables.config(table)).check(simpleLayout(SyncMode.UPSERT)))
                .isInstanceOfSatisfying(BackflowException.class,
                        e -> assertThat(e.category()).isEqualTo(Category.INVALID_CONFIG))
                .hasMessageContaining("table " + table + " does not exist; create it or set destination.create_table: true");
        assertThatThrownBy(() -> new PostgresDestination(tables.config(Optional.of("no_such_schema"), table, false))
                .check(simpleLayout(SyncMode.UPSERT)))
                .hasMessageContaining("table no_such_schema." + table + " does not exist");
    }

    @Test
    void checkListsEveryMissingColumnAndTheMissingUniqueKeyAtOnce() throws Exception {
        String table = newTable();
        tables.execute("CREATE TABLE " + table + " (id bigint, \"Name\" text)");
        assertThatThrownBy(() -> new PostgresDestination(tables.config(table)).check(simpleLayout(SyncMode.MIRROR)))
                .isInstanceOfSatisfying(BackflowException.class,
                        e -> assertThat(e.category()).isEqualTo(Category.INVALID_CONFIG))
                .hasMessage("Cannot sync to postgres table " + table + ": it has no columns [name, amount]"
                        + " (names are case-sensitive; its columns are [id, Name]); it has no primary key or unique"
                        + " index on exactly [id], which mode 'mirror' needs for INSERT ... ON CONFLICT (unique keys"
                        + " found: []); add one, e.g. ALTER TABLE " + table + " ADD PRIMARY KEY (\"id\")");
    }

    @Test
    void checkWantsAUniqueKeyOnExactlyTheKeyColumnsExceptInUpdateMode() throws Exception {
        String table = newTable();
        tables.execute("CREATE TABLE " + table + " (id bigint, name text, amount integer, UNIQUE (id, name),"
                + " UNIQUE (id) DEFERRABLE INITIALLY DEFERRED)");
        tables.execute("CREATE UNIQUE INDEX ON " + table + " (id) WHERE amount > 0");
        PostgresDestination destination = new PostgresDestination(tables.config(table));
        assertThatThrownBy(() -> destination.check(simpleLayout(SyncMode.UPSERT)))
                .hasMessageContaining("no primary key or unique index on exactly [id], which mode 'upsert' needs"
                        + " for INSERT ... ON CONFLICT (unique keys found: [[id, name]])");
        destination.check(simpleLayout(SyncMode.UPDATE));

        tables.execute("CREATE UNIQUE INDEX ON " + table + " (id) INCLUDE (name)");
        destination.check(simpleLayout(SyncMode.INSERT));
    }

    @Test
    void checkReportsPrivilegesTheModeNeeds() throws Exception {
        String table = newTable();
        tables.createSimpleTable(table);
        tables.execute("CREATE ROLE " + table + "_reader LOGIN");
        tables.execute("GRANT SELECT, UPDATE ON " + table + " TO " + table + "_reader");
        PostgresConfig reader = new PostgresConfig(postgres.jdbcUrl(), table + "_reader", Optional.empty(),
                Optional.empty(), table, 10, false);
        assertThatThrownBy(() -> new PostgresDestination(reader).check(simpleLayout(SyncMode.MIRROR)))
                .hasMessage("Cannot sync to postgres table " + table + ": user '" + table + "_reader' lacks the"
                        + " INSERT, DELETE privileges on it, which mode 'mirror' needs");
        new PostgresDestination(reader).check(simpleLayout(SyncMode.UPDATE));
    }

    @Test
    void checkPassesForATableThatFitsAndChangesNothing() throws Exception {
        String table = newTable();
        tables.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, name text, amount integer, extra text)");
        new PostgresDestination(tables.config(table)).check(simpleLayout(SyncMode.MIRROR));
        assertThat(tables.simpleRows(table)).isEmpty();
    }

    @Test
    void anUnreachableServerIsTransientAndNamesHostAndDatabaseButNotThePassword() throws Exception {
        int port = freePort();
        PostgresConfig config = new PostgresConfig("jdbc:postgresql://127.0.0.1:" + port + "/app?password=hunter2",
                "app", Optional.of(new Secret("hunter2")), Optional.empty(), "customers", 10, false);
        assertThatThrownBy(() -> new PostgresDestination(config).check(simpleLayout(SyncMode.UPSERT)))
                .isInstanceOfSatisfying(BackflowException.class,
                        e -> assertThat(e.category()).isEqualTo(Category.TRANSIENT_DESTINATION))
                .hasMessageStartingWith("Cannot connect to PostgreSQL database 'app' on 127.0.0.1:" + port
                        + " as user 'app' (jdbc:postgresql://127.0.0.1:" + port + "/app?password=******): ")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aMissingDatabaseIsAConfigProblem() {
        String url = postgres.jdbcUrl().replace("/postgres", "/no_such_db");
        PostgresConfig config = new PostgresConfig(url, postgres.user(), Optional.empty(), Optional.empty(), "t", 10,
                false);
        assertThatThrownBy(() -> new PostgresDestination(config).check(simpleLayout(SyncMode.UPSERT)))
                .isInstanceOfSatisfying(BackflowException.class,
                        e -> assertThat(e.category()).isEqualTo(Category.INVALID_CONFIG))
                .hasMessageContaining("database \"no_such_db\" does not exist")
                .hasMessageContaining("check destination.url, destination.user and destination.password");
    }

    @Test
    void isSerializableAndDescribesItselfWithoutThePassword() throws Exception {
        PostgresConfig config = new PostgresConfig("jdbc:postgresql://db:5432/app?user=x&password=hunter2", "x",
                Optional.of(new Secret("hunter2")), Optional.of("public"), "customers", 500, false);
        PostgresDestination destination = new PostgresDestination(config);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(destination);
        }
        Destination copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (Destination) in.readObject();
        }
        assertThat(copy.batchSize()).isEqualTo(500);
        assertThat(copy.describe())
                .isEqualTo("postgres table public.customers at jdbc:postgresql://db:5432/app?user=x&password=******");
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

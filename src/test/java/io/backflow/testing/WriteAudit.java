package io.backflow.testing;

/**
 * Counts, with a PostgreSQL trigger, every row write (insert, update or delete) a destination table
 * receives, per key: how tests prove that a resumed load did not send delivered records again. Writes of
 * transactions that rolled back leave no count, exactly as they leave no change.
 */
public final class WriteAudit {

    private final SyncFixture fixture;
    private final String auditTable;
    private final String keyColumn;

    private WriteAudit(SyncFixture fixture, String auditTable, String keyColumn) {
        this.fixture = fixture;
        this.auditTable = auditTable;
        this.keyColumn = keyColumn;
    }

    /**
     * Creates {@code table (id integer PRIMARY KEY, value numeric(12,2))} with a trigger recording each
     * row written into {@code <table>_writes}.
     */
    public static WriteAudit create(SyncFixture fixture, String table, String keyColumn, String valueColumn) {
        String audit = table + "_writes";
        fixture.execute("CREATE TABLE " + table + " (" + keyColumn + " integer PRIMARY KEY, " + valueColumn
                + " numeric(12,2))");
        fixture.execute("CREATE TABLE " + audit + " (" + keyColumn + " integer NOT NULL)");
        fixture.execute("CREATE FUNCTION " + audit + "_log() RETURNS trigger AS $$ BEGIN INSERT INTO " + audit
                + " VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD." + keyColumn + " ELSE NEW." + keyColumn
                + " END); RETURN NULL; END $$ LANGUAGE plpgsql");
        fixture.execute("CREATE TRIGGER " + audit + "_trigger AFTER INSERT OR UPDATE OR DELETE ON " + table
                + " FOR EACH ROW EXECUTE FUNCTION " + audit + "_log()");
        return new WriteAudit(fixture, audit, keyColumn);
    }

    /** Row writes so far. */
    public long writes() {
        return fixture.count(auditTable);
    }

    /** Writes beyond the first for each key: records the destination received more than once. */
    public long repeatedWrites() {
        return ((Number) fixture.query("SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM "
                + auditTable + " GROUP BY " + keyColumn + ") AS per_key").get(0).get(0)).longValue();
    }
}

package io.backflow.state;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The model behind the test fixture {@code src/test/resources/legacy-snapshot}: a sync's state directory
 * written by Backflow 0.1.0 at commit d0c962b, whose snapshot hashes rows with the first hash scheme
 * (column names and types folded into every row's hash). Every family of value is here, with nulls.
 * The fixture's sync is {@value #SYNC}, mirror mode, key {@code [id]}.
 */
public final class LegacySnapshotModel {

    public static final String SYNC = "legacy_customers";
    public static final int ROWS = 40;

    public static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("name", DataTypes.StringType)
            .add("ltv", DataTypes.createDecimalType(12, 2))
            .add("visits", DataTypes.IntegerType)
            .add("score", DataTypes.DoubleType)
            .add("active", DataTypes.BooleanType)
            .add("signup", DataTypes.DateType)
            .add("seen_at", DataTypes.TimestampType)
            .add("tags", DataTypes.createArrayType(DataTypes.StringType))
            .add("attributes", DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType))
            .add("address", new StructType().add("city", DataTypes.StringType).add("zip", DataTypes.StringType));

    private LegacySnapshotModel() {
    }

    public static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (long id = 1; id <= ROWS; id++) {
            boolean nulls = id % 7 == 0;
            rows.add(RowFactory.create(id,
                    nulls ? null : "Zoë " + id,
                    nulls ? null : new BigDecimal(id + ".25"),
                    nulls ? null : (int) (id * 3),
                    nulls ? null : id / 4.0,
                    nulls ? null : id % 2 == 0,
                    nulls ? null : Date.valueOf("2021-03-" + (10 + id % 18)),
                    nulls ? null : Timestamp.from(java.time.Instant.parse("2024-02-29T23:59:59.123456Z")),
                    nulls ? null : List.of("a" + id, id % 3 == 0 ? "" : "b"),
                    nulls ? null : Map.of("k", (int) id),
                    nulls ? null : RowFactory.create("City " + id, id % 5 == 0 ? null : "0" + id)));
        }
        return rows;
    }
}

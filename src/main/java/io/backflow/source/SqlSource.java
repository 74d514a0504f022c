package io.backflow.source;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** A Spark SQL query over whatever tables and views the session can see. */
final class SqlSource implements Source {

    private final String query;

    SqlSource(String query) {
        this.query = query;
    }

    @Override
    public Dataset<Row> load(SparkSession spark) {
        return spark.sql(query);
    }

    @Override
    public String describe() {
        return "Spark SQL query";
    }
}

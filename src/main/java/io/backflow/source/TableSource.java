package io.backflow.source;

import io.backflow.config.Secret;
import io.backflow.config.SourceConfig;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Any Spark-readable path in a format, or a catalog table. */
final class TableSource implements Source {

    private final SourceConfig.Table config;

    TableSource(SourceConfig.Table config) {
        this.config = config;
    }

    @Override
    public Dataset<Row> load(SparkSession spark) {
        DataFrameReader reader = spark.read().options(config.options());
        config.format().ifPresent(reader::format);
        if (config.path().isPresent()) {
            return reader.load(config.path().get());
        }
        return reader.table(config.table().orElseThrow());
    }

    @Override
    public String describe() {
        return config.path().map(path -> config.format().orElse("") + " at " + path)
                .orElseGet(() -> "table " + config.table().orElseThrow())
                + (config.options().isEmpty() ? "" : " with options " + Secret.maskOptions(config.options()));
    }
}

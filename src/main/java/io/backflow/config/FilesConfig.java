package io.backflow.config;

/**
 * Change files ({@code type: files}): every run's changes as one folder of Parquet or JSON-lines files
 * under {@code path}, published with a manifest.
 *
 * @param path a local path or Hadoop FileSystem URI ({@code s3a://bucket/changes})
 * @param format the file format
 */
public record FilesConfig(String path, Format format) implements DestinationConfig {

    /** How change records are written. */
    public enum Format {
        PARQUET, JSON
    }

    /** Changes per partition-writer batch; the files themselves are written by one Spark job. */
    public static final int BATCH_SIZE = 100_000;

    @Override
    public int batchSize() {
        return BATCH_SIZE;
    }

    @Override
    public String type() {
        return "files";
    }

    /** Yes: a delete is a change record like any other. */
    @Override
    public boolean canDelete() {
        return true;
    }
}

package io.backflow.cli;

import io.backflow.BackflowException;
import io.backflow.config.ConfigLoader;
import io.backflow.config.SyncConfig;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Reads a sync config from a local path, or from any Hadoop FileSystem URI ({@code s3://},
 * {@code abfss://}, {@code dbfs:/}) so a cluster job can keep its configs next to its jar.
 */
final class ConfigFiles {

    /** A URI scheme of two or more letters (one letter is a Windows drive); {@code file:} stays local. */
    private static final Pattern REMOTE = Pattern.compile("(?i)(?!file:)[a-z][a-z0-9+.-]+:/.*");

    private ConfigFiles() {
    }

    static SyncConfig load(ConfigLoader loader, String location) {
        if (!REMOTE.matcher(location).matches()) {
            // A plain path, whatever characters it holds: read without Spark or Hadoop.
            String local = location.regionMatches(true, 0, "file:", 0, 5) ? location.substring(5) : location;
            return loader.load(java.nio.file.Path.of(local));
        }
        Path path = new Path(location);
        try {
            FileSystem fileSystem = path.getFileSystem(new Configuration());
            try (FSDataInputStream in = fileSystem.open(path)) {
                return loader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "'" + location + "'");
            }
        } catch (IOException e) {
            throw new BackflowException(BackflowException.Category.INVALID_CONFIG,
                    "Invalid sync config '" + location + "': cannot read the file (" + e + ")", e);
        }
    }
}

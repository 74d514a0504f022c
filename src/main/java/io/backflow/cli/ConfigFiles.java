package io.backflow.cli;

import io.backflow.BackflowException;
import io.backflow.config.ConfigLoader;
import io.backflow.config.SyncConfig;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Reads a sync config from a local path, or from any Hadoop FileSystem URI ({@code s3://},
 * {@code abfss://}, {@code dbfs:/}) so a cluster job can keep its configs next to its jar.
 */
final class ConfigFiles {

    private ConfigFiles() {
    }

    static SyncConfig load(ConfigLoader loader, String location) {
        String scheme = URI.create(location.replace(" ", "%20")).getScheme();
        if (scheme == null || scheme.equals("file") || scheme.length() == 1) {
            // A plain path (or a Windows drive letter): no Spark or Hadoop needed to read it.
            return loader.load(java.nio.file.Path.of(scheme == null ? location : URI.create(location).getPath()));
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

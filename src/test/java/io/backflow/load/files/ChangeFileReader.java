package io.backflow.load.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A consumer of change files that follows the reader contract of {@link ChangeFiles} to the letter: only
 * folders with a manifest, only the files it lists, runs in run id order. Replays contacts (key
 * {@code contact_id}, values {@code email} and {@code score}) into id → [email, score].
 */
final class ChangeFileReader {

    private final SparkSession spark;
    private final Path root;

    ChangeFileReader(SparkSession spark, Path root) {
        this.spark = spark;
        this.root = root;
    }

    /** The published run folders, in the order to apply them. */
    List<Path> publishedRuns() {
        try (Stream<Path> folders = Files.list(root)) {
            return folders.filter(folder -> Files.exists(folder.resolve(ChangeFiles.MANIFEST))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<String, List<String>> replay() {
        Map<String, List<String>> state = new LinkedHashMap<>();
        for (Path run : publishedRuns()) {
            for (Row change : changes(run)) {
                String id = String.valueOf(change.getStruct(change.fieldIndex("key")).get(0));
                if (change.getString(change.fieldIndex("operation")).equals("DELETE")) {
                    state.remove(id);
                } else {
                    Row values = change.getStruct(change.fieldIndex("values"));
                    state.put(id, List.of(String.valueOf(values.get(values.fieldIndex("email"))),
                            String.valueOf(values.get(values.fieldIndex("score")))));
                }
            }
        }
        return state;
    }

    List<Row> changes(Path run) {
        try {
            JsonNode manifest = new ObjectMapper().readTree(run.resolve(ChangeFiles.MANIFEST).toFile());
            List<String> files = new ArrayList<>();
            manifest.path("files").forEach(file -> files.add(run.resolve(file.asText()).toString()));
            List<Row> rows = spark.read().format(manifest.path("format").asText())
                    .load(files.toArray(String[]::new)).collectAsList();
            if (rows.size() != manifest.path("records").asLong()) {
                throw new IllegalStateException(run + ": manifest says " + manifest.path("records") + " records, files hold "
                        + rows.size());
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.backflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What one CLI command printed and returned, as a scheduler would see it; plus helpers to set one up. */
record CommandResult(int exitCode, String stdout, String stderr) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RUN_ID = Pattern.compile("run=(\\S+)");

    /** Runs {@code backflow <args>} in this JVM (sharing the test's Spark session). */
    static CommandResult main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
        return new CommandResult(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** What a terminal shows: stdout, then stderr. */
    String output() {
        return stdout + stderr;
    }

    /** Writes a config file as a user would, returning its path. */
    static String configFile(Path directory, String name, String yaml) {
        try {
            return Files.writeString(directory.resolve(name + ".yaml"), yaml).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows (id, score) for ids {@code from..to}, all with {@code score}. */
    static List<Row> scores(int from, int to, int score) {
        List<Row> rows = new ArrayList<>();
        for (int id = from; id <= to; id++) {
            rows.add(RowFactory.create(id, score));
        }
        return rows;
    }

    /** The run id in the summary line. */
    String runId() {
        Matcher matcher = RUN_ID.matcher(stdout);
        assertThat(matcher.find()).as("a run id in: " + output()).isTrue();
        return matcher.group(1);
    }

    List<String> lines() {
        return stdout.lines().toList();
    }

    /** The lines as JSON; fails if any line is not one JSON object. */
    List<JsonNode> jsonLines() {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : lines()) {
            try {
                JsonNode node = JSON.readTree(line);
                assertThat(node.isObject()).as(line).isTrue();
                nodes.add(node);
            } catch (IOException e) {
                throw new UncheckedIOException("Not a JSON line: " + line, e);
            }
        }
        return nodes;
    }
}

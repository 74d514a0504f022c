package io.backflow.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Keeps the documented examples of command output true: a test that produced an output compares it with the
 * fenced block that follows {@code <!-- output: NAME -->} in {@code docs/commands.md}. What varies from run to run
 * (run ids, timestamps, durations, temporary paths, ports) is normalised on both sides; in the docs, a line {@code …}
 * stands for any number of lines and {@code …} inside a line for any text.
 */
public final class DocumentedOutput {

    private static final Path DOCS = Path.of("docs", "commands.md");
    private static final String ELLIPSIS = "\u2026";
    private static final List<String[]> VARIABLE = List.of(
            new String[] {"\\d{8}T\\d{6}Z-[0-9a-f]{6}", "<run>"},
            new String[] {"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z", "<time>"},
            new String[] {"\\d+\\.\\d s", "<s> s"},
            new String[] {"/tmp/junit-?\\d+", "<tmp>"},
            new String[] {"127\\.0\\.0\\.1:\\d+", "127.0.0.1:<port>"},
            new String[] {" +", " "});

    private DocumentedOutput() {
    }

    /** Asserts that {@code actual} is what the docs show under {@code <!-- output: name -->}. */
    public static void assertDocumented(String name, String actual) {
        List<String> expected = block(name).stream().map(DocumentedOutput::normalise).toList();
        List<String> lines = actual.lines().map(DocumentedOutput::normalise).toList();
        if (!matches(expected, 0, lines, 0)) {
            fail("The documented example '" + name + "' no longer matches what the command prints.%n" + DOCS + ":%n%s%n"
                    + "printed:%n%s", String.join("\n", block(name)), actual);
        }
    }

    private static List<String> block(String name) {
        List<String> readme;
        try {
            readme = Files.readAllLines(DOCS, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int marker = readme.indexOf("<!-- output: " + name + " -->");
        assertThat(marker).as("%s has <!-- output: %s -->", DOCS, name).isNotNegative();
        int open = marker + 1;
        while (!readme.get(open).startsWith("```")) {
            open++;
        }
        List<String> lines = new ArrayList<>();
        for (int i = open + 1; !readme.get(i).startsWith("```"); i++) {
            lines.add(readme.get(i));
        }
        return lines;
    }

    private static String normalise(String line) {
        String text = line.strip();
        for (String[] rule : VARIABLE) {
            text = text.replaceAll(rule[0], rule[1]);
        }
        return text;
    }

    /** Whether {@code lines} from {@code at} match {@code expected} from {@code from}, with {@code …} lines. */
    private static boolean matches(List<String> expected, int from, List<String> lines, int at) {
        if (from == expected.size()) {
            return at == lines.size();
        }
        String pattern = expected.get(from);
        if (pattern.equals(ELLIPSIS)) {
            for (int skip = at; skip <= lines.size(); skip++) {
                if (matches(expected, from + 1, lines, skip)) {
                    return true;
                }
            }
            return false;
        }
        return at < lines.size() && lineMatches(pattern, lines.get(at)) && matches(expected, from + 1, lines, at + 1);
    }

    private static boolean lineMatches(String pattern, String line) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split(ELLIPSIS, -1)) {
            if (regex.length() > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        // The docs' "…" in a line stands for any text, also for a run id or a time already normalised.
        return line.matches(regex.toString()) || line.equals(pattern);
    }
}

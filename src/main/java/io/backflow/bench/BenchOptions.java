package io.backflow.bench;

import io.backflow.BackflowException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * What {@code bench} measures and how often.
 *
 * @param rows rows of the previous snapshot (the model has about as many)
 * @param changeFraction share of rows that change: half updates, a quarter inserts, a quarter deletes
 * @param keyType {@code long} or {@code string} keys
 * @param columns synced value columns besides the key
 * @param runs timed passes per measurement; the report shows their median
 * @param warmups untimed passes before them
 * @param writers Backflow's parallel PostgreSQL writers
 * @param workDirectory where the data, state and embedded PostgreSQL live (kept for inspection)
 * @param json where the report is written as JSON
 */
public record BenchOptions(long rows, double changeFraction, KeyType keyType, int columns, int runs, int warmups,
        int writers, Path workDirectory, Path json) {

    /** The key column's type. */
    public enum KeyType { LONG, STRING }

    /** The bench's help, printed by {@code bench --help} (what it measures is described in docs/performance.md). */
    public static final String USAGE = String.join("\n",
            "Usage: bench --rows N [--change-fraction F] [--key-type long|string] [--columns C] [--runs R]",
            "             [--warmups W] [--writers N] [--work-dir DIR] [--json FILE]",
            "  --rows N              rows of the previous snapshot (required; _ allowed: 10_000_000)",
            "  --change-fraction F   share of rows changed: half updates, a quarter inserts, a quarter deletes "
                    + "(default 0.02)",
            "  --key-type T          long (default) or string keys",
            "  --columns C           value columns besides the key, cycling bigint, text, numeric, timestamp "
                    + "(default 6)",
            "  --runs R              timed passes, the report shows the median (default 3)",
            "  --warmups W           untimed passes first (default 1)",
            "  --writers N           Backflow's PostgreSQL writers (default 4, the sync default)",
            "  --work-dir DIR        data, state and PostgreSQL cluster (default a new temp directory)",
            "  --json FILE           the report as JSON (default <work-dir>/bench-<rows>.json)");

    public BenchOptions {
        require(rows >= 1000, "--rows must be at least 1000, got " + rows);
        require(changeFraction > 0 && changeFraction <= 0.5, "--change-fraction must be in (0, 0.5], got "
                + changeFraction);
        require(columns >= 1 && columns <= 100, "--columns must be 1..100, got " + columns);
        require(runs >= 1, "--runs must be at least 1, got " + runs);
        require(warmups >= 0, "--warmups must not be negative, got " + warmups);
        require(writers >= 1, "--writers must be at least 1, got " + writers);
    }

    /**
     * Parses the arguments after {@code bench}.
     *
     * @throws BackflowException {@code INVALID_INPUT} with the usage for a wrong argument
     */
    public static BenchOptions parse(String[] args) {
        Long rows = null;
        double changeFraction = 0.02;
        KeyType keyType = KeyType.LONG;
        int columns = 6;
        int runs = 3;
        int warmups = 1;
        int writers = 4;
        Optional<Path> workDirectory = Optional.empty();
        Optional<Path> json = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help")) {
                throw usage("bench: what it measures is described in docs/performance.md");
            }
            if (i + 1 >= args.length) {
                throw usage("'" + option + "' needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--rows" -> rows = whole(option, value);
                case "--change-fraction" -> changeFraction = fraction(option, value);
                case "--key-type" -> keyType = switch (value) {
                    case "long" -> KeyType.LONG;
                    case "string" -> KeyType.STRING;
                    default -> throw usage("--key-type must be long or string, got '" + value + "'");
                };
                case "--columns" -> columns = count(option, value);
                case "--runs" -> runs = count(option, value);
                case "--warmups" -> warmups = count(option, value);
                case "--writers" -> writers = count(option, value);
                case "--work-dir" -> workDirectory = Optional.of(Path.of(value));
                case "--json" -> json = Optional.of(Path.of(value));
                default -> throw usage("unknown option '" + option + "' (arguments: " + Arrays.toString(args) + ")");
            }
        }
        if (rows == null) {
            throw usage("--rows is required");
        }
        Path work = workDirectory.orElseGet(BenchOptions::temporaryDirectory).toAbsolutePath();
        long rowCount = rows;
        try {
            return new BenchOptions(rowCount, changeFraction, keyType, columns, runs, warmups, writers, work,
                    json.orElse(work.resolve("bench-" + rowCount + ".json")).toAbsolutePath());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private static long whole(String option, String value) {
        try {
            return Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw usage(option + " must be a whole number, got '" + value + "'");
        }
    }

    private static int count(String option, String value) {
        long number = whole(option, value);
        if (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE) {
            throw usage(option + " is out of range, got " + value);
        }
        return (int) number;
    }

    private static double fraction(String option, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw usage(option + " must be a number, got '" + value + "'");
        }
    }

    private static Path temporaryDirectory() {
        try {
            return java.nio.file.Files.createTempDirectory("backflow-bench-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot create the benchmark's work directory", e);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private static BackflowException usage(String problem) {
        return new BackflowException(BackflowException.Category.INVALID_INPUT, problem + "\n" + USAGE);
    }
}

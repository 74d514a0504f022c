package io.backflow.cli;

import io.backflow.BackflowException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The parsed command line: {@code <command> [config] [options]}. Every option belongs to particular
 * commands; one given to another command is rejected rather than ignored, so a typo such as
 * {@code plan --full-resync} never passes silently.
 *
 * @param command run, plan, validate, history, failures, reset, undo, demo, or help (whose topic, a
 *     command name, is in {@code configPath})
 * @param configPath the sync config, for every command but demo
 * @param forceReason present when {@code run --force} or {@code undo --force} was given
 * @param fullResync {@code run --full-resync}: send every model row whatever the snapshot says
 * @param demoRows rows of the demo model
 * @param format how history and failures print
 * @param limit most rows history or failures print (their own default when not given)
 * @param runId {@code failures --run}: the run to show instead of the newest one with failures;
 *     {@code undo --run}: the run to undo
 * @param confirmed {@code reset --yes}: really delete the state
 * @param apply {@code undo --apply}: really send the restoring changes
 */
record CommandLine(String command, Optional<String> configPath, Optional<String> forceReason, boolean fullResync,
        long demoRows, OutputFormat format, int limit, Optional<String> runId, boolean confirmed, boolean apply) {

    static final String USAGE = String.join("\n",
            "Usage: backflow <command> [arguments]",
            "  run <config.yaml> [--force[=REASON]] [--full-resync]",
            "                                         one sync run; --force overrides the guards (the reason is",
            "                                         recorded); --full-resync sends every model row whatever the",
            "                                         snapshot holds",
            "  plan <config.yaml>                     dry run: counts and a sample of changes; sends nothing",
            "  validate <config.yaml>                 check config, model schema, key and destination; sends nothing",
            "  history <config.yaml> [--json] [--limit N]",
            "                                         the runs, newest first (default limit 20; --json: JSON Lines)",
            "  failures <config.yaml> [--run ID] [--json] [--limit N]",
            "                                         undelivered records of run ID, by default of the newest run",
            "                                         with any (default limit 50; --json: JSON Lines)",
            "  reset <config.yaml> [--yes]            shows what would be removed; --yes deletes the sync's state so",
            "                                         the next run sends every model row again (destination untouched)",
            "  undo <config.yaml> --run ID [--apply] [--force[=REASON]]",
            "                                         shows the changes that restore the destination to its state",
            "                                         before run ID (and the runs after it); --apply sends them",
            "  demo [--rows N]                        end-to-end demo on an embedded PostgreSQL (default 1000000 rows)",
            "  bench --rows N [options]               Backflow's phases against DuckDB and COPY baselines (bench --help)",
            "Exit codes: 0 clean, 1 some records failed, 2 bad config or input (also: reset without --yes),",
            "3 stopped by a guard or another run's lock, 4 error, 5 destination unreachable (nothing sent; retry later)");

    static final long DEFAULT_DEMO_ROWS = 1_000_000;
    static final int DEFAULT_HISTORY_LIMIT = 20;
    static final int DEFAULT_FAILURES_LIMIT = 50;

    /** Whether an option takes a value, and how. */
    private enum Arity {
        /** A flag: {@code --json}. */
        NONE,
        /** Only as {@code --force=REASON}: a separate next argument would be taken for the config path. */
        OPTIONAL_ATTACHED,
        /** {@code --limit 5} or {@code --limit=5}. */
        REQUIRED
    }

    private enum Option {
        FORCE("--force", Arity.OPTIONAL_ATTACHED, "run", "undo"),
        FULL_RESYNC("--full-resync", Arity.NONE, "run"),
        JSON("--json", Arity.NONE, "history", "failures"),
        LIMIT("--limit", Arity.REQUIRED, "history", "failures"),
        RUN("--run", Arity.REQUIRED, "failures", "undo"),
        YES("--yes", Arity.NONE, "reset"),
        APPLY("--apply", Arity.NONE, "undo"),
        ROWS("--rows", Arity.REQUIRED, "demo");

        final String flag;
        final Arity arity;
        final List<String> commands;

        Option(String flag, Arity arity, String... commands) {
            this.flag = flag;
            this.arity = arity;
            this.commands = List.of(commands);
        }

        static Optional<Option> of(String flag) {
            return Arrays.stream(values()).filter(option -> option.flag.equals(flag)).findFirst();
        }
    }

    private static final Set<String> SYNC_COMMANDS = Set.of("run", "plan", "validate", "history", "failures",
            "reset", "undo");

    private static final Set<String> HELP_FLAGS = Set.of("help", "--help", "-h");

    static CommandLine parse(String[] args) {
        if (args.length == 0) {
            throw usage("no command given");
        }
        String command = args[0];
        if (HELP_FLAGS.contains(command)) {
            return help(args.length > 1 ? Optional.of(args[1]) : Optional.empty());
        }
        if (Arrays.stream(args).skip(1).anyMatch(arg -> arg.equals("--help") || arg.equals("-h"))) {
            return help(Optional.of(command));
        }
        if (!SYNC_COMMANDS.contains(command) && !command.equals("demo")) {
            throw usage("unknown command '" + command + "'");
        }
        List<String> positional = new ArrayList<>();
        Set<Option> given = EnumSet.noneOf(Option.class);
        Optional<String> forceReason = Optional.empty();
        Optional<String> runId = Optional.empty();
        Optional<Integer> limit = Optional.empty();
        long demoRows = DEFAULT_DEMO_ROWS;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                positional.add(arg);
                continue;
            }
            int equals = arg.indexOf('=');
            String flag = equals < 0 ? arg : arg.substring(0, equals);
            Option option = Option.of(flag).orElseThrow(() -> usage("unknown option '" + arg + "'"));
            if (!option.commands.contains(command)) {
                throw usage(flag + " applies to " + option.commands.stream().map(name -> "'" + name + "'")
                        .collect(Collectors.joining(", ")) + " only");
            }
            Optional<String> value = Optional.empty();
            if (equals >= 0) {
                if (option.arity == Arity.NONE) {
                    throw usage(flag + " takes no value, got '" + arg + "'");
                }
                value = Optional.of(arg.substring(equals + 1));
            } else if (option.arity == Arity.REQUIRED) {
                if (i + 1 >= args.length) {
                    throw usage(flag + " needs a value");
                }
                value = Optional.of(args[++i]);
            }
            given.add(option);
            switch (option) {
                case FORCE -> forceReason = Optional.of(value.orElse("no reason given"));
                case LIMIT -> limit = Optional.of(parseLimit(value.orElseThrow()));
                case RUN -> runId = Optional.of(parseRunId(value.orElseThrow()));
                case ROWS -> demoRows = parseRows(value.orElseThrow());
                case FULL_RESYNC, JSON, YES, APPLY -> {
                    // flags: their presence in 'given' is their value
                }
            }
        }
        if (command.equals("demo")) {
            if (!positional.isEmpty()) {
                throw usage("'demo' takes no config file");
            }
            return new CommandLine(command, Optional.empty(), Optional.empty(), false, demoRows,
                    OutputFormat.TABLE, 0, Optional.empty(), false, false);
        }
        if (positional.size() != 1) {
            throw usage("'" + command + "' takes one config file, got " + positional);
        }
        if (command.equals("undo") && runId.isEmpty()) {
            throw usage("'undo' needs --run ID: the run to undo (see 'history')");
        }
        int defaultLimit = command.equals("failures") ? DEFAULT_FAILURES_LIMIT : DEFAULT_HISTORY_LIMIT;
        return new CommandLine(command, Optional.of(positional.get(0)), forceReason,
                given.contains(Option.FULL_RESYNC), demoRows,
                given.contains(Option.JSON) ? OutputFormat.JSON_LINES : OutputFormat.TABLE,
                limit.orElse(defaultLimit), runId, given.contains(Option.YES), given.contains(Option.APPLY));
    }

    private static CommandLine help(Optional<String> topic) {
        return new CommandLine("help", topic, Optional.empty(), false, DEFAULT_DEMO_ROWS, OutputFormat.TABLE, 0,
                Optional.empty(), false, false);
    }

    /**
     * The help for {@code topic} (a command's usage lines and the exit codes), or the whole usage; an unknown
     * topic is a usage error.
     */
    static String help(String topic) {
        if (!SYNC_COMMANDS.contains(topic) && !topic.equals("demo")) {
            throw usage("unknown command '" + topic + "'");
        }
        List<String> lines = List.of(USAGE.split("\n"));
        List<String> own = new ArrayList<>();
        boolean inside = false;
        for (String line : lines) {
            if (line.startsWith("  " + topic + " ")) {
                inside = true;
            } else if (!line.startsWith("        ")) {
                inside = false;
            }
            if (inside) {
                own.add(line);
            }
        }
        own.add(0, lines.get(0));
        own.addAll(lines.subList(lines.size() - 2, lines.size()));
        return String.join("\n", own);
    }

    private static long parseRows(String text) {
        try {
            long rows = Long.parseLong(text.replace("_", ""));
            if (rows < 10) {
                throw usage("--rows must be at least 10, got " + text);
            }
            return rows;
        } catch (NumberFormatException e) {
            throw usage("--rows must be a whole number, got '" + text + "'");
        }
    }

    private static int parseLimit(String text) {
        try {
            int limit = Integer.parseInt(text.replace("_", ""));
            if (limit < 1) {
                throw usage("--limit must be at least 1, got " + text);
            }
            return limit;
        } catch (NumberFormatException e) {
            throw usage("--limit must be a whole number, got '" + text + "'");
        }
    }

    private static String parseRunId(String text) {
        if (text.isBlank()) {
            throw usage("--run needs a run id, e.g. 20261123T173050Z-567fae (see 'history')");
        }
        return text.strip();
    }

    private static BackflowException usage(String problem) {
        return new BackflowException(BackflowException.Category.INVALID_CONFIG, problem + "\n" + USAGE);
    }
}

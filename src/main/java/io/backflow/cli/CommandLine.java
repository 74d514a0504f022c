package io.backflow.cli;

import io.backflow.BackflowException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parsed command line: {@code <command> [config] [--force[=REASON]] [--rows N]}.
 *
 * @param command run, plan, validate or demo
 * @param configPath the sync config, for every command but demo
 * @param forceReason present when {@code --force} was given
 * @param demoRows rows of the demo model
 */
record CommandLine(String command, Optional<String> configPath, Optional<String> forceReason, long demoRows) {

    static final String USAGE = String.join("\n",
            "Usage: backflow <command> [arguments]",
            "  run <config.yaml> [--force[=REASON]]  one sync run; --force overrides the guards (reason is recorded)",
            "  plan <config.yaml>                     dry run: counts and a sample of changes; sends nothing",
            "  validate <config.yaml>                 check config, model schema, key and destination; sends nothing",
            "  demo [--rows N]                        end-to-end demo on an embedded PostgreSQL (default 1000000 rows)",
            "Exit codes: 0 clean, 1 some records failed, 2 bad config or input, 3 stopped by a guard, 4 error");

    static final long DEFAULT_DEMO_ROWS = 1_000_000;

    static CommandLine parse(String[] args) {
        if (args.length == 0) {
            throw usage("no command given");
        }
        String command = args[0];
        List<String> positional = new ArrayList<>();
        Optional<String> forceReason = Optional.empty();
        long demoRows = DEFAULT_DEMO_ROWS;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--force")) {
                forceReason = Optional.of("no reason given");
            } else if (arg.startsWith("--force=")) {
                forceReason = Optional.of(arg.substring("--force=".length()));
            } else if (arg.equals("--rows") && i + 1 < args.length) {
                demoRows = parseRows(args[++i]);
            } else if (arg.startsWith("--")) {
                throw usage("unknown option '" + arg + "'");
            } else {
                positional.add(arg);
            }
        }
        switch (command) {
            case "run", "plan", "validate" -> {
                if (positional.size() != 1) {
                    throw usage("'" + command + "' takes one config file, got " + positional);
                }
                if (forceReason.isPresent() && !command.equals("run")) {
                    throw usage("--force applies to 'run' only");
                }
                return new CommandLine(command, Optional.of(positional.get(0)), forceReason, demoRows);
            }
            case "demo" -> {
                if (!positional.isEmpty()) {
                    throw usage("'demo' takes no config file");
                }
                return new CommandLine(command, Optional.empty(), Optional.empty(), demoRows);
            }
            default -> throw usage("unknown command '" + command + "'");
        }
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

    private static BackflowException usage(String problem) {
        return new BackflowException(BackflowException.Category.INVALID_CONFIG, problem + "\n" + USAGE);
    }
}

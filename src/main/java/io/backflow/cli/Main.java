package io.backflow.cli;

import io.backflow.BackflowException;
import io.backflow.bench.BenchOptions;
import io.backflow.bench.Benchmark;
import io.backflow.config.ConfigLoader;
import io.backflow.config.SyncConfig;
import io.backflow.demo.Demo;
import io.backflow.load.Destination;
import io.backflow.load.Destinations;
import io.backflow.load.Sleeper;
import io.backflow.run.PlanPrinter;
import io.backflow.run.RunOptions;
import io.backflow.run.RunStatus;
import io.backflow.run.RunSummary;
import io.backflow.run.SyncRun;
import io.backflow.run.SyncValidation;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.List;

/**
 * The job's entry point, for {@code spark-submit --class io.backflow.cli.Main} and
 * {@code submit/local.sh}: {@code run}, {@code plan}, {@code validate}, {@code history}, {@code failures},
 * {@code reset}, {@code undo}, {@code demo} and
 * {@code bench}. A thin dispatcher: each command's work lives in its own class.
 */
public final class Main {

    /** Exit code of a run that ended with an unexpected error (a bug, a lost cluster). */
    public static final int EXIT_ERROR = 4;

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private final PrintStream out;
    private final PrintStream err;

    /**
     * @param out results: summaries, tables, JSON lines, help
     * @param err errors that stop a command (a bad argument, an unreadable config): never mixed into results,
     *     so {@code --json} output stays parseable
     */
    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int exitCode = new Main(System.out, System.err).execute(args);
        // Under YARN cluster mode a System.exit, even exit(0), makes Spark report the application as
        // failed, and Databricks discourages it in JAR tasks: a clean run returns normally. Local mode
        // exits explicitly because threads of the embedded PostgreSQL or Spark may keep the JVM up.
        if (exitCode != 0 || SparkSessions.isLocal()) {
            System.exit(exitCode);
        }
    }

    /** Runs one command and returns its exit code; never throws. */
    int execute(String[] args) {
        try {
            if (args.length > 0 && args[0].equals("bench")
                    && java.util.Arrays.stream(args).anyMatch(arg -> arg.equals("--help") || arg.equals("-h"))) {
                out.println(BenchOptions.USAGE);
                return 0;
            }
            if (args.length > 0 && args[0].equals("bench")) {
                return new Benchmark(out).run(BenchOptions.parse(java.util.Arrays.copyOfRange(args, 1, args.length)));
            }
            CommandLine commandLine = CommandLine.parse(args);
            if (commandLine.command().equals("help")) {
                out.println(commandLine.configPath().map(CommandLine::help).orElse(CommandLine.USAGE));
                return 0;
            }
            if (commandLine.command().equals("demo")) {
                return new Demo(out).run(commandLine.demoRows());
            }
            boolean readsStateOnly = List.of("history", "failures", "reset").contains(commandLine.command());
            SyncConfig config = ConfigFiles.load(readsStateOnly ? ConfigLoader.forStateOnly(System.getenv())
                    : new ConfigLoader(), commandLine.configPath().orElseThrow());
            LOG.info("{}", ConfigDescription.of(config));
            SparkSession spark = SparkSessions.getOrCreate("backflow " + commandLine.command() + " " + config.name());
            return switch (commandLine.command()) {
                case "run" -> report(syncRun(spark, config)
                        .run(new RunOptions(commandLine.forceReason(), commandLine.fullResync())));
                case "plan" -> {
                    RunSummary summary = syncRun(spark, config).plan();
                    new PlanPrinter(spark, config, out).print(summary);
                    yield report(summary);
                }
                case "validate" -> validate(spark, config, Destinations.create(config.destination()));
                case "history" -> new HistoryCommand(spark, config, out).print(commandLine.format(),
                        commandLine.limit());
                case "failures" -> new FailuresCommand(spark, config, out).print(commandLine.runId(),
                        commandLine.format(), commandLine.limit());
                case "undo" -> {
                    RunSummary summary = syncRun(spark, config).undo(commandLine.runId().orElseThrow(),
                            commandLine.apply(), new RunOptions(commandLine.forceReason(), false));
                    new PlanPrinter(spark, config, out).print(summary);
                    if (!commandLine.apply() && summary.status() == RunStatus.SUCCEEDED) {
                        out.println("To restore, run again with --apply.");
                    }
                    yield report(summary);
                }
                case "reset" -> commandLine.confirmed() ? new ResetCommand(spark, config, out).remove()
                        : new ResetCommand(spark, config, out).describe();
                default -> throw new IllegalStateException("CommandLine.parse admits no command " + commandLine);
            };
        } catch (BackflowException e) {
            err.println(e.getMessage());
            return RunStatus.of(e.category()).exitCode();
        } catch (Exception e) {
            // Spark's SparkException is checked but thrown undeclared from Scala, hence Exception here.
            LOG.error("Backflow failed", e);
            err.println("Backflow failed: " + e);
            return EXIT_ERROR;
        }
    }

    private static SyncRun syncRun(SparkSession spark, SyncConfig config) {
        return new SyncRun(spark, config, Destinations.create(config.destination()), Sleeper.SYSTEM);
    }

    private int report(RunSummary summary) {
        if (summary.message() != null) {
            out.println(summary.message());
        }
        out.println(summary.summaryLine());
        return summary.exitCode();
    }

    private int validate(SparkSession spark, SyncConfig config, Destination destination) {
        List<SyncValidation.Check> checks = new SyncValidation(spark, config, destination).validate();
        checks.forEach(check -> out.println((check.passed() ? "ok  " : "FAIL ") + check.line()));
        if (checks.stream().allMatch(SyncValidation.Check::passed)) {
            out.println("Config '" + config.name() + "' is valid.");
            return 0;
        }
        // validate never sends, so any problem, even an unreachable destination, is "bad config".
        return RunStatus.INVALID_INPUT.exitCode();
    }
}

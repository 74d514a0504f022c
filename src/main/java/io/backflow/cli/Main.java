package io.backflow.cli;

import io.backflow.BackflowException;
import io.backflow.config.ConfigLoader;
import io.backflow.config.SyncConfig;
import io.backflow.demo.Demo;
import io.backflow.load.Destination;
import io.backflow.load.Destinations;
import io.backflow.load.Sleeper;
import io.backflow.run.PlanPrinter;
import io.backflow.run.RunOptions;
import io.backflow.run.RunSummary;
import io.backflow.run.SyncRun;
import io.backflow.run.SyncValidation;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;

/**
 * The job's entry point, for {@code spark-submit --class io.backflow.cli.Main} and
 * {@code submit/local.sh}: {@code run}, {@code plan}, {@code validate} and {@code demo}.
 */
public final class Main {

    /** Exit code of a run that ended with an unexpected error (a bug, a lost cluster). */
    public static final int EXIT_ERROR = 4;

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private final PrintStream out;

    Main(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        int exitCode = new Main(System.out).execute(args);
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
            CommandLine commandLine = CommandLine.parse(args);
            if (commandLine.command().equals("demo")) {
                return new Demo(out).run(commandLine.demoRows());
            }
            SyncConfig config = ConfigFiles.load(new ConfigLoader(), commandLine.configPath().orElseThrow());
            LOG.info("Config: {}", config);
            SparkSession spark = SparkSessions.getOrCreate("backflow " + commandLine.command() + " " + config.name());
            Destination destination = Destinations.create(config.destination());
            return switch (commandLine.command()) {
                case "run" -> report(new SyncRun(spark, config, destination, Sleeper.SYSTEM)
                        .run(new RunOptions(commandLine.forceReason(), false)));
                case "plan" -> {
                    RunSummary summary = new SyncRun(spark, config, destination, Sleeper.SYSTEM).plan();
                    new PlanPrinter(spark, config, out).print(summary);
                    yield report(summary);
                }
                case "validate" -> validate(spark, config, destination);
                default -> throw new IllegalStateException("CommandLine.parse admits no command " + commandLine);
            };
        } catch (BackflowException e) {
            out.println(e.getMessage());
            return e.category().exitCode();
        } catch (Exception e) {
            // Spark's SparkException is checked but thrown undeclared from Scala, hence Exception here.
            LOG.error("Backflow failed", e);
            out.println("Backflow failed: " + e);
            return EXIT_ERROR;
        }
    }

    private int report(RunSummary summary) {
        if (summary.message() != null) {
            out.println(summary.message());
        }
        out.println(summary.summaryLine());
        return summary.exitCode();
    }

    private int validate(SparkSession spark, SyncConfig config, Destination destination) {
        try {
            new SyncValidation(spark, config, destination).validate().forEach(line -> out.println("ok  " + line));
            out.println("Config '" + config.name() + "' is valid.");
            return 0;
        } catch (BackflowException e) {
            out.println("FAIL " + e.getMessage());
            // validate never sends, so any problem, even an unreachable destination, is "bad config".
            return BackflowException.Category.INVALID_CONFIG.exitCode();
        }
    }
}

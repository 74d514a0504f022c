package io.backflow.testing;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;

import java.io.StringWriter;

/** Captures everything logged (Backflow at INFO and up, Spark as configured) while it is open. */
public final class LogCapture implements AutoCloseable {

    private final StringWriter sink = new StringWriter();
    private final WriterAppender appender;
    private final LoggerContext context;

    public LogCapture() {
        Configurator.setLevel("io.backflow", Level.INFO);
        context = (LoggerContext) LogManager.getContext(false);
        appender = WriterAppender.newBuilder().setName("capture-" + System.nanoTime()).setTarget(sink)
                .setLayout(PatternLayout.newBuilder().withPattern("%p %c: %m%n%throwable").build()).build();
        appender.start();
        context.getConfiguration().addAppender(appender);
        context.getRootLogger().addAppender(appender);
        context.getLogger("io.backflow").addAppender(appender);
    }

    public String text() {
        return sink.toString();
    }

    @Override
    public void close() {
        context.getRootLogger().removeAppender(appender);
        context.getLogger("io.backflow").removeAppender(appender);
        appender.stop();
    }
}

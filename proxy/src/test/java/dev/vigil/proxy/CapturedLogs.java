package dev.vigil.proxy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** Every log line (message and stack trace) written while open at the configured levels, for "no secret in logs" tests. */
public final class CapturedLogs implements AutoCloseable {

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final AbstractAppender appender;

  public CapturedLogs() {
    appender = new AbstractAppender("capture-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        StringBuilder sb = new StringBuilder(event.getLoggerName()).append(' ').append(event.getMessage().getFormattedMessage());
        if (event.getThrown() != null) {
          StringWriter w = new StringWriter();
          event.getThrown().printStackTrace(new PrintWriter(w));
          sb.append('\n').append(w);
        }
        lines.add(sb.toString());
      }
    };
    appender.start();
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    ctx.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
    ctx.updateLoggers();
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  public String all() {
    return String.join("\n", lines);
  }

  @Override
  public void close() {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    ctx.getConfiguration().getRootLogger().removeAppender(appender.getName());
    ctx.updateLoggers();
    appender.stop();
  }
}

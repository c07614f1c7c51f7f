package dev.vigil.streams.notify;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** Collects what {@code dev.vigil.streams.notify} logs (DEBUG and up, message and exception text) while open. */
final class LogCapture implements AutoCloseable {

  private static final String LOGGER = "dev.vigil.streams.notify";
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
  private final AbstractAppender appender;

  LogCapture() {
    appender = new AbstractAppender("capture-" + System.identityHashCode(this), null, null, true, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        Throwable t = event.getThrown();
        lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage() + (t == null ? "" : " " + t));
      }
    };
    appender.start();
    Configuration config = context.getConfiguration();
    LoggerConfig logger = config.getLoggerConfig(LOGGER);
    if (!logger.getName().equals(LOGGER)) {
      logger = new LoggerConfig(LOGGER, Level.DEBUG, false);
      config.addLogger(LOGGER, logger);
    }
    logger.setLevel(Level.DEBUG);
    logger.addAppender(appender, Level.DEBUG, null);
    context.updateLoggers();
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    context.getConfiguration().getLoggerConfig(LOGGER).removeAppender(appender.getName());
    context.updateLoggers();
    appender.stop();
  }
}

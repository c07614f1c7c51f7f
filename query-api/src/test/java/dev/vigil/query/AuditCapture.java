package dev.vigil.query;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.vertx.core.json.JsonObject;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** Collects the audit log ({@code vigil.query.audit}) lines, parsed as JSON, while open. */
final class AuditCapture implements AutoCloseable {

  static final String LOGGER = "vigil.query.audit";
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
  private final AbstractAppender appender;

  AuditCapture() {
    appender = new AbstractAppender("audit-" + System.identityHashCode(this), null, null, true, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        lines.add(event.getMessage().getFormattedMessage());
      }
    };
    appender.start();
    Configuration config = context.getConfiguration();
    LoggerConfig logger = config.getLoggerConfig(LOGGER);
    if (!logger.getName().equals(LOGGER)) {
      logger = new LoggerConfig(LOGGER, Level.INFO, true);
      config.addLogger(LOGGER, logger);
    }
    logger.addAppender(appender, Level.INFO, null);
    context.updateLoggers();
  }

  List<String> raw() {
    return List.copyOf(lines);
  }

  List<JsonObject> lines() {
    List<JsonObject> out = new ArrayList<>();
    lines.forEach(l -> out.add(new JsonObject(l)));
    return out;
  }

  @Override
  public void close() {
    context.getConfiguration().getLoggerConfig(LOGGER).removeAppender(appender.getName());
    context.updateLoggers();
    appender.stop();
  }
}

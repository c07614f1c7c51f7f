package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The vigil command's log configuration: text by default, one JSON object per line with vigil.log.format=json. */
class LogFormatTest {

  private final PrintStream originalErr = System.err;

  @AfterEach
  void restore() {
    System.setErr(originalErr);
    System.clearProperty("vigil.log.format");
    ThreadContext.clearMap();
  }

  /** Logs two lines (one with a request id in the thread context) through log4j2-vigil.xml; returns stderr. */
  private List<String> logWithFormat(String format) throws Exception {
    if (format != null) {
      System.setProperty("vigil.log.format", format);
    }
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    URI config = LogFormatTest.class.getResource("/log4j2-vigil.xml").toURI();
    LoggerContext context = Configurator.initialize("log-format-" + format, null, config);
    try {
      Logger log = context.getLogger("dev.vigil.test.LogFormat");
      ThreadContext.put("requestId", "req-123");
      log.info("handled call {}", 1);
      ThreadContext.remove("requestId");
      log.warn("no request here");
    } finally {
      Configurator.shutdown(context);
    }
    return captured.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void shouldWriteParseableJsonLinesWithTheRequestId() throws Exception {
    List<String> lines = logWithFormat("json");

    assertThat(lines).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines.get(0));
    JsonNode second = json.readTree(lines.get(1));
    assertThat(first.path("message").asText()).isEqualTo("handled call 1");
    assertThat(first.path("log.level").asText()).isEqualTo("INFO");
    assertThat(first.path("requestId").asText()).as("ECS layout: the thread context flattened in").isEqualTo("req-123");
    assertThat(second.path("message").asText()).isEqualTo("no request here");
    assertThat(second.has("requestId")).isFalse();
  }

  @Test
  void shouldWriteTextWithTheRequestIdByDefault() throws Exception {
    List<String> lines = logWithFormat(null);

    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains("[req-123] handled call 1");
    assertThat(lines.get(1)).contains("no request here").doesNotContain("[");
  }
}

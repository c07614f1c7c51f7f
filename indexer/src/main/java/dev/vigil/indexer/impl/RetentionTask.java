package dev.vigil.indexer.impl;

import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retention fallback when the cluster has no Index State Management plugin: deletes the daily event indices
 * {@code <prefix>-YYYY.MM.DD} whose day (UTC, from the name) is more than {@code days} days before today, i.e. once
 * every event in them is older than {@code days} days. Only names of exactly that form are considered; anything else
 * matching {@code <prefix>-*} is left alone.
 */
final class RetentionTask {

  private static final Logger LOG = LoggerFactory.getLogger(RetentionTask.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu.MM.dd").withResolverStyle(ResolverStyle.STRICT);

  private final OpenSearchCalls calls;
  private final String prefix;
  private final int days;
  private final Clock clock;
  private final AtomicLong indicesDeleted;

  RetentionTask(OpenSearchCalls calls, String prefix, int days, Clock clock, AtomicLong indicesDeleted) {
    this.calls = calls;
    this.prefix = prefix;
    this.days = days;
    this.clock = clock;
    this.indicesDeleted = indicesDeleted;
  }

  /**
   * Lists {@code <prefix>-*} and deletes the expired daily indices; returns their names. Throws {@link IOException} on
   * transport failures and retryable answers, {@link IllegalStateException} on other refusals (e.g. 403).
   */
  List<String> run() throws IOException {
    OpenSearchCalls.Answer listing = calls.require("GET", "/_cat/indices/" + prefix + "-*",
        Map.of("format", "json", "h", "index"), null);
    List<String> names = new ArrayList<>();
    for (JsonNode row : JSON.readTree(listing.body())) {
      names.add(row.path("index").asText());
    }
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    List<String> expired = expired(names, prefix, today, days);
    for (String index : expired) {
      OpenSearchCalls.Answer a = calls.call("DELETE", "/" + index, null);
      if (a.ok()) {
        indicesDeleted.incrementAndGet();
        LOG.info("Retention: deleted index {} (events older than {} days)", index, days);
      } else if (a.status() == 404) {
        LOG.info("Retention: index {} was already gone", index);
      } else if (a.retryable()) {
        throw new IOException(a.describe("DELETE /" + index));
      } else {
        throw new IllegalStateException(a.describe("DELETE /" + index));
      }
    }
    return expired;
  }

  /**
   * The names among {@code names} of the form {@code <prefix>-YYYY.MM.DD} whose day is before {@code today - days}
   * (sorted).
   */
  static List<String> expired(Collection<String> names, String prefix, LocalDate today, int days) {
    LocalDate oldestKept = today.minusDays(days);
    List<String> out = new ArrayList<>();
    for (String name : names) {
      LocalDate day = dayOf(name, prefix);
      if (day != null && day.isBefore(oldestKept)) {
        out.add(name);
      }
    }
    out.sort(null);
    return out;
  }

  /** The day in a daily index name, or null if the name is not {@code <prefix>-YYYY.MM.DD}. */
  static LocalDate dayOf(String name, String prefix) {
    String start = prefix + "-";
    if (!name.startsWith(start) || name.length() != start.length() + 10) {
      return null;
    }
    try {
      return LocalDate.parse(name.substring(start.length()), DAY);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}

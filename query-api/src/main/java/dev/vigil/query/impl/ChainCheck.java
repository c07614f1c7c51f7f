package dev.vigil.query.impl;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.json.JsonObject;

import dev.vigil.indexer.EventDocuments;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.chain.HashChain;
import dev.vigil.schema.serde.AvroSerde;
import dev.vigil.schema.serde.VigilSerdes;

/**
 * Checks a session's stored events one by one, in chain order, without holding them: each event's {@code raw} (the
 * exact Kafka record value) extends the hash chain (stream-processors/README.md), is decoded, and the document the
 * indexer would derive from it ({@link EventDocuments#toDocument(VigilEvent, int, int, long)}) must equal the stored
 * one (less {@code raw}) — so an edited document, an edited raw record, and a raw record that does not belong to this
 * session are all found, and the first such event is named.
 */
final class ChainCheck {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final AvroSerde<VigilEvent> EVENTS = VigilSerdes.events();

  private final String sessionId;
  private final String sessionKey;
  private final String firstEventId;
  private final int maxBodyChars;
  private byte[] head;
  private long index;
  private Long firstDivergentIndex;
  private String firstDivergentEventId;
  private String divergence;

  ChainCheck(String sessionId, String sessionKey, int maxBodyChars) {
    this.sessionId = sessionId;
    this.sessionKey = sessionKey;
    int hash = sessionId.lastIndexOf('#');
    this.firstEventId = hash < 0 ? null : sessionId.substring(hash + 1);
    this.maxBodyChars = maxBodyChars;
    this.head = HashChain.genesis(sessionId);
  }

  /** The next stored event document (with {@code raw}). */
  void accept(JsonObject doc) {
    long i = index++;
    String eventId = doc.getString("eventId", doc.getString("id"));
    byte[] raw;
    try {
      raw = doc.getValue(Documents.RAW) instanceof String s ? Base64.getDecoder().decode(s) : null;
    } catch (IllegalArgumentException e) {
      raw = null;
    }
    if (raw == null) {
      diverge(i, eventId, "event " + i + " (" + eventId + ") has no raw record (or not base64) to verify");
      return;
    }
    head = HashChain.next(head, raw);
    if (firstDivergentIndex != null) {
      return; // the head is still computed over every record; the first divergence is already known
    }
    VigilEvent event;
    try {
      event = EVENTS.decode(raw);
    } catch (RuntimeException e) {
      diverge(i, eventId, "event " + i + " (" + eventId + "): its raw record is not a decodable VigilEvent");
      return;
    }
    if (i == 0 && firstEventId != null && !firstEventId.equals(event.getEventId())) {
      diverge(i, eventId, "the first event is " + event.getEventId() + " but the session id names " + firstEventId);
    } else if (!event.getSessionKey().equals(sessionKey)) {
      diverge(i, eventId, "event " + i + " (" + eventId + ") belongs to session key " + event.getSessionKey());
    } else {
      List<String> fields = differences(doc, event);
      if (!fields.isEmpty()) {
        diverge(i, eventId, "event " + i + " (" + eventId + "): the stored document differs from its raw record in "
            + String.join(", ", fields));
      }
    }
  }

  /** Top-level fields in which the stored document and the one derived from {@code event} differ. */
  private List<String> differences(JsonObject doc, VigilEvent event) {
    Long partition = Documents.number(doc, "kafka", "partition");
    Long offset = Documents.number(doc, "kafka", "offset");
    Map<String, Object> derived = partition == null || offset == null
        ? EventDocuments.toDocument(event, maxBodyChars)
        : EventDocuments.toDocument(event, maxBodyChars, partition.intValue(), offset);
    ObjectNode want;
    ObjectNode have;
    try {
      want = (ObjectNode) MAPPER.readTree(MAPPER.writeValueAsBytes(derived));
      JsonObject stored = doc.copy();
      stored.remove(Documents.RAW);
      stored.remove("id");
      have = (ObjectNode) MAPPER.readTree(stored.encode());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("re-reading a document as JSON failed", e);
    }
    want.remove(Documents.RAW);
    TreeSet<String> names = new TreeSet<>();
    want.fieldNames().forEachRemaining(names::add);
    have.fieldNames().forEachRemaining(names::add);
    List<String> out = new ArrayList<>();
    for (String name : names) {
      JsonNode a = want.get(name);
      JsonNode b = have.get(name);
      if (a == null || !a.equals(b)) {
        out.add(name);
      }
    }
    return out;
  }

  private void diverge(long i, String eventId, String why) {
    if (firstDivergentIndex == null) {
      firstDivergentIndex = i;
      firstDivergentEventId = eventId;
      divergence = why;
    }
  }

  long count() { return index; }

  String computedHead() { return HashChain.hex(head); }

  Long firstDivergentIndex() { return firstDivergentIndex; }

  String firstDivergentEventId() { return firstDivergentEventId; }

  String divergence() { return divergence; }

  /** Records that the chain has fewer events than the summary counts. */
  void missing(long expected) {
    if (index < expected) {
      diverge(index, null, "only " + index + " of the session's " + expected + " events are in the index");
    }
  }
}

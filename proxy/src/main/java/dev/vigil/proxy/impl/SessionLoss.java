package dev.vigil.proxy.impl;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.vigil.schema.Channel;
import dev.vigil.schema.GapReason;
import dev.vigil.schema.Identity;
import dev.vigil.schema.RecordingGap;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.RequestRef;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.StreamFrame;
import dev.vigil.schema.UpstreamError;
import dev.vigil.schema.VigilEvent;

/**
 * The events of one session that could not be recorded and are not yet reported by an acknowledged
 * {@link RecordingGap}: counts, time and sequence bounds, the causes, and the request ids of the affected calls (at
 * most {@value #MAX_IDS} distinct ids, each with its number of lost events, so that merging two losses stays exact).
 * Not thread-safe: {@link GapTracker} guards it.
 */
final class SessionLoss {

  static final int MAX_IDS = 100;

  private String key;
  private Identity identity;
  private Channel channel;
  private RequestRef request;
  private long events;
  private long bytes;
  private long firstAt = Long.MAX_VALUE;
  private long lastAt = Long.MIN_VALUE;
  private long firstSequence = Long.MAX_VALUE;
  private long lastSequence = Long.MIN_VALUE;
  private boolean queueFull;
  private boolean sendFailed;
  private long requests;
  private long frames;
  private long terminals;
  private final LinkedHashMap<String, Long> ids = new LinkedHashMap<>();
  private long idsOmitted;

  /** An empty loss of session {@code key} whose envelope comes from {@code first}, the first lost event. */
  SessionLoss(String key, VigilEvent first) {
    this.key = key;
    this.identity = first.getIdentity();
    this.channel = first.getChannel();
    this.request = first.getRequest();
  }

  String key() {
    return key;
  }

  long events() {
    return events;
  }

  int idCount() {
    return ids.size();
  }

  Identity identity() {
    return identity;
  }

  Channel channel() {
    return channel;
  }

  RequestRef request() {
    return request;
  }

  /** Counts one lost event of {@code bytes} serialized bytes; returns how many request ids it newly holds (0 or 1). */
  int add(VigilEvent e, long bytes, GapReason reason, boolean mayHoldNewId) {
    events++;
    this.bytes += bytes;
    long at = e.getTime().toEpochMilli();
    firstAt = Math.min(firstAt, at);
    lastAt = Math.max(lastAt, at);
    firstSequence = Math.min(firstSequence, e.getSequence());
    lastSequence = Math.max(lastSequence, e.getSequence());
    queueFull |= reason == GapReason.QUEUE_FULL;
    sendFailed |= reason != GapReason.QUEUE_FULL;
    Object payload = e.getPayload();
    if (payload instanceof RequestReceived) {
      requests++;
    } else if (payload instanceof StreamFrame) {
      frames++;
    } else if (payload instanceof ResponseCompleted || payload instanceof UpstreamError) {
      terminals++;
    }
    String id = e.getRequest().getRequestId();
    Long n = ids.get(id);
    if (n != null) {
      ids.put(id, n + 1);
      return 0;
    }
    if (mayHoldNewId && ids.size() < MAX_IDS) {
      ids.put(id, 1L);
      return 1;
    }
    idsOmitted++;
    return 0;
  }

  /** Reports this loss under another session key (the gateway-level aggregate). */
  void rekey(String newKey) {
    this.key = newKey;
  }

  /** Adds {@code other}'s losses to this one; the envelope is that of whichever lost its first event earlier. */
  void absorb(SessionLoss other) {
    if (other.firstAt < firstAt) {
      identity = other.identity;
      channel = other.channel;
      request = other.request;
    }
    events += other.events;
    bytes += other.bytes;
    firstAt = Math.min(firstAt, other.firstAt);
    lastAt = Math.max(lastAt, other.lastAt);
    firstSequence = Math.min(firstSequence, other.firstSequence);
    lastSequence = Math.max(lastSequence, other.lastSequence);
    queueFull |= other.queueFull;
    sendFailed |= other.sendFailed;
    requests += other.requests;
    frames += other.frames;
    terminals += other.terminals;
    idsOmitted += other.idsOmitted;
    for (Map.Entry<String, Long> id : other.ids.entrySet()) {
      Long n = ids.get(id.getKey());
      if (n != null) {
        ids.put(id.getKey(), n + id.getValue());
      } else if (ids.size() < MAX_IDS) {
        ids.put(id.getKey(), id.getValue());
      } else {
        idsOmitted += id.getValue();
      }
    }
  }

  /** Keeps at most {@code room} request ids (the oldest), counting the lost events of the others as omitted. */
  int limitIds(int room) {
    int keep = Math.max(0, room);
    if (ids.size() > keep) {
      Iterator<Map.Entry<String, Long>> it = ids.entrySet().iterator();
      for (int i = 0; it.hasNext(); i++) {
        Map.Entry<String, Long> id = it.next();
        if (i >= keep) {
          idsOmitted += id.getValue();
          it.remove();
        }
      }
    }
    return ids.size();
  }

  GapReason reason() {
    return queueFull && sendFailed ? GapReason.MIXED : queueFull ? GapReason.QUEUE_FULL : GapReason.SEND_FAILED;
  }

  RecordingGap toPayload() {
    List<String> requestIds = new ArrayList<>(ids.keySet());
    return RecordingGap.newBuilder()
        .setEventsLost(events)
        .setBytesLost(bytes)
        .setFirstLostAt(Instant.ofEpochMilli(firstAt))
        .setLastLostAt(Instant.ofEpochMilli(lastAt))
        .setReason(reason())
        .setRequestsLost(requests)
        .setFramesLost(frames)
        .setTerminalsLost(terminals)
        .setFirstLostSequence(firstSequence)
        .setLastLostSequence(lastSequence)
        .setLostRequestIds(requestIds)
        .setRequestIdsOmitted(idsOmitted)
        .build();
  }
}

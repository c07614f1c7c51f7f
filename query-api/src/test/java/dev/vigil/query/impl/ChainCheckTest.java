package dev.vigil.query.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import dev.vigil.query.fixture.Docs;
import dev.vigil.query.fixture.Partitions;
import dev.vigil.query.fixture.RecordedSession;
import dev.vigil.schema.Effect;
import dev.vigil.schema.chain.HashChain;

/** The per-event checks of a verification, without OpenSearch. */
class ChainCheckTest {

  private static RecordedSession session(String key) {
    RecordedSession s = new RecordedSession(key, "agent-1", 0, Instant.parse("2025-05-05T10:00:00Z"), new Partitions());
    s.kube("list", "pods", "payments", null, null, null, Effect.ALLOW, 200, null, "{\"items\":[]}");
    s.exec("payments", "web", "env", List.of("A=1\n"), "ls\n");
    return s;
  }

  private static List<JsonObject> docs(RecordedSession s) {
    List<JsonObject> out = new ArrayList<>();
    for (RecordedSession.Recorded r : s.events()) {
      out.add(new JsonObject(new JsonObject(Map.copyOf(Docs.event(r))).encode()).put("id", r.event().getEventId()));
    }
    return out;
  }

  private static ChainCheck check(RecordedSession s, List<JsonObject> docs) {
    ChainCheck c = new ChainCheck(s.sessionId(), s.sessionKey(), Docs.MAX_BODY_CHARS);
    docs.forEach(c::accept);
    c.missing(s.events().size());
    return c;
  }

  @Test
  void shouldFindNothingWrongWithIntactDocuments() {
    RecordedSession s = session("k1");
    ChainCheck c = check(s, docs(s));
    assertThat(c.firstDivergentIndex()).isNull();
    assertThat(c.count()).isEqualTo(s.events().size());
    assertThat(c.computedHead()).isEqualTo(HashChain.hex(HashChain.head(s.sessionId(),
        s.events().stream().map(RecordedSession.Recorded::raw).toList())));
  }

  @Test
  void shouldNameTheFirstDivergentEvent() {
    RecordedSession s = session("k1");
    List<JsonObject> docs = docs(s);
    docs.get(3).getJsonObject("frame").put("channelNumber", 1); // stdin shown as output
    docs.get(5).put("status", 500);
    ChainCheck c = check(s, docs);
    assertThat(c.firstDivergentIndex()).isEqualTo(3);
    assertThat(c.firstDivergentEventId()).isEqualTo(s.events().get(3).event().getEventId());
    assertThat(c.divergence()).contains("differs from its raw record in frame");
  }

  @Test
  void shouldReportAMissingRawAWrongSessionAndMissingEvents() {
    RecordedSession s = session("k1");
    List<JsonObject> noRaw = docs(s);
    noRaw.get(2).remove("raw");
    assertThat(check(s, noRaw).divergence()).contains("no raw record");

    RecordedSession other = session("k2");
    List<JsonObject> foreign = docs(s);
    foreign.set(1, docs(other).get(1));
    assertThat(check(s, foreign).divergence()).contains("belongs to session key k2");

    List<JsonObject> shifted = docs(s).subList(1, s.events().size());
    assertThat(check(s, new ArrayList<>(shifted)).divergence()).contains("but the session id names");

    List<JsonObject> short1 = new ArrayList<>(docs(s).subList(0, 4));
    ChainCheck c = check(s, short1);
    assertThat(c.firstDivergentIndex()).isEqualTo(4);
    assertThat(c.divergence()).contains("only 4 of the session's");
  }
}

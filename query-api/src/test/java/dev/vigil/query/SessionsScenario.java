package dev.vigil.query;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.vigil.query.fixture.Docs;
import dev.vigil.query.fixture.RecordedSession;
import dev.vigil.schema.Effect;

/**
 * The sessions the API tests read: agent-1 (key {@code agent-1/task 42}) had an earlier session that read a config
 * map mentioning a "quarterly rotation", and an hour later a session that listed pods, exec'd into a pod, was denied
 * a secret delete, talked to an LLM and lost some events (exec-into-pod alert); agent-2 has an OPEN session in
 * another namespace (first-namespace-access alert). agent-2's events sit between agent-1's in the same partition.
 */
final class SessionsScenario {

  static final Instant T0 = Instant.parse("2025-05-05T10:00:00Z");
  static final String KEY_1 = "agent-1/task 42";

  final RecordedSession earlier;
  final RecordedSession payments;
  final RecordedSession other;
  final String listPods;
  final String exec;
  final String denied;
  final String llm;
  final Map<String, Object> execAlert;
  final Map<String, Object> otherAlert;

  SessionsScenario(ApiHarness h) throws IOException {
    earlier = new RecordedSession(KEY_1, "agent-1", 0, T0, h.partitions);
    earlier.kube("get", "configmaps", "payments", "settings", null, null, Effect.ALLOW, 200,
        null, "{\"data\":{\"note\":\"quarterly rotation of the database password\"}}");
    earlier.kube("list", "pods", "payments", null, null, null, Effect.ALLOW, 200, null, "{\"items\":[]}");

    payments = new RecordedSession(KEY_1, "agent-1", 0, T0.plus(Duration.ofHours(1)), h.partitions);
    other = new RecordedSession("agent-2", "agent-2", 0, T0.plus(Duration.ofHours(2)), h.partitions);
    listPods = payments.kube("list", "pods", "payments", null, null, null, Effect.ALLOW, 200, null,
        "{\"items\":[{\"metadata\":{\"name\":\"payments-api-x\"}}]}");
    other.kube("get", "configmaps", "dev", "schedule", null, null, Effect.ALLOW, 200, null,
        "{\"data\":{\"cron\":\"rotation schedule\"}}");
    exec = payments.exec("payments", "payments-api-x", "env", List.of("PATH=/usr/bin\n", "HOME=/root\n"), null);
    denied = payments.kube("delete", "secrets", "payments", "db-creds", null, null, Effect.DENY, 403, null,
        "{\"kind\":\"Status\",\"code\":403}");
    llm = payments.llm("what pods run in payments?", "Let me look.", "kubectl");
    payments.gap(3);

    execAlert = Docs.alert("alert-exec", "exec-into-pod", "MEDIUM", payments,
        List.of(payments.events().get(2).event().getEventId()), "agent-1 exec'd into payments-api-x",
        payments.events().get(2).event().getTime());
    otherAlert = Docs.alert("alert-ns", "first-namespace-access", "LOW", other,
        List.of(other.events().get(0).event().getEventId()), "agent-2 touched namespace dev for the first time",
        other.events().get(0).event().getTime());

    List<RecordedSession.Recorded> all = new ArrayList<>();
    all.addAll(earlier.events());
    all.addAll(payments.events());
    all.addAll(other.events());
    h.index.events(all);
    Map<String, Map<String, Object>> sessions = new LinkedHashMap<>();
    sessions.put(earlier.sessionId(), Docs.session(earlier, true, h.keys, ApiHarness.KEY_ID, 0));
    sessions.put(payments.sessionId(), Docs.session(payments, true, h.keys, ApiHarness.KEY_ID, 1));
    sessions.put(other.sessionId(), Docs.session(other, false, h.keys, ApiHarness.KEY_ID, 1));
    h.index.documents(h.index.sessionsIndex, sessions);
    h.index.documents(h.index.alertsIndex, Map.of("alert-exec", execAlert, "alert-ns", otherAlert));
  }

  static String path(String sessionId) {
    return "/api/v1/sessions/" + java.net.URLEncoder.encode(sessionId, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }
}

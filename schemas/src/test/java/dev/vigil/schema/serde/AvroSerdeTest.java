package dev.vigil.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import dev.vigil.schema.Alert;
import dev.vigil.schema.Body;
import dev.vigil.schema.BodyEncoding;
import dev.vigil.schema.Channel;
import dev.vigil.schema.Effect;
import dev.vigil.schema.GapReason;
import dev.vigil.schema.Identity;
import dev.vigil.schema.KubernetesRequestInfo;
import dev.vigil.schema.LlmRequestInfo;
import dev.vigil.schema.PolicyDecision;
import dev.vigil.schema.RecordingGap;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.RequestRef;
import dev.vigil.schema.Severity;
import dev.vigil.schema.VigilEvent;

class AvroSerdeTest {

  static VigilEvent sampleEvent() {
    return VigilEvent.newBuilder()
        .setEventId("e-1")
        .setSessionKey("agent-1")
        .setSequence(7)
        .setTime(Instant.ofEpochMilli(1_700_000_000_000L))
        .setChannel(Channel.KUBERNETES)
        .setIdentity(Identity.newBuilder().setSubject("agent-1").setUsername("agent-1").setGroups(List.of("ai-agents")).build())
        .setGatewayId("gw-1")
        .setRequest(RequestRef.newBuilder().setRequestId("r-1").setMethod("GET").setPath("/api/v1/namespaces/payments/pods")
            .setKubernetes(KubernetesRequestInfo.newBuilder().setResourceRequest(true).setVerb("list").setApiVersion("v1")
                .setResource("pods").setNamespace("payments").build())
            .build())
        .setPayload(RequestReceived.newBuilder()
            .setHeaders(Map.of("Accept", "application/json"))
            .setBody(Body.newBuilder().setContentType("application/json").setEncoding(BodyEncoding.TEXT)
                .setContent("{}").setOriginalSize(2).build())
            .setDecision(PolicyDecision.newBuilder().setEffect(Effect.ALLOW).build())
            .build())
        .build();
  }

  @Test
  void shouldRoundTripAnEventInSingleObjectEncoding() {
    AvroSerde<VigilEvent> serde = VigilSerdes.events();
    byte[] bytes = serde.serializer().serialize("t", sampleEvent());

    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    long fp = SchemaNormalization.parsingFingerprint64(VigilEvent.getClassSchema());
    long written = 0;
    for (int i = 9; i >= 2; i--) {
      written = (written << 8) | (bytes[i] & 0xFF);
    }
    assertThat(written).isEqualTo(fp);
    assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(sampleEvent());
  }

  @Test
  void shouldRoundTripARecordingGap() {
    VigilEvent gap = VigilEvent.newBuilder(sampleEvent())
        .setPayload(RecordingGap.newBuilder()
            .setEventsLost(3).setBytesLost(1234)
            .setFirstLostAt(Instant.ofEpochMilli(1_700_000_000_000L)).setLastLostAt(Instant.ofEpochMilli(1_700_000_001_000L))
            .setReason(GapReason.MIXED).setRequestsLost(1).setFramesLost(1).setTerminalsLost(1)
            .setFirstLostSequence(4).setLastLostSequence(9).setLostRequestIds(List.of("r-1", "r-2")).build())
        .build();
    AvroSerde<VigilEvent> serde = VigilSerdes.events();
    assertThat(serde.decode(serde.encode(gap))).isEqualTo(gap);
  }

  @Test
  void shouldDecodeEventsWrittenWithThePublishedVersion1() throws IOException {
    Schema v1 = SchemaHistory.previous("VigilEvent").get(0);
    assertThat(v1.toString()).doesNotContain("RecordingGap");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new BinaryMessageEncoder<VigilEvent>(SpecificData.get(), v1).encode(sampleEvent(), out);

    assertThat(VigilSerdes.events().decode(out.toByteArray())).isEqualTo(sampleEvent());
  }

  @Test
  void shouldRoundTripAnLlmEvent() {
    VigilEvent llm = VigilEvent.newBuilder(sampleEvent())
        .setChannel(Channel.LLM)
        .setRequest(RequestRef.newBuilder().setRequestId("r-2").setMethod("POST").setPath("/llm/anthropic/v1/messages")
            .setLlm(LlmRequestInfo.newBuilder().setProvider("anthropic").setOperation("messages")
                .setModel("claude-3-5-haiku-latest").setStream(true).build())
            .build())
        .build();
    AvroSerde<VigilEvent> serde = VigilSerdes.events();
    assertThat(serde.decode(serde.encode(llm))).isEqualTo(llm);
    assertThat(serde.decode(serde.encode(llm)).getRequest().getKubernetes()).isNull();
  }

  @Test
  void shouldDecodeEventsWrittenWithThePublishedVersion2WithoutLlmAttributes() throws IOException {
    Schema v2 = SchemaHistory.previous("VigilEvent").get(1);
    assertThat(v2.toString()).contains("RecordingGap").doesNotContain("LlmRequestInfo");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new BinaryMessageEncoder<VigilEvent>(SpecificData.get(), v2).encode(sampleEvent(), out);

    VigilEvent decoded = VigilSerdes.events().decode(out.toByteArray());
    assertThat(decoded).isEqualTo(sampleEvent());
    assertThat(decoded.getRequest().getLlm()).isNull();
  }

  @Test
  void shouldRoundTripAnAlert() {
    Alert alert = Alert.newBuilder().setAlertId("a").setType("exec-into-pod").setSeverity(Severity.HIGH).setSessionKey("s")
        .setIdentity(Identity.newBuilder().setSubject("x").setUsername("x").build())
        .setDescription("d").setTime(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)).build();
    AvroSerde<Alert> serde = VigilSerdes.alerts();
    assertThat(serde.decode(serde.encode(alert))).isEqualTo(alert);
  }

  @Test
  void shouldPassNullThrough() {
    assertThat(VigilSerdes.events().serializer().serialize("t", null)).isNull();
    assertThat(VigilSerdes.events().deserializer().deserialize("t", null)).isNull();
  }

  @Test
  void shouldRejectGarbageWithASerializationException() {
    assertThatThrownBy(() -> VigilSerdes.events().decode("not avro".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("VigilEvent");
  }

  @Test
  void shouldRejectAnUnknownWriterSchema() {
    byte[] bytes = VigilSerdes.events().encode(sampleEvent());
    bytes[5] ^= 0x5A; // corrupt the fingerprint
    assertThatThrownBy(() -> VigilSerdes.events().decode(bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Unknown writer schema");
  }

  @Test
  void shouldDecodeRecordsWrittenWithAnOlderSchemaVersion() throws IOException {
    // An "older" Alert schema without the attributes field (which has a default in the current one).
    Schema current = Alert.getClassSchema();
    List<Schema.Field> fields = new java.util.ArrayList<>();
    for (Schema.Field f : current.getFields()) {
      if (!f.name().equals("attributes")) {
        fields.add(new Schema.Field(f, f.schema()));
      }
    }
    Schema older = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    assertThat(older.getField("attributes")).isNull();

    GenericRecord identity = new GenericData.Record(older.getField("identity").schema());
    identity.put("subject", "x");
    identity.put("username", "x");
    identity.put("groups", List.of());
    identity.put("issuer", null);
    identity.put("authenticated", true);
    GenericRecord rec = new GenericData.Record(older);
    rec.put("alertId", "a1");
    rec.put("type", "deny-burst");
    rec.put("severity", new GenericData.EnumSymbol(older.getField("severity").schema(), "LOW"));
    rec.put("sessionKey", "s");
    rec.put("identity", identity);
    rec.put("evidenceEventIds", List.of("e1"));
    rec.put("description", "probing");
    rec.put("time", 1L);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(rec, out);

    AvroSerde<Alert> withHistory = AvroSerde.of(Alert.class, Alert.getClassSchema(), List.of(older));
    Alert decoded = withHistory.decode(out.toByteArray());
    assertThat(decoded.getAlertId()).isEqualTo("a1");
    assertThat(decoded.getAttributes()).isEmpty();

    AvroSerde<Alert> withoutHistory = AvroSerde.of(Alert.class, Alert.getClassSchema());
    assertThatThrownBy(() -> withoutHistory.decode(out.toByteArray())).isInstanceOf(SerializationException.class);
  }
}

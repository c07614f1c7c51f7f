package dev.vigil.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

import dev.vigil.schema.serde.SchemaHistory;

/**
 * The public contract guard: every schema change must stay backward compatible with every published version
 * (consumers upgraded first must still read what older gateways wrote), and every current schema must itself be
 * published in the history (so a change cannot ship without a new history file).
 */
class SchemaCompatibilityTest {

  private static final Map<String, Schema> CURRENT = Map.of(
      "VigilEvent", VigilEvent.getClassSchema(),
      "SessionSummary", SessionSummary.getClassSchema(),
      "Alert", Alert.getClassSchema());

  @Test
  void shouldReadEveryPublishedVersionWithTheCurrentSchema() {
    CURRENT.forEach((name, current) -> {
      List<Schema> history = SchemaHistory.previous(name);
      assertThat(history).as("published versions of %s", name).isNotEmpty();
      for (Schema old : history) {
        SchemaCompatibility.SchemaPairCompatibility result =
            SchemaCompatibility.checkReaderWriterCompatibility(current, old);
        assertThat(result.getType())
            .as("current %s must read data written with published version: %s", name, result.getDescription())
            .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
      }
    });
  }

  @Test
  void shouldHaveTheCurrentSchemaPublishedInTheHistory() {
    CURRENT.forEach((name, current) -> {
      long fp = SchemaNormalization.parsingFingerprint64(current);
      assertThat(SchemaHistory.previous(name))
          .as("%s changed: publish it as src/main/resources/dev/vigil/schema/history/%s.vN.avsc and list it in index.txt",
              name, name)
          .anySatisfy(s -> assertThat(SchemaNormalization.parsingFingerprint64(s)).isEqualTo(fp));
    });
  }

  @Test
  void shouldDetectABreakingChange() {
    // The guard itself must be able to fail: a new required field without a default is not backward compatible.
    String json = VigilEvent.getClassSchema().toString();
    Schema broken = new Schema.Parser().parse(json.replaceFirst(
        "\\{\"name\":\"eventId\"", "{\"name\":\"mandatoryNewField\",\"type\":\"string\"},{\"name\":\"eventId\""));
    Schema published = SchemaHistory.previous("VigilEvent").get(0);
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(broken, published).getType())
        .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
  }

  @Test
  void shouldAcceptAnAdditiveChangeWithDefault() {
    String json = VigilEvent.getClassSchema().toString();
    Schema evolved = new Schema.Parser().parse(json.replaceFirst(
        "\\{\"name\":\"eventId\"", "{\"name\":\"optionalNewField\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"eventId\""));
    Schema published = SchemaHistory.previous("VigilEvent").get(0);
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(evolved, published).getType())
        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }

  @Test
  void shouldOnlyAppendToThePayloadUnion() {
    // Readers that do not resolve schemas (some SIEM parsers) pick a union branch by its index: a published branch
    // must keep its position, new payload kinds go at the end.
    List<String> current = branchNames(VigilEvent.getClassSchema());
    for (Schema published : SchemaHistory.previous("VigilEvent")) {
      List<String> old = branchNames(published);
      assertThat(current.subList(0, Math.min(old.size(), current.size()))).as("payload union of a published version")
          .isEqualTo(old);
    }
    assertThat(current.get(current.size() - 1)).isEqualTo("dev.vigil.schema.RecordingGap");
  }

  private static List<String> branchNames(Schema event) {
    return event.getField("payload").schema().getTypes().stream().map(Schema::getFullName).toList();
  }

  @Test
  void shouldGiveEveryEnumADefaultSoOlderReadersSurviveNewSymbols() {
    CURRENT.forEach((name, schema) -> {
      java.util.List<String> missing = new java.util.ArrayList<>();
      collectEnumsWithoutDefault(schema, new java.util.HashSet<>(), missing);
      assertThat(missing).as("enums in %s without a default symbol", name).isEmpty();
    });
  }

  private static void collectEnumsWithoutDefault(Schema s, java.util.Set<String> seen, java.util.List<String> out) {
    switch (s.getType()) {
      case ENUM:
        if (seen.add(s.getFullName()) && s.getEnumDefault() == null) {
          out.add(s.getFullName());
        }
        break;
      case RECORD:
        if (seen.add(s.getFullName())) {
          s.getFields().forEach(f -> collectEnumsWithoutDefault(f.schema(), seen, out));
        }
        break;
      case UNION:
        s.getTypes().forEach(t -> collectEnumsWithoutDefault(t, seen, out));
        break;
      case ARRAY:
        collectEnumsWithoutDefault(s.getElementType(), seen, out);
        break;
      case MAP:
        collectEnumsWithoutDefault(s.getValueType(), seen, out);
        break;
      default:
        break;
    }
  }
}

package dev.vigil.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** Every YAML example of POLICY.md is a valid policy. */
class PolicyDocTest {

  @Test
  void shouldAcceptEveryExampleOfThePolicyDocument() throws Exception {
    String doc = Files.readString(Path.of("POLICY.md"), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(doc);
    List<String> examples = new ArrayList<>();
    while (m.find()) {
      examples.add(m.group(1));
    }

    assertThat(examples).hasSizeGreaterThanOrEqualTo(2);
    for (String yaml : examples) {
      Policy p = Requests.policy(yaml);
      assertThat(p.guardrails()).as(yaml).contains(Guardrail.NO_SECRET_IN_LLM_PROMPT);
    }
  }
}

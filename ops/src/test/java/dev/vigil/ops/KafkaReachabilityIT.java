package dev.vigil.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.vigil.embedded.junit.KafkaExtension;
import dev.vigil.embedded.kafka.EmbeddedKafka;

@ExtendWith(KafkaExtension.class)
class KafkaReachabilityIT {

  @Test
  void shouldBeReadyWhenKafkaAnswers(EmbeddedKafka kafka) throws Exception {
    try (KafkaReachability check = new KafkaReachability(
        Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all"), Duration.ofSeconds(5))) {
      assertThat(check.probe()).isTrue();
      Readiness readiness = new Readiness(java.util.List.of(check));
      assertThat(Readiness.isReady(readiness.evaluateBlocking())).isTrue();
    }
  }
}

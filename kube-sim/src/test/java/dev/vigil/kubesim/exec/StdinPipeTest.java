package dev.vigil.kubesim.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StdinPipeTest {

  @Test
  void shouldAskToPauseAboveTheHighWaterMarkAndSignalOnceDrained() throws Exception {
    AtomicInteger drained = new AtomicInteger();
    StdinPipe pipe = new StdinPipe(8, drained::incrementAndGet);
    assertThat(pipe.offer("12345".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(pipe.offer("67890".getBytes(StandardCharsets.UTF_8))).isTrue();
    byte[] buf = new byte[4];
    assertThat(pipe.read(buf, 0, 4)).isEqualTo(4);
    assertThat(drained).hasValue(0);
    assertThat(pipe.read(buf, 0, 4)).isEqualTo(1);
    assertThat(pipe.read(buf, 0, 4)).isEqualTo(4);
    assertThat(drained).hasValue(1);
    pipe.close();
    assertThat(pipe.read()).isEqualTo('0');
    assertThat(pipe.read()).isEqualTo(-1);
    assertThat(pipe.offer(new byte[] {1})).isFalse();
  }

  @Test
  void shouldBeAtEndOfStreamWhenThereIsNoStdin() throws Exception {
    assertThat(StdinPipe.closed().read()).isEqualTo(-1);
  }
}

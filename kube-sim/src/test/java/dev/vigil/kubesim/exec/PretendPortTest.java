package dev.vigil.kubesim.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kubesim.store.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PretendPortTest {

  private static String feed(PretendPort port, String data) {
    return new String(port.onData(data.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  @Test
  void shouldAnswerAnHttpRequestOnceItsHeadersAreCompleteAndClose() {
    PretendPort port = new PretendPort("api-0", 8080);
    assertThat(feed(port, "GET /health")).isEmpty();
    String reply = feed(port, "z HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assertThat(reply).startsWith("HTTP/1.1 200 OK\r\n").contains("Connection: close\r\n")
        .endsWith("hello from api-0 (port 8080, a pretend server inside kube-sim)\nyou sent: GET /healthz HTTP/1.1\n");
    int length = Integer.parseInt(reply.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
    assertThat(reply.substring(reply.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.UTF_8)).hasSize(length);
    assertThat(port.closed()).isTrue();
    assertThat(feed(port, "more")).isEmpty();
  }

  @Test
  void shouldAnswerHeadWithoutABody() {
    PretendPort port = new PretendPort("p", 80);
    assertThat(feed(port, "HEAD / HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\n");
  }

  @Test
  void shouldEchoAnythingThatIsNotHttp() {
    PretendPort port = new PretendPort("p", 6379);
    assertThat(feed(port, "PING\r\n")).isEqualTo("PING\r\n");
    assertThat(feed(port, "GET / HTTP/1.1\r\n\r\n")).isEqualTo("GET / HTTP/1.1\r\n\r\n");
    assertThat(port.closed()).isFalse();
    assertThat(feed(new PretendPort("p", 1), "G")).isEmpty();
  }

  @Test
  void shouldListenOnlyOnDeclaredContainerPorts() {
    var pod = Json.object();
    pod.putObject("spec").putArray("containers").addObject().put("name", "c").putArray("ports").addObject()
        .put("containerPort", 8080);
    assertThat(PretendPort.listening(pod, 8080)).isTrue();
    assertThat(PretendPort.listening(pod, 9090)).isFalse();
  }
}

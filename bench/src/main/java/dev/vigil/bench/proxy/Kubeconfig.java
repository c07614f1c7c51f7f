package dev.vigil.bench.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The upstream kubeconfig the Vigil proxies use: kube-sim's URL, the dev CA, the gateway's token. */
final class Kubeconfig {

  private Kubeconfig() {}

  static String render(String server, String caPem, String token) {
    String ca = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8));
    return String.join("\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: kube-sim",
        "  cluster:",
        "    server: " + server,
        "    certificate-authority-data: " + ca,
        "users:",
        "- name: gateway",
        "  user:",
        "    token: " + token,
        "contexts:",
        "- name: bench",
        "  context:",
        "    cluster: kube-sim",
        "    user: gateway",
        "current-context: bench",
        "");
  }
}

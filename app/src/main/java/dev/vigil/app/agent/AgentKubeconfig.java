package dev.vigil.app.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * What the demo agent takes from a kubeconfig (the current context's): the API server URL, its CA (PEM, may be null)
 * and the user's bearer token. Only token users are supported — which is what {@code vigil demo} writes.
 */
record AgentKubeconfig(String server, String caPem, String token) {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static AgentKubeconfig read(Path file) throws IOException {
    JsonNode root = YAML.readTree(file.toFile());
    if (root == null) {
      throw new IOException(file + " is empty");
    }
    String current = root.path("current-context").asText("");
    JsonNode context = named(root.path("contexts"), current, file, "context").path("context");
    JsonNode cluster = named(root.path("clusters"), context.path("cluster").asText(""), file, "cluster")
        .path("cluster");
    JsonNode user = named(root.path("users"), context.path("user").asText(""), file, "user").path("user");
    String server = cluster.path("server").asText("");
    if (server.isEmpty()) {
      throw new IOException(file + ": the current context's cluster has no server");
    }
    String caPem = null;
    if (cluster.hasNonNull("certificate-authority-data")) {
      caPem = new String(Base64.getMimeDecoder().decode(cluster.get("certificate-authority-data").asText()),
          StandardCharsets.UTF_8);
    } else if (cluster.hasNonNull("certificate-authority")) {
      caPem = Files.readString(file.toAbsolutePath().resolveSibling(cluster.get("certificate-authority").asText()));
    }
    String token = user.path("token").asText("");
    if (token.isEmpty()) {
      throw new IOException(file + ": the current context's user has no token (the demo agent needs a bearer token)");
    }
    return new AgentKubeconfig(server.replaceAll("/+$", ""), caPem, token);
  }

  private static JsonNode named(JsonNode list, String name, Path file, String what) throws IOException {
    for (JsonNode item : list) {
      if (name.equals(item.path("name").asText())) {
        return item;
      }
    }
    throw new IOException(file + ": no " + what + " named '" + name + "' (from the current context)");
  }

  @Override
  public String toString() {
    return "AgentKubeconfig{server=" + server + ", ca=" + (caPem != null) + ", token=(hidden)}";
  }
}

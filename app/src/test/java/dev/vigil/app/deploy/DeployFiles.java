package dev.vigil.app.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Test helpers for the deployment files: the repository root and YAML reading (SnakeYAML: resolves anchors and merges). */
final class DeployFiles {

  /** Launcher variables of the image's entrypoint and ./vigil: not configuration keys. */
  static final Set<String> LAUNCHER_VARIABLES = Set.of("VIGIL_JAVA_OPTS", "VIGIL_LOG_CONFIG", "VIGIL_LOG_FORMAT", "VIGIL_CONFIG");

  private DeployFiles() {}

  static Path repo() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("app/pom.xml"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  static String read(String relative) {
    try {
      return Files.readString(repo().resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(String text) {
    return (Map<String, Object>) new Yaml(new LoaderOptions()).load(text);
  }

  /** Every document of a multi-document YAML stream (empty documents skipped). */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> yamlAll(String text) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : new Yaml(new LoaderOptions()).loadAll(text)) {
      if (o != null) {
        out.add((Map<String, Object>) o);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o, String... path) {
    Object cur = o;
    for (String p : path) {
      cur = cur == null ? null : ((Map<String, Object>) cur).get(p);
    }
    return (Map<String, Object>) cur;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return o == null ? List.of() : (List<Object>) o;
  }

  /** The health endpoints and ports, written down once in k8s/base/endpoints.yaml (a local-config ConfigMap). */
  static Map<String, Object> endpoints() {
    return map(yaml(read("k8s/base/endpoints.yaml")), "data");
  }

  static String endpoint(String name) {
    Object v = endpoints().get(name);
    if (v == null) {
      throw new IllegalStateException("k8s/base/endpoints.yaml has no " + name);
    }
    return v.toString();
  }
}

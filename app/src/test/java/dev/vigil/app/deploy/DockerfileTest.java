package dev.vigil.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.vigil.app.config.ConfigKeys;
import dev.vigil.common.Settings;

/** The Dockerfile, checked statically (Docker does not run in the test environment). */
class DockerfileTest {

  private final String dockerfile = DeployFiles.read("Dockerfile");
  /** Instructions with continuation lines joined, comments dropped. */
  private final List<String> instructions = instructions(dockerfile);

  static List<String> instructions(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.startsWith("#") || (l.isEmpty() && cur.length() == 0)) {
        continue;
      }
      boolean more = l.endsWith("\\");
      cur.append(more ? l.substring(0, l.length() - 1) : l).append(' ');
      if (!more) {
        out.add(cur.toString().strip());
        cur.setLength(0);
      }
    }
    return out;
  }

  private List<String> runtimeStage() {
    int last = 0;
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i).startsWith("FROM ")) {
        last = i;
      }
    }
    return instructions.subList(last, instructions.size());
  }

  @Test
  void multiStageWithPinnedBaseImages() {
    List<String> froms = instructions.stream().filter(i -> i.startsWith("FROM ")).toList();
    assertThat(froms).hasSize(2);
    assertThat(froms.get(0)).matches("FROM maven:[0-9][^ ]*-eclipse-temurin-17 AS build");
    assertThat(froms.get(1)).matches("FROM eclipse-temurin:17[0-9._]*-jre[^ ]* AS runtime");
    assertThat(froms).noneMatch(f -> f.contains(":latest"));
    // the runtime stage takes only the built jars from the build stage (no Maven, no sources)
    assertThat(runtimeStage()).anyMatch(i -> i.startsWith("COPY --from=build /out/ /opt/vigil/"));
    assertThat(runtimeStage()).noneMatch(i -> i.startsWith("COPY . "));
  }

  @Test
  void dependencyCacheLayerComesBeforeTheSources() {
    int goOffline = indexOf(i -> i.startsWith("RUN ") && i.contains("dependency:go-offline"));
    int sources = indexOf(i -> i.equals("COPY . ."));
    int build = indexOf(i -> i.startsWith("RUN ") && i.contains("package"));
    assertThat(goOffline).isPositive().isLessThan(sources);
    assertThat(sources).isLessThan(build);
    // every module's POM is copied before the go-offline step, or its dependencies miss the cache layer
    String parent = DeployFiles.read("pom.xml");
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(parent);
    List<String> copied = instructions.subList(0, goOffline);
    int modules = 0;
    while (m.find()) {
      modules++;
      String module = m.group(1);
      assertThat(copied).as("POM of module %s copied before go-offline", module)
          .contains("COPY " + module + "/pom.xml " + module + "/");
    }
    assertThat(modules).isGreaterThan(5);
    assertThat(copied).contains("COPY pom.xml ./");
  }

  @Test
  void runsAsANumericNonRootUser() {
    List<String> users = runtimeStage().stream().filter(i -> i.startsWith("USER ")).toList();
    assertThat(users).hasSize(1);
    assertThat(users.get(0)).matches("USER [1-9][0-9]{3,}:[1-9][0-9]{3,}");
    // USER is set after every RUN of the runtime stage (nothing runs as root after it) and before the entrypoint
    List<String> stage = runtimeStage();
    int user = stage.indexOf(users.get(0));
    assertThat(stage.subList(user, stage.size())).noneMatch(i -> i.startsWith("RUN ") || i.startsWith("USER root"));
  }

  @Test
  void entrypointRunsVigil() {
    assertThat(runtimeStage()).contains("ENTRYPOINT [\"/opt/vigil/bin/vigil\"]");
    assertThat(runtimeStage()).contains("COPY deploy/vigil-entrypoint.sh /opt/vigil/bin/vigil");
    String script = DeployFiles.read("deploy/vigil-entrypoint.sh");
    assertThat(script).startsWith("#!/bin/sh").contains("exec java ").contains("dev.vigil.app.Vigil \"$@\"")
        .contains("/opt/vigil/vigil-app.jar:$APP/lib/*".replace("/opt/vigil/", "$APP/"));
    // the same JVM flags as the repository's ./vigil launcher
    String launcher = DeployFiles.read("vigil");
    for (String flag : List.of("-Dopensearch.set.netty.runtime.available.processors=false",
        "-Dlog4j2.configurationFile=\"${VIGIL_LOG_CONFIG:-classpath:log4j2-vigil.xml}\"")) {
      assertThat(launcher).contains(flag);
      assertThat(script).contains(flag);
    }
  }

  @Test
  void readOnlyRootFilesystemFriendly() {
    List<String> stage = runtimeStage();
    String volume = stage.stream().filter(i -> i.startsWith("VOLUME ")).findFirst().orElseThrow();
    assertThat(volume).isEqualTo("VOLUME [\"/tmp\", \"/var/lib/vigil\"]");
    String env = String.join(" ", stage.stream().filter(i -> i.startsWith("ENV ")).toList());
    // Kafka Streams' state and the demo's files go to the declared volume, JVM temp files to /tmp
    assertThat(env).contains("VIGIL_STREAMS_KAFKA_STATE_DIR=/var/lib/vigil/streams", "VIGIL_DEMO_DIR=/var/lib/vigil/demo",
        "-Djava.io.tmpdir=/tmp", "-XX:-UsePerfData");
    assertThat(stage).anyMatch(i -> i.startsWith("WORKDIR /var/lib/vigil"));
  }

  @Test
  void noSecretsBakedIn() {
    Matcher m = Pattern.compile("\\b(VIGIL_[A-Z0-9_]+)=").matcher(dockerfile);
    int n = 0;
    while (m.find()) {
      n++;
      String env = m.group(1);
      if (DeployFiles.LAUNCHER_VARIABLES.contains(env)) {
        continue;
      }
      String key = Settings.envToKey(env);
      assertThat(ConfigKeys.isKnown(key)).as("%s sets %s, a key the code knows", env, key).isTrue();
      assertThat(Settings.isSecretKey(key)).as("%s is a secret: not in the image", env).isFalse();
    }
    assertThat(n).isGreaterThanOrEqualTo(3);
    assertThat(dockerfile).doesNotContainPattern("(?i)(ARG|ENV) [A-Z_]*(PASSWORD|SECRET|TOKEN|API_KEY)");
    assertThat(dockerfile).doesNotContain("secrets/");
    String ignore = DeployFiles.read(".dockerignore");
    assertThat(ignore).contains(".vigil/", "**/target/", ".git/");
  }

  private int indexOf(java.util.function.Predicate<String> p) {
    for (int i = 0; i < instructions.size(); i++) {
      if (p.test(instructions.get(i))) {
        return i;
      }
    }
    return -1;
  }
}

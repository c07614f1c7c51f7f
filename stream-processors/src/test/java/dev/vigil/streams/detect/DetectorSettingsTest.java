package dev.vigil.streams.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;

class DetectorSettingsTest {

  @Test
  void shouldHaveDocumentedDefaults() {
    DetectorSettings d = DetectorSettings.defaults();
    assertThat(d.secretLeakage()).isEqualTo(new DetectorSettings.SecretLeakage(true,
        Set.of("k8s-secret", "k8s-secret-body"), Set.of("pem-private-key", "gcp-service-account"),
        Duration.ofHours(1)));
    assertThat(d.crossChannelExfiltration()).isEqualTo(new DetectorSettings.CrossChannelExfiltration(true,
        Duration.ofHours(24), Duration.ofMinutes(1), Set.of("k8s-secret")));
    assertThat(d.privilegeEscalation()).isEqualTo(new DetectorSettings.PrivilegeEscalation(true,
        Set.of("cluster-admin", "admin", "edit"), Set.of("escalate", "bind", "impersonate")));
    assertThat(d.execIntoPod()).isEqualTo(new DetectorSettings.ExecIntoPod(true, Set.of("exec", "attach"),
        Set.of("kube-system")));
    DetectorSettings.Burst burst = new DetectorSettings.Burst(true, 10, Duration.ofMinutes(1), Duration.ofMinutes(1));
    assertThat(d.massDelete()).isEqualTo(burst);
    assertThat(d.denyBurst()).isEqualTo(burst);
    assertThat(d.firstNamespaceAccess()).isEqualTo(new DetectorSettings.FirstNamespaceAccess(true,
        Duration.ofHours(24), Set.of("kube-system"), 1000));
  }

  @Test
  void shouldReadSettingsAndEnvironmentOverrides() {
    Settings s = Settings.load(null, Map.of(
            "VIGIL_STREAMS_DETECT_MASS__DELETE_THRESHOLD", "25",
            "VIGIL_STREAMS_DETECT_DENY__BURST_ENABLED", "false"),
        Map.of("vigil.streams.detect.grace", "30s",
            "vigil.streams.detect.deny-burst.window", "5m",
            "vigil.streams.detect.cross-channel-exfiltration.ttl", "PT12H",
            "vigil.streams.detect.exec-into-pod.sensitive-namespaces", "kube-system, prod ,",
            "vigil.streams.detect.secret-leakage.ignored-kinds", "none",
            "vigil.streams.detect.first-namespace-access.learning-period", "0"));
    DetectorSettings d = DetectorSettings.from(s);
    assertThat(d.massDelete()).isEqualTo(new DetectorSettings.Burst(true, 25, Duration.ofMinutes(1),
        Duration.ofSeconds(30)));
    assertThat(d.denyBurst()).isEqualTo(new DetectorSettings.Burst(false, 10, Duration.ofMinutes(5),
        Duration.ofSeconds(30)));
    assertThat(d.crossChannelExfiltration().ttl()).isEqualTo(Duration.ofHours(12));
    assertThat(d.crossChannelExfiltration().grace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.execIntoPod().sensitiveNamespaces()).containsExactlyInAnyOrder("kube-system", "prod");
    assertThat(d.secretLeakage().ignoredKinds()).isEmpty();
    assertThat(d.firstNamespaceAccess().learningPeriod()).isZero();
  }

  @Test
  void shouldSwitchDetectorsOnlyAsAsked() {
    DetectorSettings d = DetectorSettings.defaults().with("mass-delete.threshold", "3").only("mass-delete", "deny-burst");
    assertThat(d.massDelete().enabled()).isTrue();
    assertThat(d.massDelete().threshold()).isEqualTo(3);
    assertThat(d.denyBurst().enabled()).isTrue();
    assertThat(d.secretLeakage().enabled()).isFalse();
    assertThat(d.crossChannelExfiltration().enabled()).isFalse();
    assertThat(d.firstNamespaceAccess().enabled()).isFalse();
    assertThatThrownBy(() -> d.only("mass-deletes")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("mass-deletes");
  }

  @Test
  void shouldRefuseUnknownKeysAndBadValues() {
    assertThatThrownBy(() -> DetectorSettings.defaults().with("mass_delete.threshold", "3"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.streams.detect.mass_delete.threshold")
        .hasMessageContaining("no detector named mass_delete");
    assertThatThrownBy(() -> DetectorSettings.defaults().with("mass-delete.treshold", "3"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("mass-delete.treshold")
        .hasMessageContaining("threshold");
    assertThatThrownBy(() -> DetectorSettings.defaults().with("deny-burst.threshold", "0"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("between 1 and");
    assertThatThrownBy(() -> DetectorSettings.defaults().with("cross-channel-exfiltration.ttl", "0"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("must be positive");
    assertThatThrownBy(() -> DetectorSettings.defaults().with("grace", "-1m"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("must not be negative");
    assertThatThrownBy(() -> DetectorSettings.defaults().with("exec-into-pod.enabled", "maybe"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("true or false");
  }
}

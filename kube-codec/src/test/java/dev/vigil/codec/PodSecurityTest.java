package dev.vigil.codec;

import static dev.vigil.codec.PodSecurity.Setting.HOST_IPC;
import static dev.vigil.codec.PodSecurity.Setting.HOST_NETWORK;
import static dev.vigil.codec.PodSecurity.Setting.HOST_PATH;
import static dev.vigil.codec.PodSecurity.Setting.HOST_PID;
import static dev.vigil.codec.PodSecurity.Setting.PRIVILEGED;
import static dev.vigil.codec.Trees.tree;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PodSecurityTest {

  @Test
  void shouldListEverySettingInOrder() {
    assertThat(PodSecurity.settings(tree("""
        {kind: Pod, spec: {hostIPC: true, hostPID: true, hostNetwork: true,
         containers: [{name: c, securityContext: {privileged: true}}],
         volumes: [{name: root, hostPath: {path: /}}]}}""")))
        .containsExactly(PRIVILEGED, HOST_PATH, HOST_NETWORK, HOST_PID, HOST_IPC);
  }

  @Test
  void shouldFindSettingsInTemplatesAndEphemeralContainers() {
    assertThat(PodSecurity.settings(tree("{spec: {jobTemplate: {spec: {template: {spec: {hostIPC: true}}}}}}")))
        .containsExactly(HOST_IPC);
    assertThat(PodSecurity.settings(tree(
        "{spec: {ephemeralContainers: [{name: e, securityContext: {privileged: true}}]}}")))
        .containsExactly(PRIVILEGED);
  }

  @Test
  void shouldIgnoreFalseNullLabelsAndStrings() {
    assertThat(PodSecurity.settings(tree("""
        {metadata: {name: p, labels: {hostNetwork: 'true'}, annotations: {privileged: true}},
         spec: {hostNetwork: false, hostPID: 'true',
                containers: [{name: c, securityContext: {privileged: false}}],
                volumes: [{name: v, emptyDir: {}, hostPath: null}]}}"""))).isEmpty();
    assertThat(PodSecurity.settings(null)).isEmpty();
  }

  @Test
  void shouldNameTheFieldOfEachSetting() {
    assertThat(PRIVILEGED.field()).isEqualTo("privileged");
    assertThat(HOST_PATH.field()).isEqualTo("hostPath");
    assertThat(HOST_NETWORK.field()).isEqualTo("hostNetwork");
    assertThat(HOST_PID.field()).isEqualTo("hostPID");
    assertThat(HOST_IPC.field()).isEqualTo("hostIPC");
  }

  @Test
  void shouldTellWhichWritesCarryAPodSpec() {
    assertThat(PodSecurity.carriesPodSpec("pods", null)).isTrue();
    assertThat(PodSecurity.carriesPodSpec("pods", "ephemeralcontainers")).isTrue();
    assertThat(PodSecurity.carriesPodSpec("cronjobs", null)).isTrue();
    assertThat(PodSecurity.carriesPodSpec("podtemplates", null)).isTrue();
    assertThat(PodSecurity.carriesPodSpec("pods", "status")).isFalse();
    assertThat(PodSecurity.carriesPodSpec("deployments", "scale")).isFalse();
    assertThat(PodSecurity.carriesPodSpec("configmaps", null)).isFalse();
    assertThat(PodSecurity.carriesPodSpec(null, null)).isFalse();
  }
}

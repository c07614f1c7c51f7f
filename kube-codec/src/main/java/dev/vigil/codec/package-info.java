/**
 * Kubernetes content shared by the proxy, kube-sim and the stream processors: the wire formats (JSON, YAML and the
 * protobuf envelope) as one JSON tree, and what a write's body sets in it ({@link dev.vigil.codec.WriteContent},
 * {@link dev.vigil.codec.KubeTrees}, {@link dev.vigil.codec.PodSecurity}).
 */
package dev.vigil.codec;

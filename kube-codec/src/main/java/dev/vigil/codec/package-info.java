/** Kubernetes wire formats shared by the proxy and kube-sim: JSON, YAML and the protobuf envelope. */
package dev.vigil.codec;

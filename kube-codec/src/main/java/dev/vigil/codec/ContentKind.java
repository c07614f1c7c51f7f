package dev.vigil.codec;

/** What a body is, judged from its Content-Type alone (see {@link KubeContent#classify(String)}). */
public enum ContentKind {
  /** {@code application/json} and {@code application/*+json} (merge, JSON and strategic merge patches). */
  JSON,
  /** {@code application/yaml}, {@code application/x-yaml}, {@code text/yaml}, {@code application/*+yaml} (apply patches). */
  YAML,
  /** {@code application/vnd.kubernetes.protobuf}: the {@code k8s\0} envelope, or length-prefixed watch frames. */
  PROTOBUF,
  /** Other text: {@code text/*} (logs), XML, form data. */
  TEXT,
  /** Anything else, including a missing Content-Type. */
  BINARY
}

package dev.vigil.ops;

/**
 * One dependency a service needs to do its work (a Kafka cluster, an OpenSearch cluster). {@link #probe()} blocks
 * (it is run on a worker thread) and must be bounded by its own short timeout.
 */
public interface ReadinessCheck extends AutoCloseable {

  /** The name shown in the {@code /readyz} answer, e.g. {@code kafka}. */
  String name();

  /** True when the dependency answered; false or an exception when it did not. */
  boolean probe() throws Exception;

  /** Releases the check's client, if it has one. */
  @Override
  default void close() {}
}

package dev.vigil.schema.serde;

import org.apache.kafka.common.serialization.Serializer;

/** Base for serializers Kafka can instantiate by class name. */
public abstract class DelegatingSerializer<T> implements Serializer<T> {
  private final Serializer<T> delegate;

  protected DelegatingSerializer(Serializer<T> delegate) {
    this.delegate = delegate;
  }

  @Override
  public byte[] serialize(String topic, T data) {
    return delegate.serialize(topic, data);
  }
}

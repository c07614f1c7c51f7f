package dev.vigil.schema.serde;

import org.apache.kafka.common.serialization.Deserializer;

/** Base for deserializers Kafka can instantiate by class name. */
public abstract class DelegatingDeserializer<T> implements Deserializer<T> {
  private final Deserializer<T> delegate;

  protected DelegatingDeserializer(Deserializer<T> delegate) {
    this.delegate = delegate;
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    return delegate.deserialize(topic, data);
  }
}

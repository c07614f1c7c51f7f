package dev.vigil.streams.detect;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import dev.vigil.schema.VigilEvent;

/**
 * Sets each record's timestamp to the event's own time (when the gateway observed it), whatever timestamp extractor
 * the application uses: the detectors' windows, TTLs and learning periods are in event time, and the store segments
 * and repartition topics downstream follow the record timestamp.
 */
final class EventTime implements FixedKeyProcessor<String, VigilEvent, VigilEvent> {

  private FixedKeyProcessorContext<String, VigilEvent> context;

  @Override
  public void init(FixedKeyProcessorContext<String, VigilEvent> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, VigilEvent> record) {
    VigilEvent e = record.value();
    if (e == null || e.getTime() == null) {
      context.forward(record);
      return;
    }
    context.forward(record.withTimestamp(e.getTime().toEpochMilli()));
  }
}

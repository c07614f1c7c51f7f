package dev.vigil.indexer.impl;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One document to write.
 *
 * @param record the record it comes from
 * @param id the document id
 * @param idHeader the DLQ header naming the id (see {@link DeadLetter#idHeader()})
 * @param index the target index
 * @param document the document
 * @param version null for a plain index operation; else the external version (written with {@code external_gte}: a
 *     document already stored with a higher version is kept, the item counts as superseded)
 * @param bytes its estimated share of the bulk request body
 */
record BulkItem(ConsumerRecord<byte[], byte[]> record, String id, String idHeader, String index, Map<String, Object> document,
    Long version, long bytes) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** An event document (unversioned) whose size is measured by serializing it once. */
  static BulkItem of(ConsumerRecord<byte[], byte[]> record, String eventId, String index, Map<String, Object> document) {
    return of(record, eventId, DeadLetter.EVENT_ID_HEADER, index, document, null);
  }

  /** An item whose size is measured by serializing the document once. */
  static BulkItem of(ConsumerRecord<byte[], byte[]> record, String id, String idHeader, String index,
      Map<String, Object> document, Long version) {
    return new BulkItem(record, id, idHeader, index, document, version, estimateBytes(id, index, document));
  }

  /** The bytes the action and document lines take in the bulk body (the document serialized once to count). */
  static long estimateBytes(String id, String index, Map<String, Object> document) {
    CountingStream out = new CountingStream();
    try {
      JSON.writeValue(out, document);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.count + index.length() + id.length() + 60;
  }

  private static final class CountingStream extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}

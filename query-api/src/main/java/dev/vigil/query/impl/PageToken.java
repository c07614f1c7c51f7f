package dev.vigil.query.impl;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import org.opensearch.client.opensearch._types.FieldValue;

/**
 * The opaque {@code searchAfter} / {@code nextSearchAfter} token: base64url of {@code {"k":<sort key>,"v":[sort
 * values of the last hit]}}. Bound to the sort it was issued for, so a token cannot be replayed against another order.
 * It carries only positions, no authority: every page is filtered for the caller again.
 */
final class PageToken {

  private static final int MAX_CHARS = 4096;
  private static final int MAX_ID_CHARS = 2048;

  private PageToken() {}

  static String encode(String sortKey, List<FieldValue> sortValues) {
    JsonArray values = new JsonArray();
    for (FieldValue v : sortValues) {
      if (v.isLong()) {
        values.add(v.longValue());
      } else if (v.isDouble()) {
        values.add(v.doubleValue());
      } else if (v.isBoolean()) {
        values.add(v.booleanValue());
      } else if (v.isString()) {
        values.add(v.stringValue());
      } else {
        values.addNull();
      }
    }
    String json = new JsonObject().put("k", sortKey).put("v", values).encode();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The sort values in {@code token}; 400 when malformed or issued for another sort. */
  static List<FieldValue> decode(String token, String sortKey, int expectedValues) {
    JsonObject o;
    try {
      if (token.length() > MAX_CHARS) {
        throw new IllegalArgumentException("too long");
      }
      o = new JsonObject(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      throw ApiException.badRequest("Query parameter 'searchAfter' is not a page token of this API");
    }
    if (!sortKey.equals(o.getValue("k")) || !(o.getValue("v") instanceof JsonArray values)
        || values.size() != expectedValues) {
      throw ApiException.badRequest("Query parameter 'searchAfter' was issued for another sort or search; "
          + "start again without it");
    }
    // every sort of this API is numbers (times, counts) then one keyword id: a forged token of other types would only
    // make OpenSearch fail (a 500); it is the client's error
    List<FieldValue> out = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      Object v = values.getValue(i);
      boolean last = i == values.size() - 1;
      if (!last && (v instanceof Integer || v instanceof Long)) {
        out.add(FieldValue.of(((Number) v).longValue()));
      } else if (last && v instanceof String s && s.length() <= MAX_ID_CHARS) {
        out.add(FieldValue.of(s));
      } else if (last && v == null) {
        out.add(FieldValue.NULL);
      } else {
        throw ApiException.badRequest("Query parameter 'searchAfter' is not a page token of this API");
      }
    }
    return out;
  }
}

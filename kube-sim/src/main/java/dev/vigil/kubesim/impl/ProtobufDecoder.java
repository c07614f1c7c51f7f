package dev.vigil.kubesim.impl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.codec.DecodeResult;
import dev.vigil.codec.KubeContent;
import dev.vigil.kubesim.store.StatusException;

/**
 * Decodes {@code application/vnd.kubernetes.protobuf} request bodies (magic {@code k8s\0} + {@code runtime.Unknown})
 * into the JSON form of the object with kube-codec ({@link KubeContent}), and maps what it cannot decode to the
 * {@code Status} errors the API server would answer: 415 for a kind without generated protobuf type, 400 otherwise.
 */
final class ProtobufDecoder {

  static final String CONTENT_TYPE = KubeContent.PROTOBUF;

  private ProtobufDecoder() {}

  static ObjectNode decode(byte[] body) {
    DecodeResult r = KubeContent.decodeProtobuf(body);
    if (r.decoded() && r.json() instanceof ObjectNode obj) {
      return obj;
    }
    if (r.problem() == DecodeResult.Problem.UNKNOWN_KIND) {
      throw new StatusException(415, "UnsupportedMediaType", r.message() + "; send JSON instead");
    }
    throw StatusException.badRequest(r.decoded() ? "protobuf body is not an object" : r.message());
  }
}

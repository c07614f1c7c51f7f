package dev.vigil.kubesim.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.kubesim.store.Json;
import dev.vigil.kubesim.store.ResourceType;
import dev.vigil.kubesim.store.StatusException;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Locale;

/** Reads request bodies: JSON, YAML, protobuf objects and patch documents. */
final class Bodies {

  private Bodies() {}

  /** The media type without parameters, lower case; "" if absent. */
  static String mediaType(RoutingContext ctx) {
    String ct = ctx.request().getHeader("Content-Type");
    if (ct == null) {
      return "";
    }
    int semi = ct.indexOf(';');
    return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  static byte[] bytes(RoutingContext ctx) {
    return ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
  }

  /** An object body for create/update, checked against the resource type. */
  static ObjectNode object(RoutingContext ctx, ResourceType type) {
    byte[] body = bytes(ctx);
    if (body.length == 0) {
      throw StatusException.badRequest("request body is empty");
    }
    String mt = mediaType(ctx);
    ObjectNode obj = switch (mt) {
      case "", "application/json", "*/*" -> Json.parseObject(body);
      case "application/yaml", "application/x-yaml", "text/yaml" -> yaml(body);
      case ProtobufDecoder.CONTENT_TYPE -> ProtobufDecoder.decode(body);
      default -> throw StatusException.unsupportedMediaType(mt);
    };
    String kind = Json.text(obj, "kind");
    String apiVersion = Json.text(obj, "apiVersion");
    if ((kind != null && !kind.equals(type.kind())) || (apiVersion != null && !apiVersion.equals(type.apiVersion()))) {
      throw StatusException.badRequest("the object provided is unrecognized (must be of type " + type.kind()
          + "): " + apiVersion + ", Kind=" + kind);
    }
    return obj;
  }

  /** A patch document (JSON or, for apply patches, YAML). */
  static JsonNode patch(RoutingContext ctx) {
    byte[] body = bytes(ctx);
    try {
      JsonNode node = Patches.APPLY.equals(mediaType(ctx)) ? Json.YAML.readTree(body) : Json.MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw StatusException.badRequest("patch body is empty");
      }
      return node;
    } catch (IOException e) {
      throw StatusException.badRequest("invalid patch body: " + e.getMessage());
    }
  }

  private static ObjectNode yaml(byte[] body) {
    try {
      JsonNode node = Json.YAML.readTree(body);
      if (!(node instanceof ObjectNode o)) {
        throw StatusException.badRequest("request body must be a YAML mapping");
      }
      return o;
    } catch (IOException e) {
      throw StatusException.badRequest("invalid YAML body: " + e.getMessage());
    }
  }
}

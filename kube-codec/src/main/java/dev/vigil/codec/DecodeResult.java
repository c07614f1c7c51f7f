package dev.vigil.codec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of decoding a body: either a JSON tree ({@link #json()} non-null) or a problem saying why the body
 * could not be decoded ({@link #problem()}, {@link #message()}). Decoding never throws on bad input.
 *
 * @param kind what the Content-Type said the body is
 * @param json the canonical JSON tree, null when undecodable
 * @param problem null when decoded
 * @param message human-readable reason when undecodable, e.g. {@code undecodable protobuf kind v1, Kind=Foo}
 * @param warnings lossy spots of a successful decode, e.g. protobuf fields unknown to the generated descriptors
 */
public record DecodeResult(ContentKind kind, JsonNode json, Problem problem, String message, List<String> warnings) {

  /** Why a body was not decoded. */
  public enum Problem {
    /** No bytes. */
    EMPTY,
    /** The Content-Type is not JSON, YAML or Kubernetes protobuf. */
    NOT_STRUCTURED,
    /** Syntax error, truncated input, invalid protobuf wire data, bad watch framing. */
    MALFORMED,
    /** A protobuf body without the {@code k8s\0} envelope magic. */
    NOT_ENVELOPE,
    /** A well-formed envelope naming a kind the generated descriptors do not know. */
    UNKNOWN_KIND,
    /** An envelope whose {@code contentEncoding} or inner {@code contentType} is not supported. */
    UNSUPPORTED_ENCODING
  }

  public DecodeResult {
    Objects.requireNonNull(kind, "kind");
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
    if ((json == null) == (problem == null)) {
      throw new IllegalArgumentException("exactly one of json and problem must be set");
    }
  }

  static DecodeResult ok(ContentKind kind, JsonNode json, List<String> warnings) {
    return new DecodeResult(kind, json, null, null, warnings);
  }

  static DecodeResult failed(ContentKind kind, Problem problem, String message) {
    return new DecodeResult(kind, null, problem, message, List.of());
  }

  /** True when {@link #json()} holds the decoded tree. */
  public boolean decoded() {
    return json != null;
  }
}

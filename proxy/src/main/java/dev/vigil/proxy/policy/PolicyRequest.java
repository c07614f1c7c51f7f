package dev.vigil.proxy.policy;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.vigil.schema.Channel;

/**
 * What the policy sees of one call. Kubernetes attributes are those of kube-apiserver's RequestInfo (as
 * {@code RequestInfoParser} derives them); {@code path} is the canonical request path. An LLM call (channel
 * {@code LLM}) has verb {@code create} (POST) or {@code get} (GET), no resource, {@code resourceRequest} false, its
 * {@code /llm/...} path, its {@code model}, and what the gateway found in it of the Secret values the session read
 * ({@code promptSecrets}, {@code promptUnscanned}).
 *
 * @param subject the token's {@code sub} claim
 * @param username the caller's mapped username
 * @param namespaceLabels the labels of {@code namespace}; null when they are unknown (not looked up, lookup failed)
 * @param objectLabels the labels of the object the call addresses; null when unknown
 * @param body the request body as a JSON tree (an object, or an array for a JSON patch); null when there is none or it
 *     could not be decoded
 * @param model the model an LLM call names (null on the Kubernetes channel, or when the call names none)
 * @param promptSecrets LLM calls: the fingerprints of the Secret values the session read through Kubernetes that the
 *     request contains (empty when none)
 * @param promptUnscanned LLM calls: the session read Secret values but the request could not be checked whole for
 *     them (a body cut short, or not text)
 */
public record PolicyRequest(String subject, String username, List<String> groups, String issuer, Channel channel,
    String verb, String apiGroup, String resource, String subresource, String namespace, String name,
    boolean resourceRequest, String path, Map<String, String> namespaceLabels, Map<String, String> objectLabels,
    JsonNode body, String model, List<String> promptSecrets, boolean promptUnscanned) {

  public PolicyRequest {
    promptSecrets = promptSecrets == null ? List.of() : List.copyOf(promptSecrets);
    groups = groups == null ? List.of() : List.copyOf(groups);
    apiGroup = apiGroup == null ? "" : apiGroup;
    verb = verb == null ? "" : verb;
    namespaceLabels = namespaceLabels == null ? null : Map.copyOf(namespaceLabels);
    objectLabels = objectLabels == null ? null : Map.copyOf(objectLabels);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder; every field defaults to null/empty, channel to KUBERNETES and resourceRequest to true. */
  public static final class Builder {
    private String subject;
    private String username;
    private List<String> groups = List.of();
    private String issuer;
    private Channel channel = Channel.KUBERNETES;
    private String verb;
    private String apiGroup = "";
    private String resource;
    private String subresource;
    private String namespace;
    private String name;
    private boolean resourceRequest = true;
    private String path;
    private Map<String, String> namespaceLabels;
    private Map<String, String> objectLabels;
    private JsonNode body;
    private String model;
    private List<String> promptSecrets = List.of();
    private boolean promptUnscanned;

    private Builder() {}

    public Builder subject(String v) { subject = v; return this; }
    public Builder username(String v) { username = v; return this; }
    public Builder groups(List<String> v) { groups = v; return this; }
    public Builder issuer(String v) { issuer = v; return this; }
    public Builder channel(Channel v) { channel = v; return this; }
    public Builder verb(String v) { verb = v; return this; }
    public Builder apiGroup(String v) { apiGroup = v; return this; }
    public Builder resource(String v) { resource = v; return this; }
    public Builder subresource(String v) { subresource = v; return this; }
    public Builder namespace(String v) { namespace = v; return this; }
    public Builder name(String v) { name = v; return this; }
    public Builder resourceRequest(boolean v) { resourceRequest = v; return this; }
    public Builder path(String v) { path = v; return this; }
    public Builder namespaceLabels(Map<String, String> v) { namespaceLabels = v; return this; }
    public Builder objectLabels(Map<String, String> v) { objectLabels = v; return this; }
    public Builder body(JsonNode v) { body = v; return this; }
    public Builder model(String v) { model = v; return this; }
    public Builder promptSecrets(List<String> v) { promptSecrets = v; return this; }
    public Builder promptUnscanned(boolean v) { promptUnscanned = v; return this; }

    public PolicyRequest build() {
      return new PolicyRequest(subject, username, groups, issuer, channel, verb, apiGroup, resource, subresource,
          namespace, name, resourceRequest, path, namespaceLabels, objectLabels, body, model, promptSecrets,
          promptUnscanned);
    }
  }
}

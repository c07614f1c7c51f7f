package dev.vigil.query.impl;

import io.vertx.core.json.JsonObject;

import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.query_dsl.Query;

/**
 * What a caller may read: members of the analyst group everything; any other authenticated identity only the sessions,
 * events and alerts whose {@code identity.username} is its own username (as the gateway maps it).
 */
public record Access(Caller caller, boolean analyst) {

  static final String OWNER_FIELD = "identity.username";

  public static Access of(Caller caller, String analystGroup) {
    return new Access(caller, caller.groups().contains(analystGroup));
  }

  /** The filter restricting a search to the caller's own documents, or null for an analyst. */
  public Query ownerFilter() {
    return analyst ? null : Query.of(q -> q.term(t -> t.field(OWNER_FIELD).value(FieldValue.of(caller.username()))));
  }

  /** The owner to restrict to, or null for an analyst. */
  public String owner() {
    return analyst ? null : caller.username();
  }

  /** Whether the caller may read {@code doc} (a session, event or alert document). */
  public boolean mayRead(JsonObject doc) {
    if (analyst) {
      return true;
    }
    JsonObject identity = doc.getJsonObject("identity");
    return identity != null && caller.username().equals(identity.getString("username"));
  }

  /** Throws 403 unless the caller may read {@code doc}; the audit line (never the answer) names the owner. */
  public void check(JsonObject doc, String what) {
    if (!mayRead(doc)) {
      JsonObject identity = doc.getJsonObject("identity");
      throw ApiException.forbidden("This " + what + " belongs to another identity; only members of the analyst group "
          + "may read it").audit("owner", identity == null ? null : identity.getString("username"));
    }
  }

  /**
   * Throws 403 when a caller outside the analyst group filters a search by an {@code identity} other than its own
   * (username or token subject): the answer would be empty anyway, but asking is an attempt the audit trail keeps.
   */
  public void checkIdentityFilter(String identity) {
    if (!analyst && identity != null && !identity.equals(caller.username()) && !identity.equals(caller.subject())) {
      throw ApiException.forbidden("Only members of the analyst group may search another identity's records")
          .audit("identity", identity);
    }
  }
}

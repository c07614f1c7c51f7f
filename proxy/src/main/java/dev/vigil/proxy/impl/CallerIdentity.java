package dev.vigil.proxy.impl;

import java.util.List;

import dev.vigil.schema.Identity;

/** Who is calling, as established from a validated token (never the token itself). */
record CallerIdentity(String subject, String username, List<String> groups, String issuer) {

  static final CallerIdentity ANONYMOUS =
      new CallerIdentity("system:anonymous", "system:anonymous", List.of("system:unauthenticated"), null);

  CallerIdentity {
    groups = List.copyOf(groups);
  }

  Identity toAvro() {
    return Identity.newBuilder()
        .setSubject(subject)
        .setUsername(username)
        .setGroups(List.copyOf(groups))
        .setIssuer(issuer)
        .setAuthenticated(this != ANONYMOUS)
        .build();
  }
}

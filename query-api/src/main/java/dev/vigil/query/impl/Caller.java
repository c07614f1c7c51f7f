package dev.vigil.query.impl;

import java.util.List;

/**
 * The authenticated caller: token subject, username (the configured username claim with its prefix, as the gateway
 * maps it, so that it equals the {@code identity.username} of the caller's own recorded events) and groups.
 */
public record Caller(String subject, String username, List<String> groups) {}

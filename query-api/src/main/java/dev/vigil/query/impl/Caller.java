package dev.vigil.query.impl;

import java.util.List;

/** The authenticated analyst: token subject, a display name ({@code preferred_username} or subject), groups. */
public record Caller(String subject, String username, List<String> groups) {}

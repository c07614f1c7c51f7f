package dev.vigil.proxy.policy;

/** How much of a call is recorded: everything, only the metadata (no bodies), or nothing. */
public enum RecordMode {
  FULL, METADATA, OFF
}

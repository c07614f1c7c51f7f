package dev.vigil.llmsim.impl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Provider-shaped ids ({@code msg_01…}, {@code toolu_01…}, {@code chatcmpl-…}, {@code call_…}, {@code req_01…}),
 * deterministic per simulator instance: the n-th id is a hash of n, so a fresh simulator hands out the same ids in
 * the same order.
 */
final class Ids {

  private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private final AtomicLong seq = new AtomicLong();

  String message() {
    return next("msg_01", 22);
  }

  String toolUse() {
    return next("toolu_01", 22);
  }

  String request() {
    return next("req_01", 22);
  }

  String chatCompletion() {
    return next("chatcmpl-", 29);
  }

  String toolCall() {
    return next("call_", 24);
  }

  private String next(String prefix, int length) {
    byte[] hash = sha256("llm-sim:" + seq.incrementAndGet());
    StringBuilder sb = new StringBuilder(prefix);
    for (int i = 0; i < length; i++) {
      sb.append(BASE62[(hash[i] & 0xff) % BASE62.length]);
    }
    return sb.toString();
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}

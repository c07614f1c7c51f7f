package dev.vigil.llmsim.impl;

import java.util.ArrayList;
import java.util.List;

/** How the simulated model "streams": text in word groups, tool input JSON in short slices. */
final class Chunks {

  static final int TEXT_CHUNK_CHARS = 24;
  static final int JSON_CHUNK_CHARS = 12;

  private Chunks() {}

  /** Pieces of about {@value #TEXT_CHUNK_CHARS} characters, each ending after a space when there is one. */
  static List<String> text(String text) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      int end = Math.min(text.length(), i + TEXT_CHUNK_CHARS);
      if (end < text.length()) {
        int space = text.lastIndexOf(' ', end - 1);
        if (space > i) {
          end = space + 1;
        }
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
          end++;
        }
      }
      out.add(text.substring(i, end));
      i = end;
    }
    if (out.isEmpty()) {
      out.add("");
    }
    return out;
  }

  /** Slices of at most {@value #JSON_CHUNK_CHARS} characters (at least two for anything longer than one). */
  static List<String> json(String json) {
    List<String> out = new ArrayList<>();
    int size = json.length() > 1 && json.length() <= JSON_CHUNK_CHARS ? (json.length() + 1) / 2 : JSON_CHUNK_CHARS;
    int i = 0;
    while (i < json.length()) {
      int end = Math.min(json.length(), i + size);
      if (end < json.length() && Character.isHighSurrogate(json.charAt(end - 1))) {
        end++;
      }
      out.add(json.substring(i, end));
      i = end;
    }
    return out;
  }
}

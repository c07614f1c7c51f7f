package dev.vigil.kubesim.impl;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Long-running responses (watches, followed logs), so that closing the server can end them. */
final class OpenStreams {

  private final Set<Runnable> closers = ConcurrentHashMap.newKeySet();

  void add(Runnable closer) {
    closers.add(closer);
  }

  void remove(Runnable closer) {
    closers.remove(closer);
  }

  int size() {
    return closers.size();
  }

  void closeAll() {
    for (Runnable r : List.copyOf(closers)) {
      r.run();
    }
  }
}

package dev.vigil.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Data directories of the embedded services: created up front, deleted on close (failures logged, not thrown). */
public final class DataDirs {

  private static final Logger LOG = LoggerFactory.getLogger(DataDirs.class);

  private DataDirs() {}

  /** A fresh temporary directory named {@code vigil-<what>-*}. */
  public static Path createTemp(String what) {
    try {
      return Files.createTempDirectory("vigil-" + what + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for " + what, e);
    }
  }

  /** {@code dir} and its parents, created if missing. */
  public static Path create(Path dir, String what) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the " + what + " data directory " + dir, e);
    }
  }

  /** Deletes {@code dir} recursively; what cannot be deleted is logged. */
  public static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> paths = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("Cannot list {} for deletion: {}", dir, e.toString());
    }
    for (Path path : paths) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        LOG.warn("Cannot delete {}: {}", path, e.toString());
      }
    }
  }
}

package dev.vigil.schema.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;

/**
 * Previously published versions of the public schemas, shipped as resources under
 * {@code /dev/vigil/schema/history/<Name>.v<N>.avsc} (full, self-contained schemas as returned by
 * {@code getClassSchema().toString(true)} at release time). {@code history/index.txt} lists them.
 */
public final class SchemaHistory {

  private static final String BASE = "/dev/vigil/schema/history/";

  private SchemaHistory() {}

  /** All published versions of the named record, oldest first. */
  public static List<Schema> previous(String recordName) {
    List<Schema> out = new ArrayList<>();
    for (String file : index()) {
      if (file.startsWith(recordName + ".v")) {
        out.add(load(file));
      }
    }
    return out;
  }

  static List<String> index() {
    String text = read("index.txt");
    List<String> files = new ArrayList<>();
    for (String line : text.split("\n")) {
      String t = line.strip();
      if (!t.isEmpty() && !t.startsWith("#")) {
        files.add(t);
      }
    }
    return files;
  }

  /** Parses one history file. */
  public static Schema load(String file) {
    return new Schema.Parser().parse(read(file));
  }

  private static String read(String file) {
    try (InputStream in = SchemaHistory.class.getResourceAsStream(BASE + file)) {
      if (in == null) {
        throw new IllegalStateException("Missing schema history resource " + BASE + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

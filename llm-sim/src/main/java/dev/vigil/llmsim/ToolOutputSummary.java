package dev.vigil.llmsim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** {@link KubectlScript}'s summary of a tool result: a {@code kubectl get} table, an error, or the first lines. */
final class ToolOutputSummary {

  private static final int MAX_LINES = 5;
  private static final int MAX_LINE_CHARS = 160;

  private ToolOutputSummary() {}

  static String summarize(ModelRequest request, ModelRequest.ToolResult result) {
    ModelRequest.ToolCall call = request.toolCall(result.toolUseId());
    String command = call == null ? "The command" : "`" + call.input().getString("command", "the command") + "`";
    List<String> lines = Arrays.stream(result.content().split("\\R")).filter(l -> !l.isBlank())
        .collect(Collectors.toList());
    if (result.isError()) {
      return command + " failed: " + (lines.isEmpty() ? "no output" : clip(lines.get(0)))
          + ". I will not retry it; it looks like the cluster or the gateway refused it.";
    }
    if (lines.isEmpty()) {
      return command + " returned nothing.";
    }
    if (lines.get(0).startsWith("No resources found")) {
      return command + " found nothing: " + clip(lines.get(0));
    }
    if (lines.get(0).startsWith("NAME") && lines.size() > 1) {
      return table(command, lines);
    }
    StringBuilder sb = new StringBuilder(command).append(" returned ").append(lines.size())
        .append(lines.size() == 1 ? " line:" : " lines; the first ones:");
    lines.stream().limit(MAX_LINES).forEach(l -> sb.append("\n    ").append(clip(l)));
    return sb.toString();
  }

  private static String table(String command, List<String> lines) {
    List<String> header = List.of(lines.get(0).trim().split("\\s+"));
    int nameCol = header.indexOf("NAME");
    int statusCol = header.indexOf("STATUS");
    List<String> names = new ArrayList<>();
    Map<String, Integer> statuses = new LinkedHashMap<>();
    for (String row : lines.subList(1, lines.size())) {
      String[] cells = row.trim().split("\\s+");
      names.add(cells[Math.min(nameCol, cells.length - 1)]);
      if (statusCol >= 0 && statusCol < cells.length) {
        statuses.merge(cells[statusCol], 1, Integer::sum);
      }
    }
    StringBuilder sb = new StringBuilder(command).append(" lists ").append(names.size())
        .append(names.size() == 1 ? " item: " : " items: ").append(join(names)).append('.');
    if (!statuses.isEmpty()) {
      sb.append(" Status: ").append(statuses.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
          .collect(Collectors.joining(", "))).append('.');
    }
    return sb.toString();
  }

  private static String join(List<String> names) {
    if (names.size() <= 1) {
      return String.join("", names);
    }
    List<String> shown = names.size() > 8 ? names.subList(0, 8) : names;
    String head = String.join(", ", shown.subList(0, shown.size() - 1));
    return names.size() > 8 ? head + ", " + shown.get(shown.size() - 1) + " and " + (names.size() - 8) + " more"
        : head + " and " + shown.get(shown.size() - 1);
  }

  private static String clip(String line) {
    String l = line.strip();
    return l.length() <= MAX_LINE_CHARS ? l : l.substring(0, MAX_LINE_CHARS) + "…";
  }
}

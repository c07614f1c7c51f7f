package dev.vigil.app.agent;

import java.io.PrintStream;

import io.vertx.core.json.JsonObject;

/** The demo agent's console output: the conversation as a readable transcript. */
final class Transcript {

  private static final String INDENT = "      ";
  private static final int MAX_OUTPUT_LINES = 12;

  private final PrintStream out;
  private boolean midText;

  Transcript(PrintStream out) {
    this.out = out;
  }

  void line(String text) {
    endText();
    out.println(text);
    out.flush();
  }

  void section(int n, String title) {
    line("");
    line("== " + n + ". " + title + " " + "=".repeat(Math.max(3, 72 - title.length())));
  }

  void user(String text) {
    line("user      " + text);
  }

  /** Starts an assistant turn; its text follows with {@link #text}. */
  void assistant() {
    endText();
    out.print("assistant ");
    midText = true;
  }

  void text(String delta) {
    out.print(delta.replace("\n", "\n" + INDENT + "    "));
    out.flush();
  }

  void toolUse(String name, JsonObject input) {
    line("tool_use  " + name + " " + input.encode());
  }

  void command(KubectlTool.Result r, boolean hideOutput) {
    line("  $ " + r.command());
    if (r.refused() != null) {
      line(INDENT + "(not run — refused by the agent: " + r.refused() + ")");
      return;
    }
    if (hideOutput) {
      line(INDENT + "(exit " + r.exit() + "; output not shown: it is a secret)");
      return;
    }
    String[] lines = r.forModel().split("\n");
    for (int i = 0; i < Math.min(lines.length, MAX_OUTPUT_LINES); i++) {
      line(INDENT + lines[i]);
    }
    if (lines.length > MAX_OUTPUT_LINES) {
      line(INDENT + "... (" + (lines.length - MAX_OUTPUT_LINES) + " more lines)");
    }
    line(INDENT + "(exit " + r.exit() + ")");
  }

  void failed(MessagesClient.Reply r) {
    line("error     " + (r.status() == 200 ? "" : "HTTP " + r.status() + " ") + r.errorType() + ": " + r.error());
  }

  private void endText() {
    if (midText) {
      out.println();
      midText = false;
    }
  }
}

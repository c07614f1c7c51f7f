package dev.vigil.kubesim.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The little shell grammar of {@link PretendShell}: command lists joined by {@code ;},
 * {@code &&}, {@code ||} or newlines; single and double quotes; backslash escapes; {@code #}
 * comments; {@code $VAR}, {@code ${VAR}}, {@code $?}. Pipes, redirections, background jobs and
 * command substitution are rejected with a clear message rather than half-supported.
 */
final class ShellSyntax {

  /** A shell syntax error; the shell prints it and exits with status 2. */
  static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxError(String message) {
      super(message, null, false, false);
    }
  }

  /** One command of a list and the operator that joins it to the previous one (";" for the first). */
  record Segment(String op, String text) {}

  private ShellSyntax() {}

  static List<Segment> split(String line) throws SyntaxError {
    List<Segment> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    String op = ";";
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      char next = i + 1 < line.length() ? line.charAt(i + 1) : 0;
      if (quote != 0) {
        cur.append(c);
        if (c == '\\' && quote == '"' && next != 0) {
          cur.append(next);
          i++;
        } else if (c == quote) {
          quote = 0;
        } else if (c == '`' || (c == '$' && next == '(' && quote == '"')) {
          throw unsupported("command substitution");
        }
        continue;
      }
      if (c == '\\' && next != 0) {
        cur.append(c).append(next);
        i++;
      } else if (c == '\'' || c == '"') {
        quote = c;
        cur.append(c);
      } else if (c == '#' && (cur.length() == 0 || Character.isWhitespace(cur.charAt(cur.length() - 1)))) {
        while (i + 1 < line.length() && line.charAt(i + 1) != '\n') {
          i++;
        }
      } else if (c == ';' || c == '\n' || (c == '&' && next == '&') || (c == '|' && next == '|')) {
        if ((c == '&' || c == '|') && cur.toString().isBlank()) {
          throw new SyntaxError("syntax error near unexpected token `" + c + next + "'");
        }
        add(out, op, cur);
        op = c == '\n' ? ";" : c == ';' ? ";" : "" + c + next;
        if (c == '&' || c == '|') {
          i++;
        }
      } else if (c == '|') {
        throw unsupported("pipes");
      } else if (c == '>' || c == '<') {
        throw unsupported("redirections");
      } else if (c == '&') {
        throw unsupported("background jobs");
      } else if (c == '`' || (c == '$' && next == '(')) {
        throw unsupported("command substitution");
      } else {
        cur.append(c);
      }
    }
    if (quote != 0) {
      throw new SyntaxError("syntax error: unterminated quoted string");
    }
    if (!op.equals(";") && cur.toString().isBlank()) {
      throw new SyntaxError("syntax error: unexpected end of file");
    }
    add(out, op, cur);
    return out;
  }

  private static void add(List<Segment> out, String op, StringBuilder cur) throws SyntaxError {
    String text = cur.toString().trim();
    cur.setLength(0);
    if (text.isEmpty()) {
      if (!op.equals(";")) {
        throw new SyntaxError("syntax error near unexpected token `" + op + "'");
      }
      return;
    }
    out.add(new Segment(out.isEmpty() ? ";" : op, text));
  }

  private static SyntaxError unsupported(String what) {
    return new SyntaxError(what + " are not supported by kube-sim's pretend shell");
  }

  /** Splits one command into words, removing quotes and expanding variables with {@code vars}. */
  static List<String> words(String text, UnaryOperator<String> vars) throws SyntaxError {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean started = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        if (started) {
          words.add(w.toString());
          w.setLength(0);
          started = false;
        }
      } else if (c == '\'') {
        int end = text.indexOf('\'', i + 1);
        if (end < 0) {
          throw new SyntaxError("syntax error: unterminated quoted string");
        }
        w.append(text, i + 1, end);
        started = true;
        i = end;
      } else if (c == '"') {
        started = true;
        for (i++; i < text.length() && text.charAt(i) != '"'; i++) {
          char d = text.charAt(i);
          if (d == '\\' && i + 1 < text.length() && "\"\\$`".indexOf(text.charAt(i + 1)) >= 0) {
            w.append(text.charAt(++i));
          } else if (d == '$') {
            i = expand(text, i, w, vars);
          } else {
            w.append(d);
          }
        }
      } else if (c == '\\' && i + 1 < text.length()) {
        w.append(text.charAt(++i));
        started = true;
      } else if (c == '$') {
        int before = w.length();
        i = expand(text, i, w, vars);
        started |= w.length() > before;
      } else {
        w.append(c);
        started = true;
      }
    }
    if (started) {
      words.add(w.toString());
    }
    return words;
  }

  /** Expands the variable at {@code text[i] == '$'}; returns the index of its last character. */
  private static int expand(String text, int i, StringBuilder w, UnaryOperator<String> vars) {
    int j = i + 1;
    if (j < text.length() && text.charAt(j) == '{') {
      int end = text.indexOf('}', j);
      if (end > j) {
        w.append(nullToEmpty(vars.apply(text.substring(j + 1, end))));
        return end;
      }
    } else if (j < text.length() && "?$#0".indexOf(text.charAt(j)) >= 0) {
      w.append(nullToEmpty(vars.apply(String.valueOf(text.charAt(j)))));
      return j;
    }
    int k = j;
    while (k < text.length() && (Character.isLetterOrDigit(text.charAt(k)) || text.charAt(k) == '_')) {
      k++;
    }
    if (k == j) {
      w.append('$');
      return i;
    }
    w.append(nullToEmpty(vars.apply(text.substring(j, k))));
    return k - 1;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}

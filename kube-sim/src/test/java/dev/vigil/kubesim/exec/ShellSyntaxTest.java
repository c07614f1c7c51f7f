package dev.vigil.kubesim.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShellSyntaxTest {

  private static final Map<String, String> VARS = Map.of("A", "1", "?", "0", "LIST", "x  y");

  @Test
  void shouldSplitCommandListsOnSeparatorsOutsideQuotes() throws Exception {
    assertThat(ShellSyntax.split("echo 'a;b' && ls || pwd; id\nenv")).containsExactly(
        new ShellSyntax.Segment(";", "echo 'a;b'"), new ShellSyntax.Segment("&&", "ls"),
        new ShellSyntax.Segment("||", "pwd"), new ShellSyntax.Segment(";", "id"), new ShellSyntax.Segment(";", "env"));
    assertThat(ShellSyntax.split("  ;; echo x # a comment; ls")).containsExactly(new ShellSyntax.Segment(";", "echo x"));
  }

  @Test
  void shouldRejectWhatThePretendShellCannotDo() {
    assertThatThrownBy(() -> ShellSyntax.split("ls | wc")).hasMessageContaining("pipes are not supported");
    assertThatThrownBy(() -> ShellSyntax.split("cat < f")).hasMessageContaining("redirections");
    assertThatThrownBy(() -> ShellSyntax.split("sleep 1 &")).hasMessageContaining("background jobs");
    assertThatThrownBy(() -> ShellSyntax.split("echo $(id)")).hasMessageContaining("command substitution");
    assertThatThrownBy(() -> ShellSyntax.split("echo \"`id`\"")).hasMessageContaining("command substitution");
    assertThatThrownBy(() -> ShellSyntax.split("echo \"open")).hasMessageContaining("unterminated");
    assertThatThrownBy(() -> ShellSyntax.split("ls &&")).hasMessageContaining("unexpected end of file");
    assertThatThrownBy(() -> ShellSyntax.split("&& ls")).hasMessageContaining("unexpected token");
  }

  @Test
  void shouldSplitWordsRemovingQuotesAndExpandingVariables() throws Exception {
    assertThat(ShellSyntax.words("echo \"$A-${A}\" '$A' \\$A a\\ b $? $NONE \"\" $LIST", VARS::get))
        .containsExactly("echo", "1-1", "$A", "$A", "a b", "0", "", "x  y");
    assertThat(ShellSyntax.words("printf \"say \\\"hi\\\"\" 5$", VARS::get)).containsExactly("printf", "say \"hi\"", "5$");
    assertThat(ShellSyntax.words("   ", VARS::get)).isEqualTo(List.of());
  }
}

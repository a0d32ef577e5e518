package dev.chainrule.gradients;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What KaTeX needs of a string to render it in strict mode, checked without a browser: balanced braces (escaped
 * \{ \} aside), \left/\right and \begin/\end in matching pairs, every command one KaTeX knows, no Unicode
 * letter outside \text{}, and no empty side of an equals sign.
 */
public final class KatexStructure {

    private static final java.util.Set<String> COMMANDS = java.util.Set.of("frac", "partial", "left", "right", "begin",
            "end", "top", "cdot", "odot", "otimes", "sigma", "delta", "lambda", "alpha", "Phi", "phi", "sum", "le", "ge",
            "times", "mathrm", "mathbf", "operatorname", "text", "quad", "tfrac", "tanh", "log", "max", "min", "exp", "sin",
            "cos", "mathrel", "infty", "mu", "ne", "_", "|", "\\", "{", "}", "%", "#", "&", "$", ",", " ");

    private KatexStructure() {
    }

    public static void assertSound(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++; // the escaped character or the command's first letter
                continue;
            }
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
                assertThat(depth).as("a } closes nothing in %s", s).isGreaterThanOrEqualTo(0);
            }
        }
        assertThat(depth).as("unbalanced braces in %s", s).isZero();
        assertThat(count(s, "\\left")).as("\\left without \\right in %s", s).isEqualTo(count(s, "\\right"));
        Deque<String> envs = new ArrayDeque<>();
        Matcher m = Pattern.compile("\\\\(begin|end)\\{(\\w+)\\}").matcher(s);
        while (m.find()) {
            if (m.group(1).equals("begin")) {
                envs.push(m.group(2));
            } else {
                assertThat(envs.isEmpty() ? null : envs.pop()).as("\\end{%s} without its \\begin in %s", m.group(2), s).isEqualTo(m.group(2));
            }
        }
        assertThat(envs).as("\\begin without \\end in %s", s).isEmpty();
        Matcher cmd = Pattern.compile("\\\\([A-Za-z]+|.)").matcher(s);
        while (cmd.find()) {
            assertThat(COMMANDS).as("KaTeX command \\%s in %s", cmd.group(1), s).contains(cmd.group(1));
        }
        String outsideText = s.replaceAll("\\\\text\\{[^}]*\\}", "");
        assertThat(outsideText.chars().filter(ch -> ch > 127).count()).as("a Unicode character outside \\text{} in %s", s).isZero();
        assertThat(s).as("an empty side of = in %s", s).doesNotContain("= =").doesNotContainPattern("=\\s*$").doesNotContain("\\sum_{k} =");
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}

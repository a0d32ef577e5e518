package dev.chainrule.grading;

import dev.chainrule.engine.Tensor;
import dev.chainrule.errors.FieldError;
import dev.chainrule.errors.FieldErrors;
import dev.chainrule.errors.InvalidRequestException;
import dev.chainrule.errors.JsonText;
import dev.chainrule.errors.Names;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores a set of graded answers against the questions of a problem:
 * <ul>
 * <li>each question earns its points times the credit of its answer (1 when correct, {@code carry_forward_credit}
 *     when carried forward, else 0); with {@code per_entry}, an answer of the expected shape earns at least the
 *     fraction of its entries within tolerance;</li>
 * <li>a question without an answer is {@code missing} and earns 0;</li>
 * <li>an answer that no question asks for is reported ({@code asked: false}) but not scored.</li>
 * </ul>
 * The results list the questions in their order, then the answers no question asks for, in theirs.
 */
final class Marking {

    private Marking() {
    }

    /**
     * Every question's name must be a quantity of the problem, as an answer's key may spell it ({@code W},
     * {@code ∂J/∂W}: {@link AnswerKey#canonical}): a 400 naming {@code questions[i].name} if not, with a near miss
     * and the problem's names bounded ({@link NameList}); past the errors an answer lists, a wrong name is only
     * counted, its message never built.
     */
    static void check(List<Question> questions, AnswerKey key) {
        FieldErrors errors = new FieldErrors();
        NameList names = new NameList(key.keys(), 64); // the message is cut to 400 characters (FieldError) in any case
        for (int i = 0; i < questions.size(); i++) {
            String name = questions.get(i).name();
            String without = key.canonical(name) == null ? key.withoutGradient(name) : null;
            if (without != null) {
                errors.add("questions[" + i + "].name", () -> JsonText.quote(name) + " asks for a gradient this problem does not have: "
                        + without + (key.expected(AnswerKey.FORWARD + AnswerKey.differentiated(name)) == null ? ""
                        : " (ask for forward." + JsonText.abbreviate(AnswerKey.differentiated(name)) + " to grade its value)"));
            } else if (key.canonical(name) == null) {
                errors.add("questions[" + i + "].name", () -> JsonText.quote(name) + " names no quantity of this problem"
                        + Names.didYouMean(name, key.keys()) + "; its names " + (names.whole() ? "are " : "include ") + names.near(name));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    static Grade mark(Map<String, GradeResult> graded, Map<String, Answer> answers, List<Question> questions, AnswerKey key,
            Grader.Settings settings) {
        Map<String, GradeResult> results = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        double points = 0;
        double max = 0;
        int correct = 0;
        Map<String, String> spelled = null; // name → the first key that spells it, built once if needed
        for (Question q : questions) {
            String name = key.canonical(q.name());
            String answered = q.name();
            if (!graded.containsKey(answered)) {
                spelled = spelled != null ? spelled : firstKeys(graded, key);
                answered = spelled.get(name);
            }
            GradeResult r = answered == null ? null : graded.get(answered);
            Tensor e = key.expected(name);
            if (r == null) {
                r = new GradeResult(false, Diagnosis.MISSING, "Not answered: this question asks for " + what(name, key) + ".",
                        null, 0, settings.reveal() ? e : null);
            } else {
                used.add(answered);
            }
            double credit = r.score();
            if (q.perEntry() && !r.correct() && answers.get(answered) instanceof Answer.Value v && v.tensor().sameShape(e)) {
                credit = Math.max(credit, fractionRight(v.tensor(), e, settings.tolerance()));
            }
            GradeResult scored = r.scored(credit, q.points()).named(q.name().equals(name) ? null : name);
            results.put(q.name(), scored);
            points += scored.points();
            max += q.points();
            correct += r.correct() ? 1 : 0;
        }
        graded.forEach((k, r) -> {
            if (!used.contains(k)) {
                results.putIfAbsent(k, r.unasked());
            }
        });
        return new Grade(max == 0 ? 0 : Math.min(1.0, points / max), correct, questions.size(), points, max, results);
    }

    /** For each name, the first key that spells it ({@code ∂J/∂W} for {@code W}), in the answers' order. */
    private static Map<String, String> firstKeys(Map<String, GradeResult> graded, AnswerKey key) {
        Map<String, String> first = new HashMap<>();
        for (String k : graded.keySet()) {
            String name = key.canonical(k);
            if (name != null) {
                first.putIfAbsent(name, k);
            }
        }
        return first;
    }

    /** The fraction of the entries of {@code a} within tolerance of {@code e} (same shape). */
    static double fractionRight(Tensor a, Tensor e, Tolerance tolerance) {
        boolean[] ok = Grader.within(a, e, tolerance);
        int right = 0;
        for (boolean b : ok) {
            right += b ? 1 : 0;
        }
        return (double) right / ok.length;
    }

    /** "the forward value h", "∂J/∂W", or for a graph whose output is f "∂f/∂x". */
    private static String what(String name, AnswerKey key) {
        return name.startsWith(AnswerKey.FORWARD) ? "the forward value " + name.substring(AnswerKey.FORWARD.length())
                : "∂" + key.output() + "/∂" + name;
    }
}

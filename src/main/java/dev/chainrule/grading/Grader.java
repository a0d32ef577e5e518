package dev.chainrule.grading;

import dev.chainrule.engine.Tensor;
import dev.chainrule.errors.JsonText;
import dev.chainrule.render.Numbers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Grades answers against an {@link AnswerKey} and diagnoses the usual mistakes. For each answer the first of these
 * that fits is its diagnosis:
 * <ol>
 * <li>{@code unknown_name}: the key names no quantity of the problem;</li>
 * <li>{@code no_gradient}: the key names a value of the problem that has no gradient (an index input, a constant, a
 *     comparison's result);</li>
 * <li>{@code invalid}: the value is not a number or a rectangular array of finite numbers;</li>
 * <li>{@code wrong_shape}: its shape is neither the expected one nor a transposed form of it; the feedback names
 *     both shapes, and says when the answer is the upstream of a broadcast not summed back (over which axes) or
 *     the right entries nested in the wrong shape;</li>
 * <li>{@code transposed}: its shape is a transposed form — the transpose of a matrix, a 1×n row (Jacobian form)
 *     or an n×1 column for an n-vector, the 1×(m·n) Jacobian-form row for an m×n matrix, a tensor's axes in
 *     another order; the feedback says whether the values, read in the right shape, are right, and
 *     {@code wrong_entries} lists those that are not;</li>
 * <li>{@code correct}: every entry within tolerance;</li>
 * <li>{@code transposed}: a square matrix whose transpose is right;</li>
 * <li>{@code carried_forward} (only with carry_forward): right when recomputed from the submission's own wrong
 *     answers for the gradients just upstream of it;</li>
 * <li>{@code missing_branch}: the answer is the sum over some but not all of the outward branches of a value used
 *     more than once (the feedback names the branches left out), or an index takes an entry more than once (a
 *     word twice in a window) and the answer adds some of those uses only (the feedback names the entries and
 *     the positions of the index, never a value);</li>
 * <li>{@code sign}: the negated answer is right;</li>
 * <li>{@code scaled}: c·e is the answer for c = ⟨a,e⟩/⟨e,e⟩ ≠ 0, ±1, and e has two or more non-zero entries (for a
 *     single number every wrong answer would be "scaled");</li>
 * <li>{@code missing_activation_derivative}: the answer is what the chain gives with one layer's f'(z) left out;</li>
 * <li>{@code partial}: some entries right, some wrong ({@code wrong_entries} lists the first 100);</li>
 * <li>{@code wrong}.</li>
 * </ol>
 * A scalar answered as a one-entry list ({@code [0.3]}) is {@code wrong_shape}: the shape convention writes a
 * scalar's gradient as a number; the feedback says so. No feedback ever contains an expected value; only with
 * {@code reveal} is the expected value put beside the result.
 */
final class Grader {

    /** How answers are graded: the tolerance, whether to reveal expected values, and error carried forward. */
    record Settings(Tolerance tolerance, boolean reveal, boolean carryForward, double carryForwardCredit) {
        static final double DEFAULT_CREDIT = 0.5;
        static final Settings DEFAULT = new Settings(Tolerance.DEFAULT, false, false, DEFAULT_CREDIT);
    }

    /** How an answer's shape relates to the expected one; {@code value} is the answer read in the expected shape. */
    private enum Fit { SAME, ROW, COLUMN, TRANSPOSE, JACOBIAN_ROW, PERMUTED }

    /** @param axes with {@code PERMUTED}: for each axis of the answer, the expected value's axis it holds */
    private record Oriented(Fit fit, Tensor value, int[] axes) {
        Oriented(Fit fit, Tensor value) {
            this(fit, value, null);
        }
    }

    /** Indices listed in {@code wrong_entries} at most; the feedback says how many are wrong in all. */
    static final int MAX_WRONG_ENTRIES = 100;

    private final AnswerKey key;
    private final Settings settings;
    private final Tolerance tolerance;
    private NameList gradientNames;
    private NameList forwardNames;
    private Map<String, List<String>> byLowerCase;

    Grader(AnswerKey key, Settings settings) {
        this.key = key;
        this.settings = settings;
        this.tolerance = settings.tolerance();
    }

    /** Grades one set of answers, keyed by the contract's names, in their order; every answer is worth 1 point. */
    Grade grade(Map<String, Answer> answers) {
        return Grade.of(results(answers));
    }

    /**
     * Grades one set of answers against the questions of the problem: with {@code questions} null, as
     * {@link #grade(Map)}; else see {@link Marking}.
     */
    Grade grade(Map<String, Answer> answers, List<Question> questions) {
        return questions == null ? grade(answers) : Marking.mark(results(answers), answers, questions, key, settings);
    }

    /**
     * Every answer's result, keyed and ordered as the answers: a key spelled another way ({@code ∂J/∂W},
     * {@code gradients.W}: {@link AnswerKey#canonical}) is graded as the name it means, and its result says which.
     */
    Map<String, GradeResult> results(Map<String, Answer> answers) {
        // every answer read in the expected shape first: a carried-forward check reads the student's upstream answers
        Map<String, Tensor> mine = new HashMap<>();
        for (Map.Entry<String, Answer> a : answers.entrySet()) {
            String name = key.canonical(a.getKey());
            if (name != null && a.getValue() instanceof Answer.Value v && !name.startsWith(AnswerKey.FORWARD)) {
                Oriented o = orient(v.tensor(), key.expected(name));
                if (o != null) {
                    mine.putIfAbsent(name, o.value()); // the first answer for a name, as for a question
                }
            }
        }
        Map<String, GradeResult> results = new LinkedHashMap<>();
        for (Map.Entry<String, Answer> a : answers.entrySet()) {
            String name = key.canonical(a.getKey());
            String without = name == null ? key.withoutGradient(a.getKey()) : null;
            if (without != null) {
                String value = abbreviate(AnswerKey.differentiated(a.getKey()));
                results.put(a.getKey(), new GradeResult(false, Diagnosis.NO_GRADIENT, without + ": ∂" + abbreviate(key.output())
                        + "/∂" + value + " is not a question of this problem"
                        + (key.expected(AnswerKey.FORWARD + AnswerKey.differentiated(a.getKey())) == null ? "." : " (forward." + value
                                + " grades its value)."), null, 0, null));
            } else if (name == null) {
                results.put(a.getKey(), new GradeResult(false, Diagnosis.UNKNOWN_NAME, unknownName(a.getKey()), null, 0, null));
            } else {
                GradeResult r = grade(name, a.getValue(), mine);
                results.put(a.getKey(), name.equals(a.getKey()) ? r : r.named(name));
            }
        }
        return results;
    }

    private GradeResult grade(String name, Answer answer, Map<String, Tensor> mine) {
        Tensor e = key.expected(name);
        if (answer instanceof Answer.Malformed m) {
            return wrongResult(Diagnosis.INVALID, "This is not a number or a rectangular list of numbers: " + m.reason() + ".", null, e);
        }
        Tensor a = ((Answer.Value) answer).tensor();
        Oriented o = orient(a, e);
        if (o == null) {
            return wrongResult(Diagnosis.WRONG_SHAPE, wrongShape(name, a, e), null, e);
        }
        if (o.fit() == Fit.TRANSPOSE && !allWithin(o.value(), e, tolerance) && allWithin(a.reshape(e.shape()), e, tolerance)) {
            return wrongResult(Diagnosis.WRONG_SHAPE, nested(name, a, e), null, e); // the right entries, grouped wrongly
        }
        if (o.fit() != Fit.SAME) {
            return transposedShape(name, a, e, o);
        }
        return values(name, a, e, mine);
    }

    // ---- the value checks, in the documented order ----

    private GradeResult values(String name, Tensor a, Tensor e, Map<String, Tensor> mine) {
        boolean forward = name.startsWith(AnswerKey.FORWARD);
        boolean[] ok = within(a, e, tolerance);
        int right = count(ok);
        if (right == ok.length) {
            return new GradeResult(true, Diagnosis.CORRECT, null, null, 1, reveal(e));
        }
        if (e.rank() == 2 && e.dim(0) == e.dim(1) && e.dim(0) > 1 && allWithin(transpose(a), e, tolerance)) {
            return wrongResult(Diagnosis.TRANSPOSED, "Your answer is the transpose of the right one: entry [i, j] must be "
                    + (forward ? "entry [i, j] of " + label(name) : partial(name) + "ᵢⱼ") + ".", null, e);
        }
        if (settings.carryForward() && !forward) {
            CarryForward.Carried carried = key.chain().carried(name, mine, tolerance);
            if (carried != null && allWithin(a, carried.value(), tolerance)) {
                List<String> from = carried.from().stream().map(this::partial).toList();
                return new GradeResult(false, Diagnosis.CARRIED_FORWARD, "Not right, but it is exactly what follows from your own "
                        + (from.size() == 1 ? "answer for " : "answers for ") + NameList.joined(from)
                        + ": this step is done right, the mistake is further up the chain.", null,
                        settings.carryForwardCredit(), reveal(e));
            }
        }
        if (!forward) {
            AnswerKey.MissingBranch m = key.missingBranch(name, a, tolerance);
            if (m != null) {
                return wrongResult(Diagnosis.MISSING_BRANCH, abbreviate(name) + " is used " + (m.summed().size() + m.missing().size())
                        + " times, and gradients add where a value is used more than once: your answer is the sum over the "
                        + branches(m.summed()) + " only; the " + branches(m.missing()) + (m.missing().size() == 1 ? " is" : " are")
                        + " left out.", null, e);
            }
            AnswerKey.MissingUse u = key.missingUse(name, a, tolerance);
            if (u != null) {
                return wrongResult(Diagnosis.MISSING_BRANCH, missingUse(u), null, e);
            }
        }
        if (allWithin(a.map(v -> -v), e, tolerance)) {
            return wrongResult(Diagnosis.SIGN, "Every entry has the wrong sign.", null, e);
        }
        Double c = scale(a, e);
        if (c != null) {
            return wrongResult(Diagnosis.SCALED, "Every entry is off by the same factor: " + factorText(simpleFactor(c, a, e), c), null, e);
        }
        if (!forward) {
            for (AnswerKey.WithoutDerivative w : key.withoutDerivative()) {
                Tensor alt = w.gradients().get(name);
                if (alt != null && !allWithin(alt, e, tolerance) && allWithin(a, alt, tolerance)) {
                    return wrongResult(Diagnosis.MISSING_ACTIVATION_DERIVATIVE, "Your answer is what the chain gives with "
                            + w.factor() + " left out: " + w.hint(), null, e);
                }
            }
        }
        if (right > 0) {
            List<List<Integer>> wrong = wrongEntries(ok, e);
            return wrongResult(Diagnosis.PARTIAL, (ok.length - right) + " of " + ok.length + " entries are wrong ("
                    + listed(ok.length - right) + " in wrong_entries); the others are right.", wrong, e);
        }
        return wrongResult(Diagnosis.WRONG, forward
                ? "Not right: recompute the forward pass step by step."
                : "Not right, and not one of the usual slips (a transpose, a wrong sign, a constant factor"
                        + (key.suggestsLeftOutDerivative() ? ", a left-out f'(z)" : "") + "): redo the chain rule step by step.",
                null, e);
    }

    /** c with a ≈ c·e entry by entry (least squares c = ⟨a,e⟩/⟨e,e⟩), when it is a real rescaling, else null. */
    private Double scale(Tensor a, Tensor e) {
        double ee = 0;
        double ae = 0;
        int nonZero = 0;
        for (int i = 0; i < e.size(); i++) {
            ee += e.get(i) * e.get(i);
            ae += a.get(i) * e.get(i);
            nonZero += tolerance.within(0, e.get(i)) ? 0 : 1;
        }
        if (nonZero < 2 || ee == 0) {
            return null;
        }
        double c = ae / ee;
        if (!Double.isFinite(c) || c == 0 || Math.abs(c - 1) < 1e-9 || Math.abs(c + 1) < 1e-9) {
            return null;
        }
        for (int i = 0; i < e.size(); i++) {
            if (!tolerance.within(a.get(i), c * e.get(i))) {
                return null;
            }
        }
        return c;
    }

    // ---- shapes ----

    private Oriented orient(Tensor a, Tensor e) {
        if (a.sameShape(e)) {
            return new Oriented(Fit.SAME, a);
        }
        if (a.rank() == e.rank() && a.rank() > 2) {
            return permuted(a, e);
        }
        if (a.rank() != 2 || e.rank() == 0 || e.rank() > 2) {
            return null;
        }
        int r = a.dim(0);
        int c = a.dim(1);
        if (e.rank() == 1) {
            int n = e.dim(0);
            if (r == 1 && c == n) {
                return new Oriented(Fit.ROW, a.reshape(n));
            }
            if (c == 1 && r == n) {
                return new Oriented(Fit.COLUMN, a.reshape(n));
            }
            return null;
        }
        int m = e.dim(0);
        int n = e.dim(1);
        if (r == n && c == m) {
            return new Oriented(Fit.TRANSPOSE, transpose(a));
        }
        if (r == 1 && c == m * n) {
            return new Oriented(Fit.JACOBIAN_ROW, a.reshape(m, n));
        }
        return null;
    }

    /**
     * A tensor answer whose axes are the expected ones in another order, read back in the expected order: of the
     * orders that fit the shapes, the one with the most right entries (NumPy's {@code .T}, every axis reversed, first
     * on a tie); null when the shapes are not a reordering.
     */
    private Oriented permuted(Tensor a, Tensor e) {
        Oriented best = null;
        int bestRight = -1;
        for (int[] axes : orders(a.rank())) {
            boolean fits = true;
            for (int j = 0; j < axes.length && fits; j++) {
                fits = a.dim(j) == e.dim(axes[j]);
            }
            if (!fits) {
                continue;
            }
            Tensor read = readBack(a, e.shape(), axes);
            int right = count(within(read, e, tolerance));
            if (right > bestRight) {
                best = new Oriented(Fit.PERMUTED, read, axes);
                bestRight = right;
            }
        }
        return best;
    }

    /** Every reordering of {@code rank} axes but the identity, the full reversal first. */
    private static List<int[]> orders(int rank) {
        List<int[]> out = new ArrayList<>();
        int[] reversed = new int[rank];
        for (int j = 0; j < rank; j++) {
            reversed[j] = rank - 1 - j;
        }
        out.add(reversed);
        permute(new int[rank], new boolean[rank], 0, out, reversed);
        return out;
    }

    private static void permute(int[] axes, boolean[] used, int at, List<int[]> out, int[] reversed) {
        if (at == axes.length) {
            boolean identity = true;
            for (int j = 0; j < axes.length; j++) {
                identity &= axes[j] == j;
            }
            if (!identity && !java.util.Arrays.equals(axes, reversed)) {
                out.add(axes.clone());
            }
            return;
        }
        for (int v = 0; v < axes.length; v++) {
            if (!used[v]) {
                used[v] = true;
                axes[at] = v;
                permute(axes, used, at + 1, out, reversed);
                used[v] = false;
            }
        }
    }

    /** The answer read in the expected shape, its axis j being the expected axis {@code axes[j]}. */
    private static Tensor readBack(Tensor a, int[] shape, int[] axes) {
        int rank = shape.length;
        int[] strides = new int[rank]; // the answer's stride along each expected axis
        int stride = 1;
        for (int j = rank - 1; j >= 0; j--) {
            strides[axes[j]] = stride;
            stride *= a.dim(j);
        }
        double[] out = new double[a.size()];
        int[] index = new int[rank];
        for (int i = 0; i < out.length; i++) {
            int at = 0;
            for (int d = 0; d < rank; d++) {
                at += index[d] * strides[d];
            }
            out[i] = a.get(at);
            for (int d = rank - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return Tensor.of(shape, out);
    }

    private GradeResult transposedShape(String name, Tensor a, Tensor e, Oriented o) {
        String given = shape(a);
        String wanted = wanted(name, e);
        String text = switch (o.fit()) {
            case ROW, JACOBIAN_ROW -> "You gave " + given + " (Jacobian form); the shape convention wants " + wanted + ".";
            case COLUMN -> "You gave " + given + " (a list of one-entry rows); the shape convention wants " + wanted
                    + ", written as a plain list of numbers.";
            case PERMUTED -> "You gave " + given + ": the axes of what the shape convention wants (" + wanted + ") in the order "
                    + axesText(o.axes()) + ".";
            default -> "You gave " + given + ", the transpose of what the shape convention wants: " + wanted + ".";
        };
        boolean[] ok = within(o.value(), e, tolerance);
        int right = count(ok);
        List<List<Integer>> wrong = null;
        if (right == ok.length) {
            text += " Read in that shape, it would be right.";
        } else if (right > 0) {
            wrong = wrongEntries(ok, e);
            text += " Read in that shape, " + (ok.length - right) + " of " + ok.length + " entries are still wrong ("
                    + listed(ok.length - right) + " in wrong_entries).";
        } else {
            text += " Read in that shape, it is still wrong.";
        }
        return wrongResult(Diagnosis.TRANSPOSED, text, wrong, e);
    }

    private String wrongShape(String name, Tensor a, Tensor e) {
        if (e.rank() == 0 && a.size() == 1) {
            return label(name) + " is a number" + (name.startsWith(AnswerKey.FORWARD) ? "" : " (" + abbreviate(name) + " is a scalar)")
                    + ", but you gave " + shape(a) + ": write it as a plain number.";
        }
        if (a.size() == e.size() && allWithin(a.reshape(e.shape()), e, tolerance)) {
            return nested(name, a, e);
        }
        String text = "You gave " + shape(a) + "; the shape convention wants " + wanted(name, e) + ".";
        if (name.startsWith(AnswerKey.FORWARD)) {
            return text;
        }
        List<AnswerKey.Stretch> stretches = key.stretches(name);
        for (AnswerKey.Stretch s : stretches) {
            Tensor summed = java.util.Arrays.equals(a.shape(), s.shape()) ? a.sumBackTo(e.shape()) : null;
            if (summed != null) {
                return "You gave " + shape(a) + ", the shape " + abbreviate(name) + " is broadcast to in " + s.via() + ": its gradient is"
                        + " the upstream summed " + over(s.axes()) + ", back to " + wanted(name, e) + ". Summed that way, your answer "
                        + (allWithin(summed, e, tolerance) ? "would be right." : "is still wrong.");
            }
        }
        if (!stretches.isEmpty()) {
            AnswerKey.Stretch s = stretches.get(0);
            text += " (" + abbreviate(name) + " is broadcast to " + dims(s.shape()) + " in " + s.via() + ": its gradient is the upstream"
                    + " summed " + over(s.axes()) + ", back to " + abbreviate(name) + "'s own shape.)";
        }
        return text;
    }

    /** The right entries in row-major order, nested in a wrong shape. */
    private String nested(String name, Tensor a, Tensor e) {
        return "You gave " + shape(a) + "; the shape convention wants " + wanted(name, e) + ". Your entries, read in row-major"
                + " order, are right: only their nesting is wrong.";
    }

    /** "over axis 0", "over axes 0 and 1" (a scalar broadcast to a matrix: every axis). */
    private static String over(List<Integer> axes) {
        if (axes.size() == 1) {
            return "over axis " + axes.get(0);
        }
        return "over axes " + NameList.joined(axes.stream().map(String::valueOf).toList());
    }

    /** "(2, 0, 1)": an order of axes. */
    private static String axesText(int[] axes) {
        StringBuilder s = new StringBuilder("(");
        for (int j = 0; j < axes.length; j++) {
            s.append(j == 0 ? "" : ", ").append(axes[j]);
        }
        return s.append(')').toString();
    }

    /** "4×3": a shape as the lecture writes it. */
    private static String dims(int[] shape) {
        StringBuilder s = new StringBuilder();
        for (int j = 0; j < shape.length; j++) {
            s.append(j == 0 ? "" : "×").append(shape[j]);
        }
        return s.toString();
    }

    /**
     * "Row 2 of L is used at positions 0 and 2 of w (in x = L[w]), and the gradient adds every use's contribution:
     * your row 2 has the one from position 0 only; the one from position 2 is left out." Names positions, never values.
     */
    private static String missingUse(AnswerKey.MissingUse u) {
        List<String> left = u.used().stream().filter(p -> !u.summed().contains(p)).toList();
        String entries = u.entries().substring(0, 1).toUpperCase(Locale.ROOT) + u.entries().substring(1);
        String mine = u.entries().substring(0, u.entries().indexOf(" of "));
        return entries + " is used at positions " + NameList.joined(u.used()) + " of " + u.index() + " (in " + u.via()
                + "), and its gradient adds the contribution of every use: your " + mine + " has "
                + (u.summed().size() == 1 ? "the one from position " : "those from positions ") + NameList.joined(u.summed()) + " only; "
                + (left.size() == 1 ? "the one from position " : "those from positions ") + NameList.joined(left)
                + (left.size() == 1 ? " is" : " are") + " left out."
                + (u.more() == 0 ? "" : " " + u.more() + (u.more() == 1 ? " more entry group used more than once is" : " more entry groups used more than once are")
                        + " short in the same way.");
    }

    /** What the expected shape is, e.g. "b's shape: a column of 3", "the shape of h: a column of 3". */
    private String wanted(String key, Tensor e) {
        String what = key.startsWith(AnswerKey.FORWARD) ? "the shape of " + abbreviate(key.substring(AnswerKey.FORWARD.length()))
                : abbreviate(key) + "'s shape";
        String perExample = this.key.perExample(key) ? (e.rank() == 1 ? " (one entry per example)" : " (one row per example)") : "";
        return what + ": " + shape(e) + perExample;
    }

    /** "branch through b", "branches through a and b". */
    private static String branches(List<String> via) {
        return (via.size() == 1 ? "branch through " : "branches through ") + NameList.joined(via);
    }

    /** A shape as the lecture writes it: "a number", "a column of 3", "a 1×3 row", "a 3×5 matrix". */
    static String shape(Tensor t) {
        return switch (t.rank()) {
            case 0 -> "a number";
            case 1 -> "a column of " + t.dim(0);
            case 2 -> t.dim(0) == 1 ? article(t.dim(0)) + " 1×" + t.dim(1) + " row" : article(t.dim(0)) + " " + t.shapeText() + " matrix";
            default -> article(t.dim(0)) + " " + t.shapeText() + " array";
        };
    }

    private static String article(int leading) {
        String s = Integer.toString(leading);
        return s.startsWith("8") || s.equals("11") || s.equals("18") ? "an" : "a";
    }

    // ---- names ----

    private String label(String key) {
        return key.startsWith(AnswerKey.FORWARD) ? abbreviate(key.substring(AnswerKey.FORWARD.length())) : partial(key);
    }

    /** ∂J/∂name, or ∂f/∂name for a graph whose output is f. */
    private String partial(String name) {
        return "∂" + abbreviate(key.output()) + "/∂" + abbreviate(name);
    }

    /**
     * The feedback on a name the problem does not have: a near miss suggested, and the problem's names, every one
     * when they are few, else those nearest the name ({@link NameList}), so the feedback stays a few hundred bytes.
     */
    private String unknownName(String name) {
        if (gradientNames == null) {
            List<String> gradients = new ArrayList<>();
            List<String> forward = new ArrayList<>();
            for (String k : key.keys()) {
                (k.startsWith(AnswerKey.FORWARD) ? forward : gradients).add(k);
            }
            gradientNames = new NameList(gradients);
            forwardNames = new NameList(forward);
        }
        String suggestion = suggest(name);
        return "This problem has no quantity named \"" + abbreviate(name) + "\""
                + (suggestion == null ? "" : " (did you mean \"" + abbreviate(suggestion) + "\"?)")
                + ". Its names " + (gradientNames.whole() ? "are " : "include ") + gradientNames.near(name)
                + " (the answer under a name is ∂" + abbreviate(key.output()) + "/∂name), and "
                + forwardNames.near(AnswerKey.FORWARD + name) + " for the forward values.";
    }

    /**
     * The name meant by a near miss: another case, a derivative of something other than the output ({@code ∂s/∂W}
     * where J is not s, {@code ∂L/∂w}), or a leading "d" or "∂" ({@code dW}); looked up, not searched: the
     * six-thousandth unknown answer costs what the first does.
     */
    private String suggest(String name) {
        if (byLowerCase == null) {
            byLowerCase = new HashMap<>();
            for (String k : key.keys()) {
                byLowerCase.computeIfAbsent(k.toLowerCase(Locale.ROOT), l -> new ArrayList<>(1)).add(k);
            }
        }
        List<String> tries = new ArrayList<>(List.of(name));
        String[] d = AnswerKey.derivative(name);
        if (d != null) {
            tries.add(d[1]);
        }
        for (String prefix : List.of("d", "∂")) {
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                tries.add(name.substring(prefix.length()));
            }
        }
        for (String t : tries) {
            for (String k : byLowerCase.getOrDefault(t.toLowerCase(Locale.ROOT), List.of())) {
                if (!k.equals(name)) {
                    return k;
                }
            }
        }
        return null;
    }

    private static String abbreviate(String s) {
        return JsonText.abbreviate(s);
    }

    // ---- helpers ----

    private GradeResult wrongResult(Diagnosis d, String feedback, List<List<Integer>> wrong, Tensor e) {
        return new GradeResult(false, d, feedback, wrong, 0, reveal(e));
    }

    private Tensor reveal(Tensor e) {
        return settings.reveal() ? e : null;
    }

    static boolean[] within(Tensor a, Tensor e, Tolerance tolerance) {
        boolean[] ok = new boolean[e.size()];
        for (int i = 0; i < ok.length; i++) {
            ok[i] = tolerance.within(a.get(i), e.get(i));
        }
        return ok;
    }

    static boolean allWithin(Tensor a, Tensor e, Tolerance tolerance) {
        for (int i = 0; i < e.size(); i++) {
            if (!tolerance.within(a.get(i), e.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static int count(boolean[] ok) {
        int n = 0;
        for (boolean b : ok) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /** "listed", or "the first 100 listed" when more are wrong than {@code wrong_entries} lists. */
    private static String listed(int wrong) {
        return wrong <= MAX_WRONG_ENTRIES ? "listed" : "the first " + MAX_WRONG_ENTRIES + " listed";
    }

    /**
     * The index of each wrong entry in the expected shape, [i] for a vector, [i, j] for a matrix: the first
     * {@value #MAX_WRONG_ENTRIES} in row-major order.
     */
    private static List<List<Integer>> wrongEntries(boolean[] ok, Tensor e) {
        int[] shape = e.shape();
        List<List<Integer>> out = new ArrayList<>();
        for (int flat = 0; flat < ok.length && out.size() < MAX_WRONG_ENTRIES; flat++) {
            if (ok[flat]) {
                continue;
            }
            Integer[] index = new Integer[shape.length];
            int rest = flat;
            for (int axis = shape.length - 1; axis >= 0; axis--) {
                index[axis] = rest % shape[axis];
                rest /= shape[axis];
            }
            out.add(List.of(index));
        }
        return out;
    }

    /** Mᵀ of a matrix. */
    static Tensor transpose(Tensor a) {
        int m = a.dim(0);
        int n = a.dim(1);
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                out[j * m + i] = a.get(i * n + j);
            }
        }
        return Tensor.of(new int[] {n, m}, out);
    }

    /**
     * The fraction p/q (p ≤ 100, q ≤ 10) that the answer is of the right value, within tolerance, as {p, q} with
     * the sign on p; null when no such simple factor fits (then the factor is named to two digits only).
     */
    private int[] simpleFactor(double c, Tensor a, Tensor e) {
        for (int q = 1; q <= 10; q++) {
            long p = Math.round(Math.abs(c) * q);
            if (p < 1 || p > 100 || p == q || gcd(p, q) != 1) {
                continue;
            }
            double f = Math.signum(c) * p / q;
            if (allWithin(a, e.map(v -> f * v), tolerance)) {
                return new int[] {(int) (Math.signum(c) * p), q};
            }
        }
        return null;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /**
     * "your answer is 2 times the right value (off by a factor of 2)." — a simple fraction exactly, anything else to
     * two significant digits ("about 0.58"): the factor is a ratio, never an expected value.
     */
    static String factorText(int[] simple, double c) {
        String sign = c < 0 ? ", and the sign is wrong too" : "";
        if (simple != null) {
            int p = simple[0];
            int q = simple[1];
            String off = Math.abs(p) > q ? Integer.toString(Math.abs(p)) + (q == 1 ? "" : "/" + q)
                    : Integer.toString(q) + (Math.abs(p) == 1 ? "" : "/" + Math.abs(p));
            String times = q == 1 ? p + " times" : p + "/" + q + " of";
            return "your answer is " + times + " the right value (off by a factor of " + off + sign + ").";
        }
        double off = Math.abs(c) >= 1 ? Math.abs(c) : 1 / Math.abs(c);
        return "your answer is about " + number(c) + " times the right value (off by a factor of about " + number(off) + sign + ").";
    }

    /** A factor to two significant digits, no trailing zeros ("0.58", "1.7", "-3", "2.5e-300"). */
    static String number(double v) {
        return Numbers.text(v, 2);
    }
}

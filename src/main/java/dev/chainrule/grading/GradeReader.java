package dev.chainrule.grading;

import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.graph.GraphReader;
import dev.chainrule.variants.Template;
import dev.chainrule.variants.Variants;
import dev.chainrule.engine.Tensor;
import dev.chainrule.errors.FieldError;
import dev.chainrule.errors.FieldErrors;
import dev.chainrule.errors.InvalidRequestException;
import dev.chainrule.errors.LimitExceededException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.chainrule.errors.JsonText;
import dev.chainrule.errors.Names;
import tools.jackson.databind.JsonNode;

/**
 * Reads grading requests. A mistake in the request itself (no problem, a bad problem, answers that are not an
 * object, an unknown tolerance mode, a bad or repeated submission id) is a 400 naming every offending field;
 * a mistake inside one answer is not: that answer is graded {@code invalid}.
 */
final class GradeReader {

    private static final Set<String> SETTINGS = Set.of("questions", "tolerance", "reveal", "carry_forward", "carry_forward_credit");
    private static final Set<String> QUESTION_FIELDS = Set.of("name", "points", "partial");
    private static final Set<String> TOLERANCE_FIELDS = Set.of("mode", "rtol", "atol", "digits");

    private final ProblemReader problems;
    private final GraphReader graphs;
    private final Variants variants;
    private final int maxSubmissions;

    GradeReader(ProblemReader problems, GraphReader graphs, Variants variants, int maxSubmissions) {
        this.problems = problems;
        this.graphs = graphs;
        this.variants = variants;
        this.maxSubmissions = maxSubmissions;
    }

    /** @param questions null when the request gave none (every answer given is then worth 1 point) */
    record Single(ProblemSpec problem, Grader.Settings settings, List<Question> questions, Map<String, Answer> answers) {
    }

    /** @param seed the variant this submission is graded against (its own seed or the problem's), or null */
    record Submission(String id, Long seed, Map<String, Answer> answers) {
    }

    record Batch(ProblemSpec problem, Grader.Settings settings, List<Question> questions, List<Submission> submissions) {
    }

    Single single(JsonNode body) {
        List<FieldError> errors = new FieldErrors();
        object(body, "problem, answers, questions, tolerance, reveal, carry_forward and carry_forward_credit");
        fields(body, "answers", "a grading request has problem, answers, questions, tolerance, reveal, carry_forward and carry_forward_credit", errors);
        Map<String, Answer> answers = answers(body.get("answers"), "answers", errors);
        Grader.Settings settings = settings(body, errors);
        List<Question> questions = questions(body.get("questions"), errors);
        ProblemSpec problem = problem(body.get("problem"), errors);
        if (problem instanceof ProblemSpec.FromTemplate t && t.seed() == null) {
            errors.add(new FieldError("problem.seed", "missing: a template's variant is drawn from a seed (a whole number from 0 to "
                    + Variants.MAX_SEED + ")"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new Single(problem, settings, questions, answers);
    }

    Batch batch(JsonNode body) {
        List<FieldError> errors = new FieldErrors();
        object(body, "problem, submissions, questions, tolerance, reveal, carry_forward and carry_forward_credit");
        fields(body, "submissions", "a batch grading request has problem, submissions, questions, tolerance, reveal, carry_forward and carry_forward_credit", errors);
        ProblemSpec problem = problem(body.get("problem"), errors);
        List<Submission> submissions = submissions(body.get("submissions"), problem, errors);
        Grader.Settings settings = settings(body, errors);
        List<Question> questions = questions(body.get("questions"), errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new Batch(problem, settings, questions, submissions);
    }

    private static void object(JsonNode body, String fields) {
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException(List.of(new FieldError("", "expected a JSON object with " + fields
                    + ", but got " + (body == null ? "nothing" : JsonText.kind(body)))));
        }
    }

    private static void fields(JsonNode body, String answersField, String hint, List<FieldError> errors) {
        List<String> known = new ArrayList<>(List.of("problem", answersField));
        known.addAll(SETTINGS);
        for (String name : body.propertyNames()) {
            if (!known.contains(name)) {
                errors.add(new FieldError(name, "unknown field " + JsonText.quote(name) + Names.didYouMean(name, known) + ": " + hint));
            }
        }
    }

    /** A problem as it is, or {"example": id, "seed": n}, or {"template": {...}, "seed": n, "allow_kinks": b}. */
    private ProblemSpec problem(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new FieldError("problem", "missing: expected the problem, exactly a POST /v1/gradients or POST /v1/graph request body, or "
                    + "{\"example\": \"cs224n-lecture3\", \"seed\": 17} for a variant"));
            return null;
        }
        if (node.isObject() && (node.has("example") || node.has("template"))) {
            return reference(node, errors);
        }
        try {
            return GraphReader.isGraph(node) ? new ProblemSpec.Graph(graphs.read(node, "problem."))
                    : new ProblemSpec.Given(problems.read(node, "problem.").problem());
        } catch (InvalidRequestException e) {
            errors.addAll(e.errors());
            return null;
        }
    }

    /** A drawn variant's body read as what it is: a network's problem or a computational graph. */
    private ProblemSpec.Posed pose(JsonNode body, String prefix) {
        return GraphReader.isGraph(body) ? new ProblemSpec.Posed(null, graphs.read(body, prefix))
                : new ProblemSpec.Posed(problems.read(body, prefix).problem(), null);
    }

    private ProblemSpec reference(JsonNode node, List<FieldError> errors) {
        boolean example = node.has("example");
        Set<String> allowed = example ? Set.of("example", "seed") : Set.of("template", "seed", "allow_kinks");
        int before = errors.size();
        for (String name : node.propertyNames()) {
            if (!allowed.contains(name)) {
                errors.add(new FieldError("problem." + name, "unknown field " + JsonText.quote(name) + Names.didYouMean(name, allowed) + ": " + (example
                        ? "an example's variant is {\"example\": id, \"seed\": n}" : "a template's variant is {\"template\": {...}, \"seed\": n, \"allow_kinks\": false}")));
            }
        }
        Long seed = node.has("seed") ? Variants.seed(node.get("seed"), "problem.seed", errors) : null;
        if (example) {
            JsonNode id = node.get("example");
            if (!id.isString() || !variants.hasExample(id.asString())) {
                errors.add(new FieldError("problem.example", id.isString() ? variants.unknownExample(id.asString())
                        : "expected an example's id (a string), but got " + JsonText.kind(id)));
            }
            return errors.size() > before ? null : new ProblemSpec.Example(id.asString(), seed, variants.exampleTemplate(id.asString()),
                    variants, b -> pose(b, ProblemSpec.Example.PREFIX));
        }
        boolean allowKinks = flag(node, "allow_kinks", false, errors, "problem.");
        try {
            Template template = variants.template(node.get("template"), ProblemSpec.FromTemplate.PREFIX);
            return errors.size() > before ? null : new ProblemSpec.FromTemplate(template, seed, allowKinks, variants,
                    b -> pose(b, ProblemSpec.FromTemplate.PREFIX));
        } catch (InvalidRequestException e) {
            errors.addAll(e.errors());
            return null;
        }
    }

    // ---- answers ----

    private static Map<String, Answer> answers(JsonNode node, String path, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new FieldError(path, "missing: expected an object of answers keyed by name, e.g. {\"W\": [[...]], \"b\": [...]}"));
            return null;
        }
        if (!node.isObject()) {
            errors.add(new FieldError(path, "expected an object of answers keyed by name, e.g. {\"W\": [[...]], \"b\": [...]}, but got " + JsonText.kind(node)));
            return null;
        }
        Map<String, Answer> answers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            answers.put(e.getKey(), answer(e.getValue()));
        }
        return answers;
    }

    /** A number or a rectangular array of finite numbers, as a tensor; anything else with what is wrong. */
    static Answer answer(JsonNode node) {
        List<Integer> dims = new ArrayList<>();
        JsonNode first = node;
        while (first.isArray()) {
            if (first.isEmpty()) {
                return new Answer.Malformed(dims.isEmpty() ? "it is an empty list" : "it has an empty list in it");
            }
            dims.add(first.size());
            first = first.get(0);
        }
        if (!first.isNumber()) {
            return new Answer.Malformed(dims.isEmpty() ? "it is " + JsonText.kind(node) : "an entry is " + JsonText.kind(first) + " where a number belongs");
        }
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        // checked whole before anything is allocated: the first entries alone could claim a huge shape
        String wrong = fill(node, shape, 0, new StringBuilder(), null, new int[1]);
        if (wrong != null) {
            return new Answer.Malformed(wrong);
        }
        int size = 1;
        for (int d : shape) {
            size *= d; // rectangular, so no more than the numbers actually sent
        }
        double[] data = new double[size];
        fill(node, shape, 0, new StringBuilder(), data, new int[1]);
        return new Answer.Value(Tensor.of(shape, data));
    }

    private static String fill(JsonNode node, int[] shape, int axis, StringBuilder path, double[] data, int[] at) {
        String where = path.isEmpty() ? "it" : "entry " + path;
        if (axis == shape.length) {
            if (!node.isNumber()) {
                return where + " is " + JsonText.kind(node) + " where a number belongs";
            }
            double v = node.doubleValue();
            if (!Double.isFinite(v)) {
                return where + " is too large for a double";
            }
            if (data != null) {
                data[at[0]++] = v;
            }
            return null;
        }
        if (!node.isArray()) {
            return where + " is " + JsonText.kind(node) + " where a list of " + shape[axis] + " belongs (the list is ragged)";
        }
        if (node.size() != shape[axis]) {
            return where + " has " + node.size() + " entries where " + shape[axis] + " belong (the list is ragged)";
        }
        for (int i = 0; i < node.size(); i++) {
            int mark = path.length();
            path.append('[').append(i).append(']');
            String wrong = fill(node.get(i), shape, axis + 1, path, data, at);
            path.setLength(mark);
            if (wrong != null) {
                return wrong;
            }
        }
        return null;
    }

    // ---- submissions ----

    private List<Submission> submissions(JsonNode node, ProblemSpec problem, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new FieldError("submissions", "missing: expected a list of {\"id\": ..., \"answers\": {...}}"));
            return null;
        }
        if (!node.isArray()) {
            errors.add(new FieldError("submissions", "expected a list of {\"id\": ..., \"answers\": {...}}, but got " + JsonText.kind(node)));
            return null;
        }
        if (node.isEmpty()) {
            errors.add(new FieldError("submissions", "is empty: expected at least one submission"));
            return null;
        }
        if (node.size() > maxSubmissions) {
            throw new LimitExceededException("chainrule.grading.max-submissions", maxSubmissions, node.size(), "submissions",
                    "submissions in the batch:");
        }
        List<Submission> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "submissions[" + i + "]";
            JsonNode s = node.get(i);
            if (!s.isObject()) {
                errors.add(new FieldError(path, "expected {\"id\": ..., \"answers\": {...}}, but got " + JsonText.kind(s)));
                continue;
            }
            for (String name : s.propertyNames()) {
                if (!name.equals("id") && !name.equals("answers") && !name.equals("seed")) {
                    errors.add(new FieldError(path + "." + name, "unknown field " + JsonText.quote(name)
                            + Names.didYouMean(name, List.of("id", "answers", "seed")) + ": a submission has id, answers and seed"));
                }
            }
            Long seed = problem == null ? null : problem.seed();
            if (s.has("seed")) {
                if (problem != null && !problem.seeded()) {
                    errors.add(new FieldError(path + ".seed", "a seed picks a variant: give the problem as {\"example\": id} or {\"template\": {...}}"));
                } else {
                    seed = Variants.seed(s.get("seed"), path + ".seed", errors);
                }
            } else if (problem instanceof ProblemSpec.FromTemplate && seed == null) {
                errors.add(new FieldError(path + ".seed", "missing: the problem is a template and gives no seed, so each submission needs its own"));
            }
            JsonNode idNode = s.get("id");
            String id = null;
            if (idNode == null || idNode.isNull()) {
                errors.add(new FieldError(path + ".id", "missing: expected the submission's id, a non-empty string (a student id, say)"));
            } else if (!idNode.isString() || idNode.asString().isEmpty()) {
                errors.add(new FieldError(path + ".id", "expected a non-empty string, but got "
                        + (idNode.isString() ? "an empty string" : JsonText.kind(idNode))));
            } else {
                id = idNode.asString();
                Integer before = seen.putIfAbsent(id, i);
                if (before != null) {
                    errors.add(new FieldError(path + ".id", "\"" + JsonText.abbreviate(id) + "\" is already the id of submissions[" + before
                            + "]: ids must be unique"));
                }
            }
            Map<String, Answer> answers = answers(s.get("answers"), path + ".answers", errors);
            if (id != null && answers != null) {
                out.add(new Submission(id, seed, answers));
            }
        }
        return out;
    }

    // ---- questions ----

    /**
     * The questions: a list of names ({@code "W"}) or objects ({@code {"name": "W", "points": 2, "partial": "per_entry"}}),
     * each name once; null when the field is absent. Whether each name is a quantity of the problem is checked once
     * the problem is computed ({@link Marking#check}).
     */
    static List<Question> questions(JsonNode node, List<FieldError> errors) {
        if (node == null) {
            return null;
        }
        String expected = "a list of questions such as [\"W\", {\"name\": \"b\", \"points\": 2, \"partial\": \"per_entry\"}]";
        if (!node.isArray()) {
            errors.add(new FieldError("questions", "expected " + expected + ", but got " + JsonText.kind(node)));
            return null;
        }
        if (node.isEmpty()) {
            errors.add(new FieldError("questions", "is empty: expected " + expected + " (leave questions out to score every answer given)"));
            return null;
        }
        List<Question> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "questions[" + i + "]";
            Question q = question(node.get(i), path, errors);
            if (q == null) {
                continue;
            }
            Integer before = seen.putIfAbsent(q.name(), i);
            if (before != null) {
                errors.add(new FieldError(path + (node.get(i).isObject() ? ".name" : ""), "\"" + JsonText.abbreviate(q.name())
                        + "\" is already asked by questions[" + before + "]: each answer is asked for once"));
                continue;
            }
            out.add(q);
        }
        return out;
    }

    private static Question question(JsonNode q, String path, List<FieldError> errors) {
        if (q.isString()) {
            if (q.asString().isEmpty()) {
                errors.add(new FieldError(path, "expected a name such as \"W\" or \"forward.h\", but got an empty string"));
                return null;
            }
            return new Question(q.asString(), Question.DEFAULT_POINTS, false);
        }
        if (!q.isObject()) {
            errors.add(new FieldError(path, "expected a name such as \"W\" or an object {\"name\": \"W\", \"points\": 2, \"partial\": \"per_entry\"}, but got "
                    + JsonText.kind(q)));
            return null;
        }
        int before = errors.size();
        for (String name : q.propertyNames()) {
            if (!QUESTION_FIELDS.contains(name)) {
                errors.add(new FieldError(path + "." + name, "unknown field " + JsonText.quote(name) + Names.didYouMean(name, QUESTION_FIELDS)
                        + ": a question has name, points and partial"));
            }
        }
        JsonNode name = q.get("name");
        if (name == null || !name.isString() || name.asString().isEmpty()) {
            errors.add(new FieldError(path + ".name", (name == null ? "missing" : "expected a non-empty string, but got " + JsonText.describe(name))
                    + ": the answer the question asks for, such as \"W\" or \"forward.h\""));
        }
        double points = Question.DEFAULT_POINTS;
        JsonNode p = q.get("points");
        if (p != null) {
            if (!p.isNumber() || !(p.doubleValue() > 0) || p.doubleValue() > 1e6) {
                errors.add(new FieldError(path + ".points", "expected a number above 0 and at most 1000000, but got " + JsonText.describe(p)));
            } else {
                points = p.doubleValue();
            }
        }
        boolean perEntry = false;
        JsonNode partial = q.get("partial");
        if (partial != null) {
            if (partial.isString() && partial.asString().equals("per_entry")) {
                perEntry = true;
            } else if (!(partial.isString() && partial.asString().equals("none"))) {
                errors.add(new FieldError(path + ".partial", "expected \"per_entry\" (the fraction of right entries) or \"none\", but got "
                        + JsonText.describe(partial)));
            }
        }
        return errors.size() > before ? null : new Question(name.asString(), points, perEntry);
    }

    // ---- settings ----

    private static Grader.Settings settings(JsonNode body, List<FieldError> errors) {
        Tolerance tolerance = tolerance(body.get("tolerance"), errors);
        boolean reveal = flag(body, "reveal", false, errors);
        boolean carry = flag(body, "carry_forward", false, errors);
        double credit = Grader.Settings.DEFAULT_CREDIT;
        JsonNode c = body.get("carry_forward_credit");
        if (c != null) {
            if (!c.isNumber() || !(c.doubleValue() >= 0 && c.doubleValue() <= 1)) {
                errors.add(new FieldError("carry_forward_credit", "expected a number from 0 to 1 (the score of a carried-forward answer), but got "
                        + JsonText.describe(c)));
            } else {
                credit = c.doubleValue();
            }
        }
        return new Grader.Settings(tolerance, reveal, carry, credit);
    }

    private static boolean flag(JsonNode body, String name, boolean fallback, List<FieldError> errors) {
        return flag(body, name, fallback, errors, "");
    }

    private static boolean flag(JsonNode body, String name, boolean fallback, List<FieldError> errors, String prefix) {
        JsonNode v = body.get(name);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            errors.add(new FieldError(prefix + name, "expected true or false, but got " + JsonText.describe(v)));
            return fallback;
        }
        return v.booleanValue();
    }

    static Tolerance tolerance(JsonNode node, List<FieldError> errors) {
        if (node == null) {
            return Tolerance.DEFAULT;
        }
        if (!node.isObject()) {
            errors.add(new FieldError("tolerance", "expected an object such as {\"rtol\": 0.01, \"atol\": 1e-8} or "
                    + "{\"mode\": \"sigfig\", \"digits\": 3}, but got " + JsonText.kind(node)));
            return Tolerance.DEFAULT;
        }
        for (String name : node.propertyNames()) {
            if (!TOLERANCE_FIELDS.contains(name)) {
                errors.add(new FieldError("tolerance." + name, "unknown field " + JsonText.quote(name)
                        + Names.didYouMean(name, TOLERANCE_FIELDS) + ": a tolerance has mode, rtol, atol and digits"));
            }
        }
        Tolerance.Mode mode = Tolerance.Mode.ABSOLUTE_RELATIVE;
        JsonNode m = node.get("mode");
        if (m != null) {
            mode = m.isString() ? Tolerance.Mode.fromWireName(m.asString()) : null;
            if (mode == null) {
                errors.add(new FieldError("tolerance.mode", Names.unknown("tolerance mode", m,
                        List.of("absolute_relative", "sigfig", "decimals"))));
                return Tolerance.DEFAULT;
            }
        }
        boolean relative = mode == Tolerance.Mode.ABSOLUTE_RELATIVE;
        double rtol = Tolerance.DEFAULT_RTOL;
        double atol = Tolerance.DEFAULT_ATOL;
        int digits = Tolerance.DEFAULT_DIGITS;
        for (String name : List.of("rtol", "atol")) {
            JsonNode v = node.get(name);
            if (v == null) {
                continue;
            }
            if (!relative) {
                errors.add(new FieldError("tolerance." + name, name + " applies only to mode absolute_relative; " + mode.wireName + " uses digits"));
            } else if (!v.isNumber() || !(v.doubleValue() >= 0) || !Double.isFinite(v.doubleValue())) {
                errors.add(new FieldError("tolerance." + name, "expected a number of 0 or more, but got " + JsonText.describe(v)));
            } else if (name.equals("rtol")) {
                rtol = v.doubleValue();
            } else {
                atol = v.doubleValue();
            }
        }
        JsonNode d = node.get("digits");
        if (d != null) {
            int least = mode == Tolerance.Mode.SIGFIG ? 1 : 0;
            if (relative) {
                errors.add(new FieldError("tolerance.digits", "digits applies only to modes sigfig and decimals; absolute_relative uses rtol and atol"));
            } else if (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() < least || d.intValue() > 17) {
                errors.add(new FieldError("tolerance.digits", "expected a whole number from " + least + " to 17, but got " + JsonText.describe(d)));
            } else {
                digits = d.intValue();
            }
        }
        return new Tolerance(mode, rtol, atol, digits);
    }
}

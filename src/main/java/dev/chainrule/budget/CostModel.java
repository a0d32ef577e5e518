package dev.chainrule.budget;

import dev.chainrule.network.Layer;
import dev.chainrule.network.LayerNames;
import dev.chainrule.network.Problem;
import java.util.Map;

/**
 * The one cost model of the service: every endpoint asks it what a request will cost before computing anything,
 * and refuses (422) what is over {@code chainrule.limits.max-work} or {@code max-response-bytes}. Costs are built
 * from a few kinds of op, each with a coefficient in work units (about one nanosecond of CPU each on the reference
 * machine), calibrated by measurement: {@code src/test/java/dev/chainrule/bench/CostCalibration.java} prints
 * predicted against measured CPU time for a spread of requests, and BENCHMARKS.md keeps the table. A graph of ops
 * costs the sum of its nodes: {@link #matrixProduct}, {@link #elementwise} and {@link #NODE} per node.
 * Plain Java: no Spring.
 */
public final class CostModel {

    // ---- the coefficients, in work units (≈ ns here); calibrated, see BENCHMARKS.md "Cost model" ----

    /** One multiply-add of a matrix product (the kernels run at 0.3 to 0.8 ns per multiply-add here). */
    public static final double MULTIPLY_ADD = 0.5;
    /** A node or layer's fixed cost per pass: its arrays, maps and names. */
    public static final double NODE = 4_000;
    /** One example's row through one layer, both ways: its arrays and bookkeeping. */
    public static final double ROW = 300;
    /** One number of a row copied into the answer's tensors (each layer's input, z, h and their gradients). */
    public static final double COPY = 3;
    /** A request's fixed cost: its maps, records and the JSON writer. */
    public static final double REQUEST = 300_000;
    /** One entry of an explicit local Jacobian or term written into a step. */
    public static final double STEP_ENTRY = 35;
    /**
     * A number of the answer, written as JSON: about 24 ns of CPU here (large.json's 300,556 numbers in 7.2 ms on a
     * quiet machine; BENCHMARKS.md, "In process"), with room for the answer's structure and a loaded machine.
     */
    public static final double ANSWER_NUMBER = 50;
    /** A number rounded to {@code ?digits} (exact decimal rounding). */
    public static final double ROUNDED_NUMBER = 500;
    /** A number written as text or LaTeX (rounded to digits and formatted). */
    public static final double TEXT_NUMBER = 900;
    /** One answer entry compared against the expected value, with every diagnosis tried. */
    public static final double GRADED_ENTRY = 250;
    /** A number drawn for a variant: the generator's output, its value in exact decimal and its node in the tree. */
    public static final double DRAWN_NUMBER = 150;
    /** A number of a variant as the variant is built and read back as a problem (a node copied, then read). */
    public static final double VARIANT_NUMBER = 40;
    /** Bytes of a full-precision number in JSON, with its separator. */
    public static final int JSON_NUMBER_BYTES = 22;
    /** Bytes of a number in text or LaTeX, with its markup. */
    public static final int TEXT_NUMBER_BYTES = 16;

    private CostModel() {
    }

    /**
     * The price of one entry through the op named {@code op}, forward and derivative (an erf or exp costs tens of
     * multiply-adds): one price per op, whichever layer uses it.
     */
    public static double elementPrice(String op) {
        return switch (op) {
            case "identity", "dot", "mul", "embedding" -> 2;
            case "relu", "leaky_relu", "hardtanh" -> 3;
            case "sigmoid", "tanh" -> 25;
            case "softplus", "silu" -> 40;
            case "softmax" -> 35;
            case "layer_norm" -> 60; // a mean, a variance, a square root and the scaling, both ways
            case "gelu" -> 350; // Commons Math's erf, twice (forward and slope), and an exp
            default -> 40;
        };
    }

    /** The element-wise work of one example through {@code layer}, priced per op. */
    private static double elementwise(Layer layer) {
        double units = 0;
        for (Map.Entry<String, Long> e : layer.elementwise().entrySet()) {
            units += elementPrice(e.getKey()) * e.getValue();
        }
        return units;
    }

    /** An (m×k)·(k×n) product. */
    public static double matrixProduct(long m, long k, long n) {
        return MULTIPLY_ADD * m * k * n;
    }

    /** {@code count} entries through the op named {@code op}. */
    public static double elementwise(String op, long count) {
        return elementPrice(op) * count;
    }

    /** One forward and backward pass of {@code problem} over all its examples (and max-margin's corrupt ones). */
    public static double pass(Problem problem) {
        return pass(problem, problem.examples());
    }

    /** One forward and backward pass over {@code examples} examples. */
    public static double pass(Problem problem, long examples) {
        long passes = problem.loss().passes();
        double perPass = NODE; // the loss and the pass's own maps
        double perExample = ROW;
        for (Layer layer : problem.layers()) {
            long in = layer.inputSize();
            long out = layer.outputSize();
            long products = layer.multiplyAdds();
            perPass += NODE + MULTIPLY_ADD * products; // W transposed for the forward product
            // forward Wx, backward δ·W and δᵀx: three products; the element-wise ops and the rows
            perExample += 3 * MULTIPLY_ADD * products + ROW + COPY * (in + 4 * out) + elementwise(layer);
        }
        return passes * (perPass + perExample * examples);
    }

    /** Numbers in a {@code /v1/gradients} answer: forward values and gradients, their Jacobian form, the steps. */
    public static long answerNumbers(Problem problem, boolean steps, boolean jacobianForm) {
        long passes = problem.loss().passes();
        long examples = problem.examples();
        // per example: x, then each layer's z and h (a layer's input is the layer before's h: counted once)
        long perExample = problem.layers().isEmpty() ? 0 : problem.layers().get(0).inputSize();
        long parameters = 0;
        long stepNumbers = 0;
        for (Layer layer : problem.layers()) {
            perExample += 2L * layer.outputSize(); // its values (a score's s counted as a z and an h)
            parameters += layer.parameterCount();
            // ∂h/∂z (out²) and rows per example and pass; W in the input step; the weight step's rows and result
            stepNumbers += layer.stepNumbers(examples, passes);
        }
        // the forward values and their gradients, and the parameters' gradients (large.json: 300,554 of 300,556)
        long values = 2 * perExample * examples * passes + parameters;
        return values * (jacobianForm ? 2 : 1) + (steps ? stepNumbers : 0);
    }

    /** What {@code /v1/gradients} asks for. */
    public record GradientsAsk(boolean steps, boolean jacobianForm, boolean latex, boolean gradientCheck, boolean sgd,
            boolean rounded, boolean text) {
    }

    /** {@code POST /v1/gradients}. */
    public static Cost gradients(Problem problem, GradientsAsk ask) {
        double work = REQUEST + pass(problem);
        long numbers = answerNumbers(problem, ask.steps(), ask.jacobianForm());
        if (ask.steps()) {
            // the explicit Jacobians written into the steps, built entry by entry
            work += STEP_ENTRY * answerNumbers(problem, true, false) + NODE * 4 * problem.layers().size();
        }
        if (ask.gradientCheck()) {
            // each evaluation is a whole pass (its backward unused) on a copy of the problem
            work += evaluations(problem) * (pass(problem) + NODE * problem.layers().size());
        }
        if (ask.sgd()) {
            long parameters = parameters(problem);
            work += 4.0 * parameters;
            numbers += parameters;
        }
        long textNumbers = ask.text() ? numbers : 0;
        long latexNumbers = ask.latex() ? numbers : 0;
        work += numbers * (ANSWER_NUMBER + (ask.rounded() ? ROUNDED_NUMBER : 0)) + (textNumbers + latexNumbers) * TEXT_NUMBER;
        long bytes = ask.text() ? textNumbers * TEXT_NUMBER_BYTES : numbers * JSON_NUMBER_BYTES + latexNumbers * TEXT_NUMBER_BYTES * 2;
        return new Cost(Cost.units(work), bytes + 4_096);
    }

    /** Evaluations of J a gradient check needs: four per entry of every parameter and input. */
    public static long evaluations(Problem problem) {
        long entries = parameters(problem);
        if (problem.differentiableInput()) {
            long inputs = (long) problem.examples() * problem.inputs()[0].length;
            entries += problem.loss().passes() * inputs;
        }
        return 4 * entries;
    }

    /** {@code POST /v1/train}: {@code steps} passes (two with a mini-batch: its own and the whole batch's loss). */
    public static Cost training(Problem problem, long steps, Integer batchSize, boolean rounded) {
        boolean mini = batchSize != null && batchSize < problem.examples();
        double perStep = pass(problem) + (mini ? pass(problem, batchSize) : 0) + 4.0 * parameters(problem);
        double work = REQUEST + perStep * steps + pass(problem);
        long numbers = steps + 1 + 2 * parameters(problem) + forwardNumbers(problem);
        work += numbers * (ANSWER_NUMBER + (rounded ? ROUNDED_NUMBER : 0));
        return new Cost(Cost.units(work), numbers * JSON_NUMBER_BYTES + 4_096);
    }

    /**
     * {@code POST /v1/grade} and {@code /v1/grade/batch}: the answer key (a pass, and one more per layer whose f'(z)
     * a student might leave out), then every answer entry graded, and with carry-forward each answer's upstream
     * recomputed from the student's own (a product as large as the layer's, per example).
     *
     * @param answerEntries numbers in all the answers of all the submissions
     * @param answers       answers in all the submissions
     */
    public static Cost grading(Problem problem, long answerEntries, long answers, boolean carryForward, boolean reveal) {
        return grading(java.util.List.of(problem), answerEntries, answers, carryForward, reveal);
    }

    /**
     * The same for a batch graded against several problems (one per variant seed): a key for each, the answers once.
     *
     * @param problems the distinct problems, at least one (variants of one template share their shapes); null when the
     *                 problems are computational graphs, whose keys {@link #graph} costs
     */
    public static Cost grading(java.util.List<Problem> problems, long answerEntries, long answers, boolean carryForward,
            boolean reveal) {
        double work = REQUEST;
        if (problems == null) { // computational graphs: their keys are costed by graph(…), the answers here
            return new Cost(Cost.units(work + GRADED_ENTRY * answerEntries + NODE * answers),
                    answers * 300 + (reveal ? answerEntries * JSON_NUMBER_BYTES : 0) + 4_096);
        }
        for (Problem p : problems) {
            // one more pass per factor a student may leave out (an activation's f'(z))
            java.util.List<LayerNames> names = LayerNames.of(p.layers());
            long factors = 0;
            for (int i = 0; i < p.layers().size(); i++) {
                factors += p.layers().get(i).leftOut(names.get(i), false) != null ? 1 : 0;
            }
            work += pass(p) * (1 + factors);
        }
        Problem problem = problems.get(0);
        work += GRADED_ENTRY * answerEntries + NODE * answers;
        if (carryForward) {
            double largestLink = 0;
            for (Layer layer : problem.layers()) {
                largestLink = Math.max(largestLink, (double) layer.inputSize() * layer.outputSize() * problem.examples());
            }
            work += answers * (MULTIPLY_ADD * 2 * largestLink + ROW * problem.examples());
        }
        long bytes = answers * 300 + (reveal ? answerEntries * JSON_NUMBER_BYTES : 0);
        return new Cost(Cost.units(work), bytes + 4_096);
    }

    /**
     * A computational graph ({@code POST /v1/graph}, or a graph problem graded) before it is built: per node its
     * overhead and a pass over the largest value, and with steps each edge's explicit Jacobian against the largest
     * value (a bound the graph's own checks make exact once its shapes are known: the work of each op priced before
     * it runs, the Jacobians' entries against {@code max-response-numbers}).
     *
     * @param nodes   names, numbers and operations of the expression
     * @param largest entries of the largest value given
     * @param entries entries of all the values given
     */
    public static Cost graph(long nodes, long largest, long entries, boolean steps, boolean rendered) {
        return graph(nodes, largest, entries, steps, rendered, false);
    }

    /** The same, with {@code options.gradient_check}: {@link #graphCheck} on the values' shapes. */
    public static Cost graph(long nodes, long largest, long entries, boolean steps, boolean rendered, boolean gradientCheck) {
        double work = REQUEST + graphPass(nodes, largest, entries);
        long numbers = 2 * nodes * largest + entries;
        if (steps) {
            work += STEP_ENTRY * nodes * 3.0 * largest;
            numbers += 3 * nodes * largest;
        }
        if (gradientCheck) {
            work += graphCheck(entries, nodes, nodes * 2.0 * largest);
            numbers += 2 * entries;
        }
        work += numbers * (rendered ? TEXT_NUMBER : ANSWER_NUMBER);
        return new Cost(Cost.units(work), numbers * (rendered ? TEXT_NUMBER_BYTES : JSON_NUMBER_BYTES) + 4_096);
    }

    /** A computational graph's forward and backward pass, as {@link #graph} counts it: no steps, nothing written. */
    public static double graphPass(long nodes, long largest, long entries) {
        return nodes * (NODE + COPY * 4.0 * largest) + COPY * entries;
    }

    /**
     * One variant drawn and checked for kinks ({@code POST /v1/variants}, {@code GET /v1/examples/{id}?seed=N}, and
     * every seed graded against a template or an example): its numbers drawn, the variant built and read back as a
     * problem, and the check, a pass of that problem ({@link #pass} for a network, {@link #graphPass} for a graph).
     * A request is priced for every draw it may make, redraws off kinks included.
     *
     * @param drawn   numbers drawn for the variant
     * @param numbers numbers in the variant, drawn or not
     * @param check   the check's pass
     */
    public static double variantDraw(long drawn, long numbers, double check) {
        return NODE + DRAWN_NUMBER * drawn + VARIANT_NUMBER * numbers + check;
    }

    /** A variant written as an answer: its numbers, and its names and strings ({@code chars} characters). */
    public static Cost variantAnswer(long numbers, long chars) {
        return new Cost(Cost.units(REQUEST + numbers * ANSWER_NUMBER + chars * 2.0),
                numbers * JSON_NUMBER_BYTES + chars * 2 + 4_096);
    }

    /** A node computed again in a gradient check's evaluation of the graph: its arrays and dispatch. */
    public static final double EVALUATED_NODE = 150;

    /**
     * A graph's gradient check: four evaluations of the output per entry of every input (the fourth-order central
     * difference), each computing the graph's ops again.
     *
     * @param entries      entries of the inputs checked
     * @param nodes        operations of the graph
     * @param forwardWork  multiply-adds of one forward pass (the ops' own prices)
     */
    public static double graphCheck(long entries, long nodes, double forwardWork) {
        return 4.0 * entries * (nodes * EVALUATED_NODE + forwardWork * MULTIPLY_ADD);
    }

    private static long parameters(Problem problem) {
        long n = 0;
        for (Layer layer : problem.layers()) {
            n += layer.parameterCount();
        }
        return n;
    }

    private static long forwardNumbers(Problem problem) {
        long passes = problem.loss().passes();
        long perExample = 0;
        for (Layer layer : problem.layers()) {
            perExample += layer.inputSize() + 2L * layer.outputSize();
        }
        return perExample * problem.examples() * passes;
    }
}

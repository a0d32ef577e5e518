package dev.chainrule.grading;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.chainrule.render.Numbers;
import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.graph.GraphReader;
import dev.chainrule.graph.GraphSolver;
import dev.chainrule.budget.Cost;
import dev.chainrule.budget.CostModel;
import dev.chainrule.engine.Deadline;
import dev.chainrule.network.GradientEngine;
import dev.chainrule.network.Problem;
import dev.chainrule.engine.Tensor;
import dev.chainrule.config.Limits;
import dev.chainrule.http.Work;
import dev.chainrule.errors.FieldError;
import dev.chainrule.errors.InvalidRequestException;
import dev.chainrule.errors.Names;
import dev.chainrule.variants.Draws;
import dev.chainrule.variants.Variants;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@code POST /v1/grade} and {@code POST /v1/grade/batch}: reads and prices the request, then hands over as
 * {@link Work} the posing of its problems (drawing the variants of an example or a template) and the grading, which
 * answers in our own format, an autograder platform's ({@code ?format=}) or, for the batch, CSV ({@code ?view=}).
 */
@RestController
class GradingController {

    static final MediaType TEXT_CSV = MediaType.parseMediaType("text/csv");

    /** One submission's grade in a platform's format, under its id. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PlatformSubmission(String id, Long seed, Object results) {
    }

    record PlatformBatch(List<PlatformSubmission> submissions) {
    }

    private final GradeReader reader;
    private final GradientEngine engine;
    private final GraphSolver graphs;
    private final Limits limits;
    private final Function<Tensor, String> json;

    GradingController(ProblemReader problems, GraphReader graphReader, Variants variants, GradientEngine engine,
            GraphSolver graphs, Limits limits, GradingProperties grading, JsonMapper mapper) {
        this.reader = new GradeReader(problems, graphReader, variants, grading.maxSubmissions());
        this.engine = engine;
        this.graphs = graphs;
        this.limits = limits;
        this.json = mapper::writeValueAsString;
    }

    @PostMapping(path = "/v1/grade", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    Work grade(@RequestBody JsonNode body, @RequestParam(name = "format", required = false) String format,
            @RequestParam(name = "digits", required = false) String digits) {
        Platform platform = platform(format);
        Numbers numbers = Numbers.of(digits);
        GradeReader.Single request = reader.single(body);
        Priced priced = price(request.problem(), Collections.singleton(request.problem().seed()),
                List.of(request.answers()), request.settings());
        return Work.json(priced.cost(), "answers", "this grading", deadline -> {
            ProblemSpec.Posed problem = request.problem().pose(null, priced.draws(), deadline);
            Grade grade = grader(problem, request.settings(), request.questions(), deadline)
                    .grade(request.answers(), request.questions()).round(numbers);
            return platform == null ? grade : platform.results(grade, json);
        });
    }

    @PostMapping(path = "/v1/grade/batch", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = {MediaType.APPLICATION_JSON_VALUE, "text/csv"})
    Work batch(@RequestBody JsonNode body, @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
            @RequestParam(name = "format", required = false) String format,
            @RequestParam(name = "view", required = false) String view,
            @RequestParam(name = "digits", required = false) String digits) throws HttpMediaTypeNotAcceptableException {
        Platform platform = platform(format);
        Csv.View csvView = view(view);
        if (platform != null && wantsCsv(accept)) {
            // a platform's format is JSON: there is no gradescope in CSV to give
            throw new HttpMediaTypeNotAcceptableException(List.of(MediaType.APPLICATION_JSON));
        }
        Numbers numbers = Numbers.of(digits);
        GradeReader.Batch request = reader.batch(body);
        // each problem (one per seed) is posed once for the whole batch, inside the gate; each counts in the cost
        Set<Long> seeds = new LinkedHashSet<>();
        for (GradeReader.Submission s : request.submissions()) {
            seeds.add(s.seed());
        }
        Priced priced = price(request.problem(), seeds,
                request.submissions().stream().map(GradeReader.Submission::answers).toList(), request.settings());
        Function<Deadline, GradeBatchResponse> grade = deadline -> {
            Map<Long, Grader> graders = new HashMap<>();
            List<GradeBatchResponse.SubmissionGrade> grades = new ArrayList<>();
            for (GradeReader.Submission s : request.submissions()) {
                deadline.check();
                Grader grader = graders.computeIfAbsent(s.seed(), seed -> grader(
                        request.problem().pose(seed, priced.draws(), deadline), request.settings(), request.questions(), deadline));
                grades.add(GradeBatchResponse.SubmissionGrade.of(s.id(), s.seed(),
                        grader.grade(s.answers(), request.questions()).round(numbers)));
            }
            return GradeBatchResponse.of(grades);
        };
        if (platform != null) {
            return Work.json(priced.cost(), "submissions", "this grading", deadline -> {
                List<PlatformSubmission> out = new ArrayList<>();
                for (GradeBatchResponse.SubmissionGrade s : grade.apply(deadline).submissions()) {
                    out.add(new PlatformSubmission(s.id(), s.seed(), platform.results(s.grade(), json)));
                }
                return new PlatformBatch(out);
            });
        }
        if (wantsCsv(accept)) {
            return Work.text(priced.cost(), "submissions", "this grading", TEXT_CSV,
                    deadline -> Csv.of(grade.apply(deadline).submissions(), csvView));
        }
        return Work.json(priced.cost(), "submissions", "this grading", grade::apply);
    }

    /** A grading's price, and the variant draws it was priced for. */
    private record Priced(Cost cost, Draws draws) {
    }

    /**
     * What grading these answers costs, asked of the one cost model before any problem is posed: a key per distinct
     * seed (each the shape every variant shares), every answer, and every draw the variants may take.
     */
    private Priced price(ProblemSpec spec, Set<Long> seeds, List<Map<String, Answer>> submissions, Grader.Settings settings) {
        Variants.Shape shape = spec.shape();
        ProblemSpec.Posed each = new ProblemSpec.Posed(shape.network(), shape.graph());
        Cost base = cost(Collections.nCopies(seeds.size(), each), submissions, settings);
        long drawn = seeds.stream().filter(spec::draws).count();
        Draws draws = drawn == 0 ? Draws.NONE : Draws.plan(shape, drawn, base.work(), limits.maxWork());
        return new Priced(base.plus(draws.cost()), draws);
    }

    /** What grading these answers costs: a key per problem, then each answer. */
    private static Cost cost(List<ProblemSpec.Posed> problems, List<Map<String, Answer>> submissions, Grader.Settings settings) {
        long entries = 0;
        long count = 0;
        for (Map<String, Answer> answers : submissions) {
            for (Answer a : answers.values()) {
                count++;
                entries += a instanceof Answer.Value v ? v.tensor().size() : 1;
            }
        }
        List<Problem> networks = new ArrayList<>();
        Cost graphs = Cost.ZERO;
        for (ProblemSpec.Posed p : problems) {
            if (p.graph() != null) {
                graphs = graphs.plus(p.graph().gradingCost());
            } else {
                networks.add(p.network());
            }
        }
        Cost answers = CostModel.grading(networks.isEmpty() ? null : networks, entries, count, settings.carryForward(), settings.reveal());
        return answers.plus(graphs);
    }

    /** The grader of one problem; the questions, when given, are checked against its names first. */
    private Grader grader(ProblemSpec.Posed problem, Grader.Settings settings, List<Question> questions, Deadline deadline) {
        AnswerKey key = problem.graph() != null ? AnswerKey.graph(graphs.solve(problem.graph(), deadline), deadline)
                : AnswerKey.network(engine, problem.network(), deadline);
        if (questions != null) {
            Marking.check(questions, key);
        }
        return new Grader(key, settings);
    }

    private static Platform platform(String format) {
        if (format == null || format.equals("json")) {
            return null;
        }
        Platform p = Platform.fromWireName(format);
        if (p == null) {
            throw new InvalidRequestException(List.of(new FieldError("format",
                    Names.unknown("format", JsonNodeFactory.instance.stringNode(format), List.of("json", "gradescope", "prairielearn"))
                            + " (json, the default, is this service's own grade)")));
        }
        return p;
    }

    private static Csv.View view(String view) {
        if (view == null) {
            return Csv.View.ANSWERS;
        }
        Csv.View v = Csv.View.fromWireName(view);
        if (v == null) {
            throw new InvalidRequestException(List.of(new FieldError("view",
                    Names.unknown("view", JsonNodeFactory.instance.stringNode(view), List.of("answers", "students"))
                            + " (answers, the default: one row per submission and answer; students: one row per submission)")));
        }
        return v;
    }

    /** True when the Accept header prefers text/csv to JSON (by quality, then by order). */
    static boolean wantsCsv(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        List<MediaType> types = new ArrayList<>(MediaType.parseMediaTypes(accept));
        types.sort(Comparator.comparingDouble(MediaType::getQualityValue).reversed()); // stable: ties keep their order
        for (MediaType t : types) {
            if (t.getQualityValue() == 0) {
                continue;
            }
            if (t.includes(MediaType.APPLICATION_JSON)) {
                return false;
            }
            if (t.includes(TEXT_CSV)) {
                return true;
            }
        }
        return false;
    }
}

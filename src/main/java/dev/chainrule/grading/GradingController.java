package dev.chainrule.grading;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.chainrule.gradients.Numbers;
import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.graph.GraphReader;
import dev.chainrule.graph.GraphSolver;
import dev.chainrule.network.GradientEngine;
import dev.chainrule.network.Tensor;
import dev.chainrule.system.ComputeGate;
import dev.chainrule.system.FieldError;
import dev.chainrule.system.InvalidRequestException;
import dev.chainrule.system.Names;
import dev.chainrule.system.LimitExceededException;
import dev.chainrule.system.Limits;
import dev.chainrule.variants.Variants;
import java.util.HashMap;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@code POST /v1/grade} and {@code POST /v1/grade/batch}: reads the request, grades under the compute gate, and
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
    private final ComputeGate gate;
    private final long workBudget;
    private final Function<Tensor, String> json;

    GradingController(ProblemReader problems, GraphReader graphReader, Variants variants, GradientEngine engine,
            GraphSolver graphs, ComputeGate gate, Limits limits, GradingProperties grading, JsonMapper mapper) {
        this.reader = new GradeReader(problems, graphReader, variants, grading.maxSubmissions());
        this.engine = engine;
        this.graphs = graphs;
        this.gate = gate;
        this.workBudget = limits.maxWork();
        this.json = mapper::writeValueAsString;
    }

    @PostMapping(path = "/v1/grade", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    Object grade(@RequestBody JsonNode body, @RequestParam(name = "format", required = false) String format,
            @RequestParam(name = "digits", required = false) String digits) {
        Platform platform = platform(format);
        Numbers numbers = Numbers.of(digits);
        GradeReader.Single request = reader.single(body);
        Grade grade = gate.run(() -> grader(key(request.problem(), null), request.settings(), request.questions())
                .grade(request.answers(), request.questions())).round(numbers);
        return platform == null ? grade : platform.results(grade, json);
    }

    @PostMapping(path = "/v1/grade/batch", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = {MediaType.APPLICATION_JSON_VALUE, "text/csv"})
    ResponseEntity<?> batch(@RequestBody JsonNode body, @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
            @RequestParam(name = "format", required = false) String format,
            @RequestParam(name = "view", required = false) String view,
            @RequestParam(name = "digits", required = false) String digits) {
        Platform platform = platform(format);
        Csv.View csvView = view(view);
        Numbers numbers = Numbers.of(digits);
        GradeReader.Batch request = reader.batch(body);
        // each problem (one per seed) is computed once for the whole batch
        GradeBatchResponse response = gate.run(() -> {
            Map<Long, Grader> graders = new HashMap<>();
            long work = 0;
            List<GradeBatchResponse.SubmissionGrade> grades = new ArrayList<>();
            for (GradeReader.Submission s : request.submissions()) {
                Grader grader = graders.get(s.seed());
                if (grader == null) {
                    if (request.problem().graph(s.seed()) == null) {
                        work += request.problem().resolve(s.seed()).workPerPass();
                    }
                    if (work > workBudget) {
                        throw new LimitExceededException("chainrule.limits.max-work", workBudget, work, "submissions",
                                "the variants of this batch need at least " + work + " multiply-adds, which");
                    }
                    grader = grader(key(request.problem(), s.seed()), request.settings(), request.questions());
                    graders.put(s.seed(), grader);
                }
                grades.add(GradeBatchResponse.SubmissionGrade.of(s.id(), s.seed(),
                        grader.grade(s.answers(), request.questions()).round(numbers)));
            }
            return GradeBatchResponse.of(grades);
        });
        if (platform != null) {
            List<PlatformSubmission> out = new ArrayList<>();
            for (GradeBatchResponse.SubmissionGrade s : response.submissions()) {
                out.add(new PlatformSubmission(s.id(), s.seed(), platform.results(s.grade(), json)));
            }
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(new PlatformBatch(out));
        }
        if (wantsCsv(accept)) {
            return ResponseEntity.ok().contentType(new MediaType(TEXT_CSV, StandardCharsets.UTF_8))
                    .body(Csv.of(response.submissions(), csvView));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(response);
    }

    /** The answer key of a computational graph, or of a network (the variant for {@code seed}). */
    private AnswerKey key(ProblemSpec problem, Long seed) {
        GraphReader.Request graph = problem.graph(seed);
        return graph != null ? AnswerKey.graph(graphs.solve(graph)) : AnswerKey.network(engine, problem.resolve(seed), workBudget);
    }

    /** The grader of one problem; the questions, when given, are checked against its names first. */
    private Grader grader(AnswerKey key, Grader.Settings settings, List<Question> questions) {
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

package dev.chainrule.grading;

import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.network.GradientEngine;
import dev.chainrule.budget.Cost;
import dev.chainrule.budget.CostModel;
import dev.chainrule.network.Deadline;
import dev.chainrule.system.Answers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code POST /v1/grade} and {@code POST /v1/grade/batch}: reads the request, grades under the compute gate. */
@RestController
class GradingController {

    static final MediaType TEXT_CSV = MediaType.parseMediaType("text/csv");

    private final GradeReader reader;
    private final GradientEngine engine;
    private final Answers answers;

    GradingController(ProblemReader problems, GradientEngine engine, Answers answers, GradingProperties grading) {
        this.reader = new GradeReader(problems, grading.maxSubmissions());
        this.engine = engine;
        this.answers = answers;
    }

    @PostMapping(path = "/v1/grade", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> grade(@RequestBody JsonNode body) {
        GradeReader.Single request = reader.single(body);
        return answers.json(cost(request.problem(), List.of(request.answers()), request.settings()), "answers",
                "this grading", deadline -> new Grader(new AnswerKey(engine, request.problem(), deadline), request.settings())
                        .grade(request.answers()));
    }

    @PostMapping(path = "/v1/grade/batch", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = {MediaType.APPLICATION_JSON_VALUE, "text/csv"})
    ResponseEntity<byte[]> batch(@RequestBody JsonNode body, @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        GradeReader.Batch request = reader.batch(body);
        Cost cost = cost(request.problem(), request.submissions().stream().map(GradeReader.Submission::answers).toList(),
                request.settings());
        // the problem is computed once for the whole batch
        Function<Deadline, GradeBatchResponse> grade = deadline -> {
            Grader grader = new Grader(new AnswerKey(engine, request.problem(), deadline), request.settings());
            List<GradeBatchResponse.SubmissionGrade> grades = new ArrayList<>();
            for (GradeReader.Submission s : request.submissions()) {
                deadline.check();
                grades.add(GradeBatchResponse.SubmissionGrade.of(s.id(), grader.grade(s.answers())));
            }
            return GradeBatchResponse.of(grades);
        };
        if (wantsCsv(accept)) {
            return answers.text(cost, "submissions", "this grading", TEXT_CSV,
                    deadline -> Csv.of(grade.apply(deadline).submissions()));
        }
        return answers.json(cost, "submissions", "this grading", grade::apply);
    }

    /** What grading these answers costs, asked of the one cost model. */
    private static Cost cost(dev.chainrule.network.Problem problem, List<Map<String, Answer>> submissions,
            Grader.Settings settings) {
        long entries = 0;
        long count = 0;
        for (Map<String, Answer> answers : submissions) {
            for (Answer a : answers.values()) {
                count++;
                entries += a instanceof Answer.Value v ? v.tensor().size() : 1;
            }
        }
        return CostModel.grading(problem, entries, count, settings.carryForward(), settings.reveal());
    }

    /** True when the Accept header prefers text/csv to JSON (by quality, then by order). */
    static boolean wantsCsv(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        List<MediaType> types = new ArrayList<>(MediaType.parseMediaTypes(accept));
        types.sort(java.util.Comparator.comparingDouble(MediaType::getQualityValue).reversed()); // stable: ties keep their order
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

package dev.chainrule.grading;

import dev.chainrule.gradients.Numbers;
import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.network.GradientEngine;
import dev.chainrule.system.ComputeGate;
import dev.chainrule.system.Limits;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code POST /v1/grade} and {@code POST /v1/grade/batch}: reads the request, grades under the compute gate. */
@RestController
class GradingController {

    static final MediaType TEXT_CSV = MediaType.parseMediaType("text/csv");

    private final GradeReader reader;
    private final GradientEngine engine;
    private final ComputeGate gate;
    private final long workBudget;

    GradingController(ProblemReader problems, GradientEngine engine, ComputeGate gate, Limits limits,
            GradingProperties grading) {
        this.reader = new GradeReader(problems, grading.maxSubmissions());
        this.engine = engine;
        this.gate = gate;
        this.workBudget = limits.maxWork();
    }

    @PostMapping(path = "/v1/grade", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    Grade grade(@RequestBody JsonNode body, @RequestParam(name = "digits", required = false) String digits) {
        Numbers numbers = Numbers.of(digits);
        GradeReader.Single request = reader.single(body);
        return gate.run(() -> new Grader(new AnswerKey(engine, request.problem(), workBudget), request.settings())
                .grade(request.answers())).round(numbers);
    }

    @PostMapping(path = "/v1/grade/batch", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = {MediaType.APPLICATION_JSON_VALUE, "text/csv"})
    ResponseEntity<?> batch(@RequestBody JsonNode body, @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
            @RequestParam(name = "digits", required = false) String digits) {
        Numbers numbers = Numbers.of(digits);
        GradeReader.Batch request = reader.batch(body);
        // the problem is computed once for the whole batch
        GradeBatchResponse response = gate.run(() -> {
            Grader grader = new Grader(new AnswerKey(engine, request.problem(), workBudget), request.settings());
            List<GradeBatchResponse.SubmissionGrade> grades = new ArrayList<>();
            for (GradeReader.Submission s : request.submissions()) {
                grades.add(GradeBatchResponse.SubmissionGrade.of(s.id(), grader.grade(s.answers()).round(numbers)));
            }
            return GradeBatchResponse.of(grades);
        });
        if (wantsCsv(accept)) {
            return ResponseEntity.ok().contentType(new MediaType(TEXT_CSV, java.nio.charset.StandardCharsets.UTF_8))
                    .body(Csv.of(response.submissions()));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(response);
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

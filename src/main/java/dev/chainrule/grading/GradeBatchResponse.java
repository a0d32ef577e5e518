package dev.chainrule.grading;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The answer of {@code POST /v1/grade/batch}: every submission's grade in the request's order and, per answer name
 * (in the order names first appear; a key that spells a name another way, {@code ∂J/∂W}, counts under that name),
 * how many submissions got each diagnosis and their mean score.
 */
record GradeBatchResponse(List<SubmissionGrade> submissions, Map<String, AnswerSummary> summary) {

    GradeBatchResponse {
        submissions = List.copyOf(submissions);
        summary = Collections.unmodifiableMap(new LinkedHashMap<>(summary));
    }

    /** One submission's grade, as {@code POST /v1/grade} gives it, under its id (and the seed of its variant, if any). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SubmissionGrade(String id, Long seed, double score, int correct, int total, double points,
            @JsonProperty("max_points") double maxPoints, Map<String, GradeResult> results) {

        static SubmissionGrade of(String id, Long seed, Grade grade) {
            return new SubmissionGrade(id, seed, grade.score(), grade.correct(), grade.total(), grade.points(), grade.maxPoints(),
                    grade.results());
        }

        @JsonIgnore
        Grade grade() {
            return new Grade(score, correct, total, points, maxPoints, results);
        }
    }

    /** @param counts diagnosis code → submissions that got it, only those that occurred, in the codes' order */
    record AnswerSummary(Map<String, Integer> counts, @JsonProperty("mean_score") double meanScore) {
    }

    static GradeBatchResponse of(List<SubmissionGrade> submissions) {
        Map<String, EnumMap<Diagnosis, Integer>> counts = new LinkedHashMap<>();
        Map<String, Double> sums = new LinkedHashMap<>();
        for (SubmissionGrade s : submissions) {
            Set<String> counted = new HashSet<>(); // a submission counts once per name, by its first answer for it
            s.results().forEach((key, r) -> {
                String name = r.name() == null ? key : r.name();
                if (counted.add(name)) {
                    counts.computeIfAbsent(name, n -> new EnumMap<>(Diagnosis.class)).merge(r.diagnosis(), 1, Integer::sum);
                    sums.merge(name, r.score(), Double::sum);
                }
            });
        }
        Map<String, AnswerSummary> summary = new LinkedHashMap<>();
        counts.forEach((name, byDiagnosis) -> {
            Map<String, Integer> codes = new LinkedHashMap<>();
            int n = 0;
            for (Map.Entry<Diagnosis, Integer> e : byDiagnosis.entrySet()) {
                codes.put(e.getKey().code(), e.getValue());
                n += e.getValue();
            }
            summary.put(name, new AnswerSummary(Collections.unmodifiableMap(codes), sums.get(name) / n));
        });
        return new GradeBatchResponse(new ArrayList<>(submissions), summary);
    }
}

package dev.chainrule.grading;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.ApiTest;
import dev.chainrule.engine.Tensor;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Questions over HTTP: the alice, carol and dave, graded as a class and written for a gradebook. */
class QuestionsApiTest extends ApiTest {

    static final Map<String, Tensor> RIGHT = GradeApiTest.RUNNING_EXPECTED.gradients();

    /** alice answers only u (right); carol u and W right and b with a flipped sign; dave nothing. */
    static String aliceCarolDave(String questions) {
        return """
                {"problem": %s, %s
                 "submissions": [
                   {"id": "alice", "answers": {"u": %s}},
                   {"id": "carol", "answers": {"u": %s, "W": %s, "b": %s}},
                   {"id": "dave", "answers": {}}]}
                """.formatted(GradeApiTest.RUNNING, questions.isEmpty() ? "" : "\"questions\": " + questions + ",",
                GradeApiTest.json(RIGHT.get("u")), GradeApiTest.json(RIGHT.get("u")), GradeApiTest.json(RIGHT.get("W")),
                GradeApiTest.json(RIGHT.get("b").map(v -> -v)));
    }

    @Test
    void withoutQuestionsAMissingAnswerCostsNothing() {
        // today's behaviour, as documented: the score counts only what was submitted
        api().contentType(ContentType.JSON).body(aliceCarolDave("")).when().post("/v1/grade/batch")
                .then().statusCode(200)
                .body("submissions[0].score", equalTo(1.0))
                .body("submissions[1].score", equalTo(2.0 / 3))
                .body("submissions[2].score", equalTo(0.0))
                .body("submissions[2].max_points", equalTo(0.0));
    }

    @Test
    void withQuestionsEachStudentIsScoredOverAllOfThem() {
        api().contentType(ContentType.JSON).body(aliceCarolDave("[\"u\", \"W\", \"b\"]")).when().post("/v1/grade/batch")
                .then().statusCode(200)
                .body("submissions.id", contains("alice", "carol", "dave"))
                .body("submissions[0].score", equalTo(1.0 / 3))
                .body("submissions[0].points", equalTo(1.0))
                .body("submissions[0].max_points", equalTo(3.0))
                .body("submissions[0].results.W.diagnosis", equalTo("missing"))
                .body("submissions[0].results.b.diagnosis", equalTo("missing"))
                .body("submissions[1].score", equalTo(2.0 / 3))
                .body("submissions[1].results.b.diagnosis", equalTo("sign"))
                .body("submissions[2].score", equalTo(0.0))
                .body("submissions[2].points", equalTo(0.0))
                .body("submissions[2].max_points", equalTo(3.0))
                .body("submissions[2].total", equalTo(3))
                .body("submissions[2].results.u.diagnosis", equalTo("missing"))
                .body("summary.W.counts.missing", equalTo(2))
                .body("summary.W.counts.correct", equalTo(1));
    }

    @Test
    void theGradebookHasOneRowPerStudentDaveIncluded() {
        String csv = api().contentType(ContentType.JSON).accept("text/csv").queryParam("view", "students")
                .body(aliceCarolDave("[\"u\", \"W\", {\"name\": \"b\", \"points\": 2}]")).when().post("/v1/grade/batch")
                .then().statusCode(200).contentType("text/csv;charset=UTF-8").extract().asString();
        assertEquals("id,score,points,max_points,correct,total\r\n"
                + "alice,0.25,1,4,1,3\r\n"
                + "carol,0.5,2,4,2,3\r\n"
                + "dave,0,0,4,0,3\r\n", csv);
    }

    @Test
    void theAnswerRowsListEveryQuestionMissingOnesToo() {
        String csv = api().contentType(ContentType.JSON).accept("text/csv")
                .body(aliceCarolDave("[\"u\", \"W\"]")).when().post("/v1/grade/batch")
                .then().statusCode(200).extract().asString();
        assertEquals("id,name,correct,diagnosis,score,feedback,points,max_points\r\n"
                + "alice,u,true,correct,1,,1,1\r\n"
                + "alice,W,false,missing,0,Not answered: this question asks for ∂J/∂W.,0,1\r\n"
                + "carol,u,true,correct,1,,1,1\r\n"
                + "carol,W,true,correct,1,,1,1\r\n"
                + "carol,b,false,sign,0,Every entry has the wrong sign.,,\r\n"
                + "dave,u,false,missing,0,Not answered: this question asks for ∂J/∂u.,0,1\r\n"
                + "dave,W,false,missing,0,Not answered: this question asks for ∂J/∂W.,0,1\r\n", csv);
    }

    @Test
    void aStudentIdThatWouldRunAsAFormulaIsDefusedInTheStudentsView() {
        String body = """
                {"problem": %s, "questions": ["u"], "submissions": [{"id": "=1+1", "answers": {}}]}""".formatted(GradeApiTest.RUNNING);
        String csv = api().contentType(ContentType.JSON).accept("text/csv").queryParam("view", "students").body(body)
                .when().post("/v1/grade/batch").then().statusCode(200).extract().asString();
        assertEquals("id,score,points,max_points,correct,total\r\n'=1+1,0,0,1,0,1\r\n", csv);
    }

    @Test
    void pointsAndPerEntryCreditOverHttp() {
        Tensor w = RIGHT.get("W");
        for (int i = 0; i < 5; i++) {
            w = Problems.with(w, i, 50 + i);
        }
        String body = """
                {"problem": %s, "questions": [{"name": "W", "points": 3, "partial": "per_entry"}, {"name": "u", "points": 1.5}],
                 "answers": {"W": %s, "u": %s, "b": [1, 2, 3]}}""".formatted(GradeApiTest.RUNNING, GradeApiTest.json(w),
                GradeApiTest.json(RIGHT.get("u")));
        api().contentType(ContentType.JSON).body(body).when().post("/v1/grade")
                .then().statusCode(200)
                .body("results.W.diagnosis", equalTo("partial"))
                .body("results.W.score", equalTo(10.0 / 15))
                .body("results.W.points", equalTo(10.0 / 15 * 3))
                .body("results.W.max_points", equalTo(3.0))
                .body("results.W.asked", equalTo(true))
                .body("results.b.asked", equalTo(false))
                .body("points", equalTo(10.0 / 15 * 3 + 1.5))
                .body("max_points", equalTo(4.5))
                .body("score", equalTo((10.0 / 15 * 3 + 1.5) / 4.5))
                .body("total", equalTo(2))
                .body("correct", equalTo(1));
    }

    static Stream<Arguments> badQuestions() {
        return Stream.of(
                Arguments.of("\"W\"", "questions"),
                Arguments.of("[]", "questions"),
                Arguments.of("[\"W\", \"W\"]", "questions[1]"),
                Arguments.of("[\"W\", {\"name\": \"W\"}]", "questions[1].name"),
                Arguments.of("[3]", "questions[0]"),
                Arguments.of("[{\"points\": 2}]", "questions[0].name"),
                Arguments.of("[{\"name\": \"W\", \"points\": 0}]", "questions[0].points"),
                Arguments.of("[{\"name\": \"W\", \"partial\": \"half\"}]", "questions[0].partial"),
                Arguments.of("[{\"name\": \"W\", \"weight\": 2}]", "questions[0].weight"),
                Arguments.of("[\"W\", \"dW\"]", "questions[1].name"));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("badQuestions")
    void badQuestionsAre400NamingTheField(String questions, String path) {
        raw().contentType(ContentType.JSON)
                .body("{\"problem\": " + GradeApiTest.RUNNING + ", \"questions\": " + questions + ", \"answers\": {}}")
                .when().post("/v1/grade")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("/problems/invalid-request"))
                .body("errors.path", hasItem(path));
    }
}

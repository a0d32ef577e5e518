package dev.chainrule.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainrule.config.Limits;
import dev.chainrule.errors.InvalidRequestException;
import dev.chainrule.errors.LimitExceededException;
import org.junit.jupiter.api.Test;

/**
 * The tensor ops are priced before they run: a value past the size limit is refused before it is computed, an op
 * over the work limit is refused with the work it would take, and the gradient check is priced on the graph's real
 * shapes before its first evaluation.
 */
class TensorLimitsTest {

    private static String ones(int n) {
        return "[" + "1, ".repeat(n - 1) + "1]";
    }

    private static GraphSolver solver(long maxWork) {
        return new GraphSolver(new Limits(null, null, null, null, maxWork, null, null, null, null, null, null, null, null, null));
    }

    private static GraphReader.Request read(String expression, String values, String options) {
        return GraphCases.READER.read(GraphCases.JSON.readTree("{\"expression\": \"" + expression + "\", \"values\": " + values
                + (options == null ? "" : ", \"options\": " + options) + "}"), "");
    }

    @Test
    void aBroadcastOrAGatherPastTheSizeOfAValueIsRefusedBeforeItIsComputed() {
        String column = "[" + "[1], ".repeat(2_999) + "[1]]";
        InvalidRequestException broadcast = assertThrows(InvalidRequestException.class,
                () -> GraphCases.SOLVER.solve(read("f = sum(c + r)", "{\"c\": " + column + ", \"r\": " + ones(3_000) + "}", null)));
        assertThat(broadcast.errors().get(0).message()).contains("c + r would be 3000×3000, 9000000 entries; a value holds at most 4194304");
        String index = "[" + "0, ".repeat(4_999) + "0]";
        InvalidRequestException gather = assertThrows(InvalidRequestException.class,
                () -> GraphCases.SOLVER.solve(read("f = sum(L[w])", "{\"L\": [" + ones(1_000) + "], \"w\": " + index + "}", null)));
        assertThat(gather.errors().get(0).message()).contains("would be 5000×1000, 5000000 entries");
    }

    @Test
    void aTensorOpOverTheWorkLimitIsRefusedBeforeItRuns() {
        LimitExceededException e = assertThrows(LimitExceededException.class,
                () -> solver(2_000).solve(read("f = sum(softmax(X, axis=0))", "{\"X\": [" + ones(300) + ", " + ones(300) + "]}", null)));
        assertThat(e.limit()).isEqualTo("chainrule.limits.max-work");
        assertThat(e.path()).isEqualTo("expression");
        assertThat(e.actual()).isGreaterThan(2_000);
    }

    @Test
    void theGradientCheckIsPricedOnTheGraphsShapesBeforeItStarts() {
        GraphReader.Request checked = read("f = sum(softmax(X, axis=1) * X)", "{\"X\": [" + ones(300) + ", " + ones(300) + "]}",
                "{\"gradient_check\": true, \"steps\": false}");
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> solver(3_000_000).solve(checked));
        assertThat(e.path()).isEqualTo("options.gradient_check");
        GraphReader.Request unchecked = read("f = sum(softmax(X, axis=1) * X)", "{\"X\": [" + ones(300) + ", " + ones(300) + "]}",
                "{\"steps\": false}");
        assertThat(solver(3_000_000).solve(unchecked).check()).isNull();
        assertThat(GraphCases.SOLVER.solve(checked).check().verdict()).isEqualTo("good");
    }
}

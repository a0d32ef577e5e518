package dev.chainrule.gradients;

import dev.chainrule.render.Numbers;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.chainrule.network.GradientCheck;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON member {@code gradient_check}, and the same as text: one rendering of a {@link GradientCheck.Report} for
 * {@code /v1/gradients} and {@code /v1/graph} alike.
 */
public record GradientCheckResponse(
        double epsilon,
        Map<String, Entry> results,
        String verdict,
        @JsonProperty("on_kink") boolean onKink,
        List<String> kinks,
        String note) {

    /** One gradient's check; {@code worst_index} locates its largest error. */
    public record Entry(@JsonProperty("max_relative_error") double maxRelativeError, String verdict,
            @JsonProperty("worst_index") int[] worstIndex) {
    }

    public static GradientCheckResponse of(GradientCheck.Report r, Numbers numbers) {
        Map<String, Entry> results = new LinkedHashMap<>();
        r.results().forEach((name, e) -> results.put(name,
                new Entry(numbers.round(e.maxRelativeError()), e.verdict(), e.worstIndex())));
        String note = r.onKink()
                ? "The point lies on a kink (listed in kinks): there the function has no derivative, the analytic gradient"
                        + " takes one side's slope (as PyTorch does) and the central difference averages both sides, so"
                        + " a large error here does not mean the gradient is wrong."
                : "Relative errors: ≤ 1e-7 good, ≤ 1e-4 acceptable (with kinks), above that suspicious.";
        return new GradientCheckResponse(r.epsilon(), results, r.verdict(), r.onKink(), r.kinks(), note);
    }

    /** The report as text lines under a heading, as the text derivations write it. */
    public static void text(StringBuilder out, String indent, GradientCheck.Report check, Numbers numbers) {
        out.append("\nGradient check (central differences, ε = ").append(GradientCheck.EPSILON)
                .append("; relative error |a − n| / max(|a|, |n|))\n");
        check.results().forEach((name, r) -> out.append(indent).append(name).append(": ")
                .append(numbers.text(r.maxRelativeError())).append("  ").append(r.verdict()).append('\n'));
        out.append(indent).append("verdict: ").append(check.verdict()).append('\n');
        for (String kink : check.kinks()) {
            out.append(indent).append("on a kink: ").append(kink)
                    .append(" — the numeric estimate cannot be trusted here\n");
        }
    }
}

package dev.chainrule.graph;

import dev.chainrule.render.TensorText;
import dev.chainrule.render.Numbers;
import dev.chainrule.engine.Backprop;
import dev.chainrule.engine.Graph;
import dev.chainrule.gradients.GradientCheckResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * A computed graph as a person reads it ({@code Accept: text/plain}): the forward pass in evaluation order, then
 * the backward pass from the output back, each gradient written as the lecture writes it — the sum over the
 * node's outward branches of upstream × local, each branch's value, and the total
 * ({@code ∂f/∂y = ∂f/∂a·∂a/∂y + ∂f/∂b·∂b/∂y = 2 + 3 = 5}) — with each local derivative below it.
 */
final class GraphText {

    private static final String INDENT = "  ";

    private GraphText() {
    }

    static String render(GraphSolver.Solution s, boolean steps, Numbers numbers) {
        Graph g = s.graph();
        String output = s.outputNode().name();
        StringBuilder out = new StringBuilder("Forward pass (in evaluation order)\n");
        for (Graph.Node n : g.nodes()) {
            if (n.kind() != Graph.Kind.CONST) {
                TensorText.line(out, INDENT, n.name() + (n.kind() == Graph.Kind.OP ? " = " + n.expression() : ""), n.value(), numbers);
            }
        }
        out.append("\nBackward pass (from ").append(output)
                .append(" back: each edge gives upstream × local; gradients sum where a value is used more than once)\n");
        for (GraphAnswer.Gradient gr : GraphAnswer.gradients(s)) {
            gradient(out, gr, s, steps, numbers);
        }
        if (s.check() != null) {
            GradientCheckResponse.text(out, INDENT, s.check(), numbers);
        }
        return out.toString();
    }

    private static void gradient(StringBuilder out, GraphAnswer.Gradient gr, GraphSolver.Solution s, boolean steps, Numbers numbers) {
        Graph g = s.graph();
        String name = gr.node().name();
        String lhs = "∂" + gr.output() + "/∂" + name;
        if (name.equals(gr.output())) {
            out.append(INDENT).append(lhs).append(" = 1\n");
            return;
        }
        if (gr.edges().isEmpty()) {
            TensorText.line(out, INDENT, lhs + " (" + gr.output() + " does not depend on " + name + ")", gr.total(), numbers);
            return;
        }
        String chain = lhs + " = " + gr.chain().text();
        boolean scalars = gr.total().rank() == 0 && gr.edges().stream().allMatch(e -> e.upstream().rank() == 0);
        if (scalars) {
            StringBuilder line = new StringBuilder(chain);
            if (gr.edges().size() > 1) {
                List<String> parts = new ArrayList<>();
                for (Backprop.Edge e : gr.edges()) {
                    parts.add(numbers.text(e.contribution().item()));
                }
                line.append(" = ").append(String.join(" + ", parts).replace("+ -", "− "));
            }
            out.append(INDENT).append(line).append(" = ").append(numbers.text(gr.total().item())).append('\n');
        } else if (gr.edges().size() > 1) {
            out.append(INDENT).append(chain).append('\n');
            for (Backprop.Edge e : gr.edges()) {
                TensorText.line(out, INDENT + "    ", "via " + g.node(e.via()).name(), e.contribution(), numbers);
            }
            TensorText.line(out, INDENT + "    ", "sum", gr.total(), numbers);
        } else {
            TensorText.line(out, INDENT, chain, gr.total(), numbers);
        }
        if (steps) {
            for (Backprop.Edge e : gr.edges()) {
                Graph.Node via = g.node(e.via());
                if (scalars && via.name().equals(gr.output())) {
                    continue; // the line above already reads ∂f/∂a = b = 2
                }
                dev.chainrule.engine.Formula rule = GraphAnswer.local(g, via, e.slot());
                String label = "local ∂" + via.name() + "/∂" + name + " = " + rule.text();
                if (rule instanceof dev.chainrule.engine.Formula.Num) {
                    out.append(INDENT).append("    ").append(label).append('\n'); // a constant is its own value
                } else if (!s.explicit(via, e.slot())) {
                    out.append(INDENT).append("    ").append(label).append("  (").append(via.value().size()).append('×').append(g.node(e.to()).value().size())
                            .append(", written out with options.full_jacobians)\n");
                } else {
                    TensorText.line(out, INDENT + "    ", label, GraphAnswer.jacobian(g, via, e.slot()), numbers);
                }
            }
        }
    }
}

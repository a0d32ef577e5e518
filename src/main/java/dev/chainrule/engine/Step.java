package dev.chainrule.engine;

/**
 * One step of the backward pass: downstream = upstream × local. Upstream and downstream are in Jacobian form
 * (a 1×n row for a vector) so the product is literal, except the weight step ∂J/∂W = δᵀxᵀ, whose downstream has
 * W's shape.
 *
 * @param gradient the name of the quantity whose gradient this step produces, e.g. {@code z} or {@code W}
 * @param equation the chain rule as used, e.g. {@code ∂J/∂z = ∂J/∂h · diag(f'(z))}, as a formula that renders
 *                 itself as text and as LaTeX
 */
public record Step(String gradient, Formula equation, Term upstream, Term local, Term downstream) {

    /** The chain rule as used, in Unicode text. */
    public String formula() {
        return equation.text();
    }

    /** A named value, e.g. {@code ∂h/∂z} and its explicit matrix. */
    public record Term(String name, Tensor value) {
    }
}

package dev.chainrule.network;

/**
 * One step of the backward pass: downstream = upstream × local. Upstream and downstream are in Jacobian form
 * (a 1×n row for a vector) so the product is literal, except the weight step ∂J/∂W = δᵀxᵀ, whose downstream has
 * W's shape.
 *
 * @param gradient the name of the quantity whose gradient this step produces, e.g. {@code z} or {@code W}
 * @param formula  the chain rule as used, e.g. {@code ∂J/∂z = ∂J/∂h · diag(f'(z))}
 */
public record Step(String gradient, String formula, Term upstream, Term local, Term downstream) {

    /** A named value, e.g. {@code ∂h/∂z} and its explicit matrix. */
    public record Term(String name, Tensor value) {
    }
}

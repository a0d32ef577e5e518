/**
 * The engine, plain Java: tensors ({@link dev.chainrule.engine.Tensor}, rank 0 to 4), the ops with their forward value,
 * backward rule, local Jacobian and formula side by side ({@link dev.chainrule.engine.Op}; the function table of
 * factories built from a call's keywords in {@link dev.chainrule.engine.Ops}; broadcasting, reductions along an axis,
 * joining and reshaping, subscripts and gathers, comparisons and {@code where} in files of their own),
 * the maths ops and layers share ({@link dev.chainrule.engine.Maths}), the computational graph and its one reverse
 * walk ({@link dev.chainrule.engine.Graph}, {@link dev.chainrule.engine.Backprop}), formulas that render as text and
 * LaTeX, the matrix kernels, the backward step record, the deadline check and the overflow error. It knows nothing
 * of layers or of HTTP.
 *
 * <p>May import: the JDK and Commons Math only.
 */
package dev.chainrule.engine;

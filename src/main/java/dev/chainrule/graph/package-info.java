/**
 * {@code POST /v1/graph}: the expression parser, the compiler onto the engine's graph, the solver, and the answer
 * with its text and LaTeX. The reader and solver are also used by grading and variants.
 *
 * <p>May import: every package below the features; of the other features only
 * {@code gradients.GradientCheckResponse}, the one rendering of a gradient check for both endpoints.
 */
package dev.chainrule.graph;

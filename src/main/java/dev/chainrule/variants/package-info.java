/**
 * Per-student variants: {@code GET /v1/examples/{id}?seed=N} and {@code POST /v1/variants}; seeded draws, templates,
 * kink avoidance.
 *
 * <p>May import: every package below the features; of the other features {@code examples.Examples} (an example's
 * template), {@code gradients.ProblemReader}, {@code graph.GraphReader} and {@code graph.GraphSolver} (a draw is
 * checked by reading and solving it).
 */
package dev.chainrule.variants;

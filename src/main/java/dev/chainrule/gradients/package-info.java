/**
 * {@code POST /v1/gradients}: the network request reader ({@link dev.chainrule.gradients.ProblemReader}, also used
 * by grading, training and variants), the controller, the answer with its text and LaTeX derivations, warnings,
 * and the JIT warm-up.
 *
 * <p>May import: every package below the features; of the other features only {@code examples.Examples} (the
 * warm-up posts every example).
 */
package dev.chainrule.gradients;

/**
 * {@code POST /v1/grade} and {@code /v1/grade/batch}: the answer key, diagnoses, error carried forward, marking,
 * tolerance, CSV and the platforms' result formats.
 *
 * <p>May import: every package below the features; of the other features the request readers and solvers it grades
 * against ({@code gradients.ProblemReader}, {@code graph.GraphReader}, {@code graph.GraphSolver}) and the variant
 * draws ({@code variants.Template}, {@code variants.Variants}, {@code variants.Draws}).
 */
package dev.chainrule.grading;

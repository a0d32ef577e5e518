/**
 * {@code POST /v1/train}: the training endpoint; the loop itself is {@code network.Trainer}.
 *
 * <p>May import: every package below the features; of the other features {@code gradients.ProblemReader} and
 * {@code gradients.Warnings}.
 */
package dev.chainrule.training;

/**
 * How every endpoint shows numbers and tensors: {@code ?digits} rounding ({@link dev.chainrule.render.Numbers}),
 * tensors as text lines ({@link dev.chainrule.render.TensorText}) and as LaTeX, and the answer's LaTeX member
 * ({@link dev.chainrule.render.Latex}). Plain Java.
 *
 * <p>May import: {@code engine}, and from {@code errors} the field error a bad {@code digits} is refused with.
 */
package dev.chainrule.render;

/**
 * The hand-written JSON reading and number writing that stand in for parts of Jackson on the hot path (see
 * README.md in this directory): request trees read straight from the bytes, arrays of numbers held compactly,
 * doubles and tensors written straight into the output buffer, never a non-finite number.
 *
 * <p>May import: {@code engine}, {@code errors}; Jackson, Spring. Never a feature package.
 */
package dev.chainrule.wire;

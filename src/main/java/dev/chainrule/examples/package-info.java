/**
 * {@code GET /v1/examples} and {@code /v1/examples/{id}}: the worked examples (bodies in
 * {@code src/main/resources/examples}), also posted by the warm-up and used as variant templates.
 *
 * <p>May import: every package below the features; no other feature.
 */
package dev.chainrule.examples;

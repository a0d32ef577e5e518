/**
 * The pages' server side: {@code /docs} and {@code /swagger-ui.html} routing, {@code application/yaml} for
 * {@code /openapi.yaml}, the security headers. The pages themselves are static files.
 *
 * <p>May import: every package below the features; no other feature.
 */
package dev.chainrule.playground;

/**
 * The HTTP path every computing endpoint goes through: bodies read without holding a thread; the {@code Work} every
 * computing handler returns (no other way to compute is left to it), priced, run in the compute gate under its
 * deadline and built there into a bounded buffer, then written as built; the request threads, the
 * request log and id, the service's requests to itself, unknown query parameters refused, CORS, Tomcat hardened,
 * graceful shutdown.
 *
 * <p>May import: {@code engine}, {@code budget}, {@code config}, {@code errors}, {@code wire}; Spring, Tomcat,
 * Jackson. Never a feature package.
 */
package dev.chainrule.http;

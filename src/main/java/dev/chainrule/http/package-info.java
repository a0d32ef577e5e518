/**
 * The HTTP path every computing endpoint goes through: bodies read without holding a thread, the compute gate with
 * its deadlines, answers built inside it into a bounded buffer and written as built, the request threads, the
 * request log and id, the service's requests to itself, unknown query parameters refused, CORS, Tomcat hardened,
 * graceful shutdown.
 *
 * <p>May import: {@code engine}, {@code budget}, {@code config}, {@code errors}, {@code wire}; Spring, Tomcat,
 * Jackson. Never a feature package.
 */
package dev.chainrule.http;

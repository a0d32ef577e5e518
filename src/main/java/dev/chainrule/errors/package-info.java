/**
 * Every error as an RFC 9457 problem: the one {@code @RestControllerAdvice}, the stable problem types and the
 * {@code /problems} pages they resolve to, {@code /error}, Tomcat's own error page as problem+json, the problem
 * counter, field errors with did-you-mean, how a JSON value is named in a message, and the exceptions answered as
 * problems (invalid request, limit exceeded, overloaded, body too large).
 *
 * <p>May import: {@code engine} (its exceptions are answered here); Spring, Jackson. Never a feature package.
 */
package dev.chainrule.errors;

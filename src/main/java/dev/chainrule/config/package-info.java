/**
 * The service's settings: the request limits ({@link dev.chainrule.config.Limits}), which origins may call the API,
 * and the network engine as a bean for every feature.
 *
 * <p>May import: {@code engine}, {@code network}, {@code budget}, {@code errors}; Spring. Never a feature package.
 */
package dev.chainrule.config;

/**
 * chainrule: computes and explains neural-network gradients in the notation of Stanford CS224N lecture 3. This
 * package holds only the application's entry point. The packages below it stack, each importing only those beneath
 * it (checked by {@code ArchitectureTest}): {@code engine}; {@code network} on it; {@code render} and {@code budget};
 * {@code config}, {@code errors}, {@code wire}; {@code http}; then one package per feature.
 *
 * <p>May import: the packages below it; Spring Boot.
 */
package dev.chainrule;

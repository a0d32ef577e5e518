/**
 * Networks as compositions of the engine: each kind of layer ({@link dev.chainrule.network.Dense},
 * {@link dev.chainrule.network.Score}, …) and of loss is one file that owns its reading, shapes, compilation onto the
 * engine's ops, names, parameters, formulas, steps, wire form and cost; the kinds are found with
 * {@link java.util.ServiceLoader} ({@link dev.chainrule.network.Kinds}). Around them, generic code that iterates the
 * kinds: the lecture's names as a naming layer over the graph ({@link dev.chainrule.network.LayerNames}),
 * {@link dev.chainrule.network.Problem}, the network compiled onto the engine's graph with its steps
 * ({@link dev.chainrule.network.NetworkGraph}), the gradient check, SGD and the training loop. The request is read
 * through {@link dev.chainrule.network.Field}, so this stays plain Java.
 *
 * <p>May import: {@code engine}, the JDK and Commons Math.
 */
package dev.chainrule.network;

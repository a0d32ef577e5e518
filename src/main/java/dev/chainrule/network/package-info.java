/**
 * Networks as compositions of the engine: layers, activations and losses, the lecture's names (W, b, z, h, u, s and
 * their numbered forms), {@link dev.chainrule.network.Problem}, the network compiled onto the engine's graph and its
 * steps, the gradient check, SGD and the training loop. Plain Java.
 *
 * <p>May import: {@code engine}, the JDK and Commons Math.
 */
package dev.chainrule.network;

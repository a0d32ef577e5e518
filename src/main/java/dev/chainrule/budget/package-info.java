/**
 * The cost model every computing endpoint asks before it computes: what a request will cost in work and memory.
 * Plain Java.
 *
 * <p>May import: {@code engine}, {@code network}.
 */
package dev.chainrule.budget;

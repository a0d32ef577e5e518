package dev.chainrule.grading;

/**
 * One question of a problem: the answer it asks for (a key such as {@code W} or {@code forward.h}), what it is
 * worth, and whether an answer of the right shape with some wrong entries earns the fraction of its right entries.
 */
record Question(String name, double points, boolean perEntry) {

    static final double DEFAULT_POINTS = 1;
}

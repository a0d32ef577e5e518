package dev.chainrule.variants;

import dev.chainrule.budget.Cost;
import dev.chainrule.errors.LimitExceededException;
import java.util.List;

/**
 * The variant draws one request may make, every one of them priced before the first is made: each variant's first
 * draw, and redraws off kinks (up to {@value Variants#MAX_DRAWS} a variant) as many as keep the request's predicted
 * work within {@code max-work}. A request that cannot draw each of its variants once is refused (422) before it
 * runs; one whose draws keep landing on kinks until the priced ones are all made is refused when the next would be.
 * One request's, used by the thread that computes it.
 */
public final class Draws {

    /** No draws at all: the problem is given as it is. */
    public static final Draws NONE = new Draws(0, 0, 0, 0);

    private final long each;
    private final long planned;
    private final long base;
    private final long maxWork;
    private long made;
    private boolean variant;

    private Draws(long each, long planned, long base, long maxWork) {
        this.each = each;
        this.planned = planned;
        this.base = base;
        this.maxWork = maxWork;
    }

    /**
     * Plans the draws of a request.
     *
     * @param shape    the variants' shape, with the work of one draw
     * @param variants variants to draw (distinct seeds)
     * @param base     the rest of the request's predicted work
     * @param maxWork  the limit on the request's predicted work ({@code chainrule.limits.max-work})
     */
    public static Draws plan(Variants.Shape shape, long variants, long base, long maxWork) {
        long each = Math.max(1, shape.drawWork());
        // a template that varies is checked at the bounds of its ranges once, two draws' work, before its first variant
        long bounds = shape.mostDraws() > 1 ? BOUNDS : 0;
        long most = variants * shape.mostDraws() + bounds;
        long fits = maxWork > base ? (maxWork - base) / each : 0;
        return new Draws(each, Math.max(variants + bounds, Math.min(most, fits)), base, maxWork);
    }

    /** The draws of the check at the bounds of a template's ranges ({@code Variants#checkBounds}). */
    static final long BOUNDS = 2;

    /** True the first time it is asked: the request's first variant is about to be drawn. */
    boolean firstVariant() {
        boolean first = !variant;
        variant = true;
        return first;
    }

    /** The work of every draw planned. */
    public Cost cost() {
        return new Cost(Cost.units((double) each * planned), 0);
    }

    /**
     * Counts one draw more.
     *
     * @param kinks what the draw before landed on (empty for a variant's first draw)
     * @param path  the request field a 422 names
     * @throws LimitExceededException when the request's priced draws are all made
     */
    void take(List<String> kinks, String path) {
        if (made >= planned) {
            throw new LimitExceededException("chainrule.limits.max-work", maxWork, Cost.units(base + (double) each * (made + 1)),
                    path, made + " draws landed on kinks" + (kinks.isEmpty() ? "" : " (the last: " + String.join(", ", kinks) + ")")
                            + ", as many as the work limit allows this request: widen the ranges, or set allow_kinks."
                            + " With one more draw, its predicted work (in units of about a nanosecond)");
        }
        made++;
    }
}

package dev.chainrule.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import tools.jackson.core.io.schubfach.MathUtils;

/**
 * A finite double as ASCII JSON text straight into a byte array, with no {@code String} per number: the shortest
 * decimal that reads back as the same double (Giulietti's Schubfach, "The Schubfach way to render doubles", 2020),
 * laid out as {@link Double#toString} lays it out ({@code 0.1}, {@code 1.0}, {@code 1.0E-5}, {@code 1.2345678E7}).
 * The text is byte for byte what Jackson's own Schubfach writer ({@code USE_FAST_DOUBLE_WRITER}) writes; the
 * powers of ten come from Jackson's table ({@link MathUtils}), so only the layout is ours.
 *
 * <p>Most numbers of an answer are normal doubles with a fraction: they take one straight path (three products,
 * the choice among the candidates made without branches, and the 16 or 17 digits laid out where
 * they go by a few 8-byte stores); zero, whole numbers, powers of two and subnormals take the general one.
 */
public final class DoubleText {

    /** The longest text: {@code -d.ddddddddddddddddE-eee}. */
    public static final int MAX_LENGTH = 24;

    private static final int P = 53;                        // precision of a double, hidden bit included
    private static final int Q_MIN = -1074;                 // exponent of the smallest subnormal
    private static final long C_MIN = 1L << (P - 1);        // smallest normal significand
    private static final long T_MASK = C_MIN - 1;
    private static final int BQ_MASK = 0x7FF;
    private static final long C_TINY = 3;                   // subnormals below this need one digit more
    private static final long MASK_63 = Long.MAX_VALUE;
    private static final int H = 17;                        // digits enough for any double

    private static final long ZEROS = 0x3030_3030_3030_3030L;  // eight '0's

    private static final byte[] PAIRS = new byte[200];
    /** The four digits of each i < 10^4 as the bytes 0–9 of an int, the first in the lowest byte (40 kB). */
    private static final int[] QUADS = new int[10_000];
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * For each biased exponent of a normal double, what the regular-spacing path needs of it: k = ⌊log10 2^q⌋, the
     * shift h = q + ⌊log2 10^-k⌋ + 2 and the two halves of g = ⌊10^-k·2^…⌋ (q = exponent − 1075), looked up at once
     * instead of computed from q (the doubles of an answer share a few dozen exponents).
     */
    private static final int[] K = new int[BQ_MASK];
    private static final byte[] SHIFT = new byte[BQ_MASK];
    private static final long[] G = new long[2 * BQ_MASK];

    static {
        for (int bq = 1; bq < BQ_MASK; bq++) {
            int q = bq - 1075;
            int k = MathUtils.flog10pow2(q);
            K[bq] = k;
            SHIFT[bq] = (byte) (q + MathUtils.flog2pow10(-k) + 2);
            G[2 * bq] = MathUtils.g1(k);
            G[2 * bq + 1] = MathUtils.g0(k);
        }
        for (int i = 0; i < QUADS.length; i++) {
            QUADS[i] = i / 1000 | (i / 100 % 10) << 8 | (i / 10 % 10) << 16 | (i % 10) << 24;
        }
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    private DoubleText() {
    }

    /**
     * Writes finite {@code v} at {@code out[at]} (room for {@link #MAX_LENGTH} bytes needed: bytes past the
     * returned end may be overwritten) and returns the position after it.
     *
     * @throws IllegalArgumentException for NaN or an infinity (JSON has no text for them)
     */
    public static int write(double v, byte[] out, int at) {
        long bits = Double.doubleToRawLongBits(v);
        long t = bits & T_MASK;
        int bq = (int) (bits >>> (P - 1)) & BQ_MASK;
        out[at] = '-';
        int p = at + (int) (bits >>> 63);                    // past the sign, if any
        int mq = -Q_MIN + 1 - bq;                            // |v| = c·2^-mq
        long c = C_MIN | t;
        if (bq == 0 || bq == BQ_MASK || t == 0 || 0 < mq && mq < P && (c & (1L << mq) - 1) == 0) {
            return unusual(v, bits, out, p);
        }
        // Figure 7 of the paper with the doubles around v regularly spaced: 10^k ≤ 2^q < 10^(k+1), so
        // 4.5·10^15 ≤ s < 9.01·10^16 has 16 or 17 digits, as has the decimal chosen.
        int k = K[bq];
        int h = SHIFT[bq];
        long g1 = G[2 * bq];
        long g0 = G[2 * bq + 1];
        int odd = (int) c & 1;
        long cb = c << 2;
        long vb = roundToOdd(g1, g0, cb << h);
        long vbl = roundToOdd(g1, g0, cb - 2 << h) + odd;
        long vbr = roundToOdd(g1, g0, cb + 2 << h) - odd;
        long s = vb >> 2;
        // The choices of shortest() as 0/1 bits instead of branches: which way each goes depends on the digits of
        // v, so branches were mispredicted often enough to cost 7 ns of the 21 a number took (one bit: x ≥ 0 is
        // ~x >>> 63, with every x here far from overflow).
        long f = closest(s, vb, vbl, vbr);
        long sp10 = 10 * Math.multiplyHigh(s, 115_292_150_460_684_698L << 4); // one digit fewer: 10·⌊s/10⌋
        long upin = ~((sp10 << 2) - vbl) >>> 63;
        long wpin = ~(vbr - (sp10 + 10 << 2)) >>> 63;
        f ^= (f ^ (sp10 + 10 * wpin)) & -(upin ^ wpin);     // exactly one of sp10, sp10 + 10 inside: it wins
        long seventeen = ~(f - 10_000_000_000_000_000L) >>> 63;
        return digits(f * (10 - 9 * seventeen), k + 16 + (int) seventeen, out, p);
    }

    /** Zero, subnormals, whole numbers and powers of two; NaN and infinities refused. */
    private static int unusual(double v, long bits, byte[] out, int p) {
        long t = bits & T_MASK;
        int bq = (int) (bits >>> (P - 1)) & BQ_MASK;
        if (bq == BQ_MASK) {
            throw new IllegalArgumentException("not a finite number: " + v);
        }
        if (bq != 0) {
            int mq = -Q_MIN + 1 - bq;
            long c = C_MIN | t;
            if (0 < mq && mq < P) {
                long whole = c >> mq;
                if (whole << mq == c) {                      // a whole number below 2^53: its digits are exact
                    return layout(whole, 0, out, p);
                }
            }
            return shortest(-mq, c, 0, out, p);
        }
        if (t != 0) {                                        // subnormal
            return t < C_TINY ? shortest(Q_MIN, 10 * t, -1, out, p) : shortest(Q_MIN, t, 0, out, p);
        }
        out[p] = '0';
        out[p + 1] = '.';
        out[p + 2] = '0';
        return p + 3;
    }

    /** The shortest decimal in the rounding interval of c·2^q (figure 7 of the paper), then its layout. */
    private static int shortest(int q, long c, int dk, byte[] out, int at) {
        int odd = (int) c & 1;
        long cb = c << 2;
        long cbr = cb + 2;
        long cbl;
        int k;
        if (c != C_MIN || q == Q_MIN) {                      // regular spacing of doubles around v
            cbl = cb - 2;
            k = MathUtils.flog10pow2(q);
        } else {                                             // v is a power of two: the interval below is half
            cbl = cb - 1;
            k = MathUtils.flog10threeQuartersPow2(q);
        }
        int h = q + MathUtils.flog2pow10(-k) + 2;
        long g1 = MathUtils.g1(k);
        long g0 = MathUtils.g0(k);
        long vb = roundToOdd(g1, g0, cb << h);
        long vbl = roundToOdd(g1, g0, cbl << h) + odd;
        long vbr = roundToOdd(g1, g0, cbr << h) - odd;
        long s = vb >> 2;
        if (s >= 100) {                                      // try one digit fewer: s' = 10·⌊s/10⌋
            long sp10 = 10 * Math.multiplyHigh(s, 115_292_150_460_684_698L << 4);
            long tp10 = sp10 + 10;
            boolean upin = vbl <= sp10 << 2;
            boolean wpin = tp10 << 2 <= vbr;
            if (upin != wpin) {
                return layout(upin ? sp10 : tp10, k, out, at);
            }
        }
        return layout(closest(s, vb, vbl, vbr), k + dk, out, at);
    }

    /**
     * Of s and s + 1 the one in the interval [vbl, vbr] (bounds already moved in by one when they are out), or,
     * when both are, the closer to vb, ties to even (all four times 4). Chosen with 0/1 bits, not branches (see
     * {@link #write}).
     */
    private static long closest(long s, long vb, long vbl, long vbr) {
        long uin = ~((s << 2) - vbl) >>> 63;                 // s in the interval: vbl ≤ 4s
        long win = ~(vbr - (s + 1 << 2)) >>> 63;             // s + 1 in it: 4(s + 1) ≤ vbr
        long up = -(vb - (s << 2) - 2 + (s & 1)) >>> 63;     // vb − 4s − 2 > 0, or = 0 and s odd: s + 1 is closer
        return s + (up ^ (uin ^ win) & (win ^ up));         // the one inside if only one is, else the closer
    }

    /** cp·g·2^-127 rounded to odd, g = g1·2^63 + g0 (section 9.9 of the paper). */
    private static long roundToOdd(long g1, long g0, long cp) {
        long x1 = Math.multiplyHigh(g0, cp);
        long y0 = g1 * cp;
        long y1 = Math.multiplyHigh(g1, cp);
        long z = (y0 >>> 1) + x1;
        long vbp = y1 + (z >>> 63);
        return vbp | (z & MASK_63) + MASK_63 >>> 63;
    }

    /** Lays out f·10^e (f ≥ 1): its digits made 17 (H) by scaling f. */
    private static int layout(long f, int e, byte[] out, int at) {
        int len = MathUtils.flog10pow2(Long.SIZE - Long.numberOfLeadingZeros(f));
        if (f >= MathUtils.pow10(len)) {
            len++;
        }
        return digits(f * MathUtils.pow10(H - len), e + len, out, at);
    }

    /**
     * Lays out 0.d₁d₂…d₁₇ · 10^point (f = d₁d₂…d₁₇, 10^16 ≤ f < 10^17) as Double.toString does: plain when
     * 10⁻³ ≤ |v| < 10⁷ (at least one digit after the point), else d.dddE±n, trailing zeros dropped. The digits
     * after the first are two groups of eight, each one 8-byte store, put where they go around the point; the
     * trailing zeros are counted from the groups, before the text.
     */
    private static int digits(long f, int point, byte[] out, int at) {
        long hm = Math.multiplyHigh(f, 193_428_131_138_340_668L) >>> 20; // ⌊f / 10^8⌋
        int first = (int) (hm * 1_441_151_881L >>> 57);     // ⌊hm / 10^8⌋: the leading digit
        long mid = eightDigits((int) (hm - 100_000_000 * first));
        long low = eightDigits((int) (f - 100_000_000L * hm));
        // digits after the first up to the last non-zero one (a zero digit is a zero byte, the last one highest)
        int kept = 16 - (low == 0 ? 8 + (Long.numberOfLeadingZeros(mid) >>> 3) : Long.numberOfLeadingZeros(low) >>> 3);
        mid |= ZEROS;
        low |= ZEROS;
        if (0 < point && point <= 7) {                       // ddd.ddd: the point after `point` digits
            out[at] = (byte) ('0' + first);
            LONG.set(out, at + 1, mid);
            out[at + point] = '.';
            LONG.set(out, at + point + 1, mid >>> 8 * (point - 1)); // the rest of mid after the point
            LONG.set(out, at + 10, low);
            return at + 2 + Math.max(kept, point);
        }
        if (-3 < point && point <= 0) {                      // 0.00ddd
            INT.set(out, at, 0x3030_2E30);                   // "0.00", of which 2 - point bytes stay
            int p = at + 2 - point;
            out[p] = (byte) ('0' + first);
            LONG.set(out, p + 1, mid);
            LONG.set(out, p + 9, low);
            return p + 1 + kept;
        }
        return scientific(first, mid, low, kept, point - 1, out, at);
    }

    /** d.dddE±x, the digits after the first as text ({@code mid}, {@code low}), {@code kept} of them shown. */
    private static int scientific(int first, long mid, long low, int kept, int x, byte[] out, int at) {
        out[at] = (byte) ('0' + first);
        out[at + 1] = '.';
        LONG.set(out, at + 2, mid);
        LONG.set(out, at + 10, low);
        int p = at + 2 + Math.max(kept, 1);
        out[p++] = 'E';
        if (x < 0) {
            out[p++] = '-';
            x = -x;
        }
        if (x >= 100) {
            out[p++] = (byte) ('0' + x / 100);
            x %= 100;
            out[p++] = PAIRS[2 * x];
            out[p++] = PAIRS[2 * x + 1];
        } else if (x >= 10) {
            out[p++] = PAIRS[2 * x];
            out[p++] = PAIRS[2 * x + 1];
        } else {
            out[p++] = (byte) ('0' + x);
        }
        return p;
    }

    /**
     * The eight digits of a < 10^8, leading zeros included, as the bytes 0–9 of one long, the first digit in the
     * lowest byte: two 4-digit halves (division by 10^4 as a multiplication by 2^40/10^4, exact in this range),
     * each looked up in {@link #QUADS}. Two loads and five operations; computing the digits in all lanes of a long
     * at once took 16 operations and, in an answer's writing loop, 3 ns a number more (27.6–30.4 against
     * 24.8–27.0 ns for all of a number, large.json's 300,556).
     */
    private static long eightDigits(int a) {
        int hi = (int) (a * 109_951_163L >>> 40);                       // ⌊a / 10^4⌋
        return QUADS[hi] & 0xFFFF_FFFFL | (long) QUADS[a - 10_000 * hi] << 32;
    }
}

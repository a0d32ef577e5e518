package dev.chainrule.system;

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

    private static final byte[] PAIRS = new byte[200];
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    private DoubleText() {
    }

    /**
     * Writes finite {@code v} at {@code out[at]} (room for {@link #MAX_LENGTH} bytes needed) and returns the
     * position after it.
     *
     * @throws IllegalArgumentException for NaN or an infinity (JSON has no text for them)
     */
    public static int write(double v, byte[] out, int at) {
        long bits = Double.doubleToRawLongBits(v);
        long t = bits & T_MASK;
        int bq = (int) (bits >>> (P - 1)) & BQ_MASK;
        if (bq == BQ_MASK) {
            throw new IllegalArgumentException("not a finite number: " + v);
        }
        int p = at;
        if (bits < 0) {
            out[p++] = '-';
        }
        if (bq != 0) {
            int mq = -Q_MIN + 1 - bq;                        // |v| = c·2^-mq
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
        long vbl = roundToOdd(g1, g0, cbl << h);
        long vbr = roundToOdd(g1, g0, cbr << h);
        long s = vb >> 2;
        if (s >= 100) {                                      // try one digit fewer: s' = 10·⌊s/10⌋
            long sp10 = 10 * Math.multiplyHigh(s, 115_292_150_460_684_698L << 4);
            long tp10 = sp10 + 10;
            boolean upin = vbl + odd <= sp10 << 2;
            boolean wpin = (tp10 << 2) + odd <= vbr;
            if (upin != wpin) {
                return layout(upin ? sp10 : tp10, k, out, at);
            }
        }
        long up = s + 1;
        boolean uin = vbl + odd <= s << 2;
        boolean win = (up << 2) + odd <= vbr;
        if (uin != win) {
            return layout(uin ? s : up, k + dk, out, at);
        }
        long cmp = vb - (s + up << 1);                       // both in the interval: the closer, ties to even
        return layout(cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : up, k + dk, out, at);
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

    /**
     * Lays out f·10^e (f ≥ 1) as Double.toString does: plain when 10⁻³ ≤ |v| < 10⁷ (at least one digit after the
     * point), else d.dddE±n. The digits are made 17 (H) by scaling f, written, and trailing zeros dropped.
     */
    private static int layout(long f, int e, byte[] out, int at) {
        int len = MathUtils.flog10pow2(Long.SIZE - Long.numberOfLeadingZeros(f));
        if (f >= MathUtils.pow10(len)) {
            len++;
        }
        f *= MathUtils.pow10(H - len);                       // 10^16 ≤ f < 10^17
        int point = e + len;                                 // v = 0.d₁d₂…d₁₇ · 10^point
        long hm = Math.multiplyHigh(f, 193_428_131_138_340_668L) >>> 20; // ⌊f / 10^8⌋
        int low = (int) (f - 100_000_000L * hm);
        int first = (int) (hm * 1_441_151_881L >>> 57);     // ⌊hm / 10^8⌋: the leading digit
        int mid = (int) (hm - 100_000_000 * first);
        int p;
        if (0 < point && point <= 7) {                       // ddd.ddd
            out[at] = (byte) ('0' + first);
            eightDigits(mid, out, at + 1);
            eightDigits(low, out, at + 9);
            System.arraycopy(out, at + point, out, at + point + 1, H - point);
            out[at + point] = '.';
            return dropZeros(out, at + H + 1, at + point + 2);
        }
        if (-3 < point && point <= 0) {                      // 0.00ddd
            out[at] = '0';
            out[at + 1] = '.';
            p = at + 2;
            for (int i = point; i < 0; i++) {
                out[p++] = '0';
            }
            out[p] = (byte) ('0' + first);
            eightDigits(mid, out, p + 1);
            eightDigits(low, out, p + 9);
            return dropZeros(out, p + H, p + 1);
        }
        out[at] = (byte) ('0' + first);                      // d.dddE±x
        out[at + 1] = '.';
        eightDigits(mid, out, at + 2);
        eightDigits(low, out, at + 10);
        p = dropZeros(out, at + H + 1, at + 3);
        out[p++] = 'E';
        int x = point - 1;
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

    /** Drops the zeros before {@code end}, keeping at least up to {@code keep}; the new end. */
    private static int dropZeros(byte[] out, int end, int keep) {
        int p = end;
        while (p > keep && out[p - 1] == '0') {
            p--;
        }
        return p;
    }

    /**
     * The eight digits of a < 10^8, leading zeros included, as one 8-byte store: the number is split into two
     * 4-digit halves, each half into two 2-digit quarters, each quarter into two digits, all lanes at once in one
     * long (division by 10^4, 100 and 10 as multiplications by 2^40/10^4, 2^20/100 and 2^10/10, exact in these
     * ranges), the first digit in the lowest byte.
     */
    private static void eightDigits(int a, byte[] out, int at) {
        long hi = a * 109_951_163L >>> 40;                               // ⌊a / 10^4⌋
        long halves = hi | (a - 10_000 * hi) << 32;
        long tens = (halves * 10_486 >>> 20) & 0x0000_007F_0000_007FL;   // ⌊half / 100⌋ in each half
        long quarters = tens | (halves - 100 * tens) << 16;
        long tenths = (quarters * 103 >>> 10) & 0x000F_000F_000F_000FL;  // ⌊quarter / 10⌋ in each quarter
        long digits = tenths | (quarters - 10 * tenths) << 8;
        LONG.set(out, at, digits | 0x3030_3030_3030_3030L);
    }
}

package dev.chainrule.render;

import dev.chainrule.engine.NonFiniteException;
import dev.chainrule.engine.Tensor;
import dev.chainrule.errors.FieldError;
import dev.chainrule.errors.InvalidRequestException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How numbers are shown: the {@code digits} query parameter rounds every number of an answer to that many
 * significant digits (JSON included); without it JSON keeps full double precision and text and LaTeX show
 * {@value #TEXT_DEFAULT} significant digits.
 */
public final class Numbers {

    public static final int MIN_DIGITS = 1;
    public static final int MAX_DIGITS = 17;
    static final int TEXT_DEFAULT = 6;

    private final Integer digits;

    private Numbers(Integer digits) {
        this.digits = digits;
    }

    public static final Numbers FULL = new Numbers(null);

    /** Reads the {@code digits} query parameter (null: not given). */
    public static Numbers of(String digits) {
        if (digits == null) {
            return FULL;
        }
        int d;
        try {
            d = Integer.parseInt(digits.trim());
        } catch (NumberFormatException e) {
            d = -1;
        }
        if (d < MIN_DIGITS || d > MAX_DIGITS) {
            throw new InvalidRequestException(List.of(new FieldError("digits",
                    "expected a whole number of significant digits from " + MIN_DIGITS + " to " + MAX_DIGITS
                            + ", but got \"" + (digits.length() > 20 ? digits.substring(0, 17) + "…" : digits) + "\"")));
        }
        return new Numbers(d);
    }

    public boolean rounds() {
        return digits != null;
    }

    /** v rounded to the requested significant digits (unchanged without {@code digits}). */
    public double round(double v) {
        return digits == null ? v : round(v, digits);
    }

    /**
     * Every entry rounded; an entry below 10⁻ᵈⁱᵍⁱᵗˢ of the tensor's largest magnitude is floating-point residue
     * at that precision (2.776e-17 beside 0.5) and is written 0.
     */
    public Tensor round(Tensor t) {
        if (digits == null) {
            return t;
        }
        double largest = 0;
        for (int i = 0; i < t.size(); i++) {
            double v = Math.abs(t.get(i));
            largest = Double.isFinite(v) ? Math.max(largest, v) : largest; // a mask's −∞ leaves the rest as they are
        }
        double floor = largest * Math.pow(10, -digits);
        return t.map(v -> Math.abs(v) < floor ? 0.0 : round(v, digits));
    }

    /**
     * Every value of {@code values} rounded; {@code section} names them in an error ({@code forward} gives
     * {@code forward.z}).
     *
     * @throws NonFiniteException when a value rounds past the largest double (1.8e308 to one digit is 2e308)
     */
    public Map<String, Tensor> round(String section, Map<String, Tensor> values) {
        if (values == null || digits == null) {
            return values;
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, round(section + "." + k, v)));
        return out;
    }

    /** {@link #round(Tensor)}, naming {@code quantity} when a value rounds past the largest double. */
    public Tensor round(String quantity, Tensor t) {
        Tensor r = round(t);
        if (r != t && roundedPastLargest(t, r)) {
            throw new NonFiniteException(quantity, quantity + " rounded to " + digits + " significant digit"
                    + (digits == 1 ? "" : "s") + " is beyond the largest double (about 1.8e308): ask for more digits.");
        }
        return r;
    }

    /** True when an entry finite in {@code t} is infinite in {@code r} (an infinity given stays one). */
    private static boolean roundedPastLargest(Tensor t, Tensor r) {
        for (int i = 0; i < t.size(); i++) {
            if (Double.isFinite(t.get(i)) && !Double.isFinite(r.get(i))) {
                return true;
            }
        }
        return false;
    }

    public static double round(double v, int digits) {
        if (v == 0 || !Double.isFinite(v)) {
            return v == 0 ? 0.0 : v;
        }
        double r = new BigDecimal(v).round(new MathContext(digits, RoundingMode.HALF_EVEN)).doubleValue();
        return r == 0 ? 0.0 : r;
    }

    /** v for a person: {@code 0.586609}, {@code -2}, {@code 1.5e-9}; ASCII minus so it can be copied. */
    public String text(double v) {
        return text(v, digits == null ? TEXT_DEFAULT : digits);
    }

    /**
     * v to {@code d} significant digits for a person: plain from 10⁻⁴ to 10⁷, else {@code 1.5e-9}; never more than
     * {@code d} digits, however large or small v is.
     */
    public static String text(double v, int d) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "NaN" : v > 0 ? "∞" : "-∞";
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal b = new BigDecimal(v).round(new MathContext(d, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        double abs = Math.abs(b.doubleValue());
        if (abs >= 1e-4 && abs < 1e7) {
            return b.toPlainString();
        }
        // scientific: mantissa e exponent
        int exponent = b.precision() - b.scale() - 1;
        BigDecimal mantissa = b.movePointLeft(exponent).stripTrailingZeros();
        return mantissa.toPlainString() + "e" + exponent;
    }

    /** v in LaTeX: {@code 1.5 \times 10^{-9}} for the scientific form. */
    public String latex(double v) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "\\infty" : "-\\infty";
        }
        String t = text(v);
        int e = t.indexOf('e');
        return e < 0 ? t : t.substring(0, e) + " \\times 10^{" + t.substring(e + 1) + "}";
    }
}

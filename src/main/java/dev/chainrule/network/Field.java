package dev.chainrule.network;

import java.util.Collection;
import java.util.List;

/**
 * A value of the request, as a layer or a loss reads it: where it is ({@code network.layers[1].W}), what it holds,
 * and the readings every kind shares (a number, a vector, a matrix), each of which reports what is wrong at the
 * value's path and answers null. The reader of the request implements it over the JSON tree, so the kinds stay
 * plain Java and each kind's reading is in its own file. Nothing is coerced: {@code "1.5"} is not a number.
 */
public interface Field {

    /** The path as the user wrote it: {@code network.layers[1].W[2]}; "" for the body. */
    String path();

    /** False when the field is absent. */
    boolean present();

    boolean isNull();

    boolean isNumber();

    /** A number written without a fraction or exponent: {@code 2}, not {@code 2.0}. */
    boolean isIntegral();

    boolean isString();

    boolean isArray();

    boolean isObject();

    /** Entries of an array, members of an object, else 0. */
    int size();

    /** Entry {@code i} of an array (absent past its end). */
    Field at(int i);

    /** Member {@code name} of an object (absent when it has none). */
    Field at(String name);

    /** The object's member names, in the order written. */
    List<String> names();

    /** The number's value (for a number). */
    double number();

    /** True for a whole number that fits an int. */
    boolean isInt();

    /** The string's value (for a string), else null. */
    String string();

    /** As the user wrote it, shortened for a message: {@code 1.5}, {@code "abc"}, {@code [1, 2]}. */
    String text();

    /** What it is, for a message: {@code a number}, {@code a string}, {@code a list}. */
    String kind();

    /** What it is and holds, for a message: {@code the string "abc"}, {@code the number 1.5}. */
    String describe();

    /** Reports {@code message} at this value's path. */
    void error(String message);

    /** Reports {@code message} at {@code path} below the body (for a field a kind reads elsewhere: {@code words[2]}). */
    void errorAt(String path, String message);

    /**
     * Reports each member of this object that is not {@code known}, with the nearest known name when one is close:
     * {@code unknown field "w" (did you mean "W"?): <hint>}.
     */
    void only(Collection<String> known, String hint);

    /** {@code unknown activation "sigmoud" (did you mean "sigmoid"?): expected one of …} for this value. */
    String unknown(String what, List<String> choices);

    /** A finite number, or null after reporting why not ({@code missing: expected a number} when absent). */
    Double readNumber();

    /** A non-empty flat list of finite numbers, or null after reporting why not. */
    double[] readVector();

    /** A non-empty list of equally long rows of finite numbers, or null after reporting why not. */
    double[][] readMatrix();

    /** A non-empty list of vectors ({@code what} names them: "input vectors"), or null after reporting why not. */
    double[][] readRows(String what);
}

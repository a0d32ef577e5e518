package dev.chainrule.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The did-you-mean rule: a near miss for its length, another case or separator, never a far-fetched one. */
class NamesTest {

    private static final List<String> ACTIVATIONS = List.of("identity", "relu", "leaky_relu", "sigmoid", "tanh",
            "hardtanh", "softplus", "gelu", "silu", "softmax");

    @Test
    void aTypoInALongNameIsSuggested() {
        assertEquals("sigmoid", Names.closest("sigmoud", ACTIVATIONS));
        assertEquals("answers", Names.closest("answer", List.of("problem", "answers", "tolerance", "reveal")));
        assertEquals("digits", Names.closest("digit", List.of("digits")));
        assertEquals("learning_rate", Names.closest("learningrate", List.of("learning_rate", "steps")));
    }

    @Test
    void anotherCaseOrSeparatorIsTheSameName() {
        assertEquals("relu", Names.closest("ReLU", ACTIVATIONS));
        assertEquals("sigmoid", Names.closest("Sigmoid", ACTIVATIONS));
        assertEquals("leaky_relu", Names.closest("LeakyReLU", ACTIVATIONS));
        assertEquals("leaky_relu", Names.closest("leaky-relu", ACTIVATIONS));
        assertEquals("W", Names.closest("w", List.of("type", "W", "b", "activation", "alpha")));
    }

    @Test
    void aShortNameIsNeverMatchedToAnotherShortName() {
        assertNull(Names.closest("w", List.of("type", "b", "activation", "alpha")));
        assertNull(Names.closest("lr", List.of("network", "x", "batch", "loss", "reduction", "learning_rate", "steps")));
        assertNull(Names.closest("xx", List.of("x", "batch")));
        assertNull(Names.closest("foo", ACTIVATIONS));
    }

    @Test
    void theCaseHintSaysNamesAreCaseSensitive() {
        assertEquals(" (did you mean \"relu\"?; names are case-sensitive)", Names.didYouMean("RELU", ACTIVATIONS));
        assertEquals(" (did you mean \"sigmoid\"?)", Names.didYouMean("sigmoud", ACTIVATIONS));
        assertEquals("", Names.didYouMean("banana", ACTIVATIONS));
    }
}

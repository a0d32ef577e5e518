package dev.chainrule.gradients;

/** Request bodies shared by the tests. */
final class Examples {

    /** The contract's running example, CS224N lecture 3. */
    static final String RUNNING_EXAMPLE = """
            {"network": {"layers": [
               {"type": "dense", "W": [[0.1, 0.2, 0.3, 0.4, 0.5], [-0.5, 0.4, -0.3, 0.2, -0.1], [0.05, 0.0, -0.05, 0.1, 0.2]],
                "b": [0.1, -0.1, 0.0], "activation": "sigmoid"},
               {"type": "score", "u": [1.0, -2.0, 0.5]}]},
             "x": [1, 2, 3, 4, 5],
             "loss": {"type": "score"}}
            """;

    private Examples() {
    }
}

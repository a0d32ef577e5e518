package dev.chainrule.network;

import org.apache.commons.math3.linear.RealMatrix;

/** A layer of the network, applied in order to the input. */
public sealed interface Layer permits Layer.Dense, Layer.Score {

    /** Entries of the layer's input. */
    int inputSize();

    /** Entries of the layer's output. */
    int outputSize();

    /** Number of trainable parameters. */
    int parameterCount();

    /**
     * z = W·in + b, h = f(z). {@code bias} is null when the layer has none (then it has no gradient either).
     *
     * @param weights W, of outputs × inputs
     */
    record Dense(RealMatrix weights, double[] bias, Activation activation, double alpha) implements Layer {

        public Dense {
            if (bias != null && bias.length != weights.getRowDimension()) {
                throw new IllegalArgumentException("b has " + bias.length + " entries but W has " + weights.getRowDimension() + " rows");
            }
            bias = bias == null ? null : bias.clone();
        }

        @Override
        public double[] bias() {
            return bias == null ? null : bias.clone();
        }

        boolean hasBias() {
            return bias != null;
        }

        double biasAt(int i) {
            return bias[i];
        }

        @Override
        public int inputSize() {
            return weights.getColumnDimension();
        }

        @Override
        public int outputSize() {
            return weights.getRowDimension();
        }

        @Override
        public int parameterCount() {
            return weights.getRowDimension() * weights.getColumnDimension() + (bias == null ? 0 : bias.length);
        }
    }

    /** s = uᵀ·in, a scalar. Only as the last layer. */
    record Score(double[] u) implements Layer {

        public Score {
            u = u.clone();
        }

        @Override
        public double[] u() {
            return u.clone();
        }

        double uAt(int i) {
            return u[i];
        }

        @Override
        public int inputSize() {
            return u.length;
        }

        @Override
        public int outputSize() {
            return 1;
        }

        @Override
        public int parameterCount() {
            return u.length;
        }
    }
}

package dev.chainrule.network;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every activation's local Jacobian and every loss's derivative against central finite differences. */
class LocalDerivativeTest {

    private static final double EPS = 1e-6;
    private static final double TOLERANCE = 1e-6;

    @ParameterizedTest
    @EnumSource(Activation.class)
    void localJacobianMatchesCentralDifferences(Activation f) {
        Random random = new Random(42 + f.ordinal());
        double alpha = 0.13;
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + random.nextInt(5);
            double[] z = new double[n];
            for (int i = 0; i < n; i++) {
                z[i] = awayFromKinks(random.nextGaussian() * 3);
            }
            double[] h = new double[n];
            f.forward(z, h, alpha);
            double[][] jacobian = f.jacobian(z, h, alpha);
            for (int j = 0; j < n; j++) {
                double[] plus = z.clone();
                double[] minus = z.clone();
                plus[j] += EPS;
                minus[j] -= EPS;
                double[] hp = new double[n];
                double[] hm = new double[n];
                f.forward(plus, hp, alpha);
                f.forward(minus, hm, alpha);
                for (int i = 0; i < n; i++) {
                    double numeric = (hp[i] - hm[i]) / (2 * EPS);
                    assertClose(f + " ∂h" + i + "/∂z" + j + " at " + z[j], jacobian[i][j], numeric);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void backwardIsUpstreamTimesLocalJacobian(Activation f) {
        Random random = new Random(7 + f.ordinal());
        int n = 4;
        double[] z = {0.3, -1.2, 2.5, -0.4};
        double[] h = new double[n];
        f.forward(z, h, 0.2);
        double[] upstream = new double[n];
        for (int i = 0; i < n; i++) {
            upstream[i] = random.nextGaussian();
        }
        double[] downstream = new double[n];
        f.backward(z, h, upstream, downstream, 0.2);
        double[][] jacobian = f.jacobian(z, h, 0.2);
        for (int j = 0; j < n; j++) {
            double product = 0;
            for (int i = 0; i < n; i++) {
                product += upstream[i] * jacobian[i][j];
            }
            assertClose(f + " (g·J)" + j, product, downstream[j]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"squared_error", "softmax_cross_entropy", "binary_cross_entropy", "max_margin", "score"})
    void lossDerivativeMatchesCentralDifferences(String name) {
        Random random = new Random(name.hashCode());
        for (int trial = 0; trial < 50; trial++) {
            int width = name.equals("squared_error") || name.equals("softmax_cross_entropy") ? 1 + random.nextInt(5) : 1;
            double[] out = new double[width];
            for (int i = 0; i < width; i++) {
                out[i] = random.nextGaussian() * 4;
            }
            double corrupt = random.nextGaussian();
            Loss loss = loss(name, width, random, out, corrupt);
            double[] gradient = new double[width];
            loss.gradient(out, 0, corrupt, gradient);
            for (int i = 0; i < width; i++) {
                double[] plus = out.clone();
                double[] minus = out.clone();
                plus[i] += EPS;
                minus[i] -= EPS;
                double numeric = (loss.value(plus, 0, corrupt) - loss.value(minus, 0, corrupt)) / (2 * EPS);
                assertClose(name + " ∂J/∂ŷ" + i, gradient[i], numeric);
            }
        }
    }

    /** The coursework losses, each a composite of the engine's ops: ∂J/∂ŷ against central differences of J. */
    @ParameterizedTest
    @ValueSource(doubles = {0, 1, 2.5})
    void multiclassSvmDerivativeMatchesCentralDifferencesAwayFromItsKinks(double margin) {
        Random random = new Random(17 + (long) (margin * 10));
        for (int trial = 0; trial < 50; trial++) {
            int width = 2 + random.nextInt(4);
            int y = random.nextInt(width);
            double[] out = new double[width];
            for (int i = 0; i < width; i++) {
                out[i] = random.nextGaussian() * 3;
            }
            MulticlassSvm loss = new MulticlassSvm(new int[] {y}, margin);
            if (!loss.kinks(out, 0, 0, 1e-3).isEmpty()) {
                continue;
            }
            double[] gradient = gradientAgainstCentralDifferences("svm", loss, out);
            double count = 0;
            for (int i = 0; i < width; i++) {
                count += i != y && out[i] - out[y] + margin > 0 ? 1 : 0;
            }
            // CS231n: 1 for each class whose margin is violated, minus their count at the true class
            assertClose("svm ∂J/∂ŷ_y", -count, gradient[y]);
        }
    }

    @org.junit.jupiter.api.Test
    void aMulticlassSvmMarginOfExactlyZeroPassesNoGradientAndIsAKink() {
        // ŷ_1 − ŷ_0 + 1 = 0.5 − 1.5 + 1 = 0 exactly; ŷ_2 − ŷ_0 + 1 = 0.75 > 0
        MulticlassSvm loss = new MulticlassSvm(new int[] {0}, 1.0);
        double[] out = {1.5, 0.5, 1.25};
        double[] g = new double[3];
        loss.gradient(out, 0, 0, g);
        assertTrue(java.util.Arrays.equals(new double[] {-1, 0, 1}, g), java.util.Arrays.toString(g));
        assertTrue(loss.value(out, 0, 0) == 0.75);
        assertTrue(loss.kinks(out, 0, 0, 0).size() == 1 && loss.kinks(out, 0, 0, 0).get(0).quantity().equals("ŷ[1] − ŷ[0] + margin"),
                loss.kinks(out, 0, 0, 0).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mse"})
    void courseworkLossDerivativeMatchesCentralDifferences(String name) {
        Random random = new Random(name.hashCode());
        for (int trial = 0; trial < 50; trial++) {
            int width = 1 + random.nextInt(5);
            double[] out = new double[width];
            double[] y = new double[width];
            for (int i = 0; i < width; i++) {
                out[i] = random.nextGaussian() * 4;
                y[i] = random.nextGaussian();
            }
            Loss loss = new Mse(new double[][] {y});
            double[] gradient = gradientAgainstCentralDifferences(name, loss, out);
            for (int i = 0; i < width; i++) {
                // F.mse_loss: mean of the squares, so ∂J/∂ŷᵢ = 2(ŷᵢ − yᵢ)/n
                assertClose(name + " 2(ŷ − y)/n at " + i, 2 * (out[i] - y[i]) / width, gradient[i]);
            }
        }
    }

    /** ∂J/∂ŷ of one example as the loss computes it, each entry checked against central differences of J. */
    private static double[] gradientAgainstCentralDifferences(String name, Loss loss, double[] out) {
        double[] gradient = new double[out.length];
        loss.gradient(out, 0, 0, gradient);
        for (int i = 0; i < out.length; i++) {
            double[] plus = out.clone();
            double[] minus = out.clone();
            plus[i] += EPS;
            minus[i] -= EPS;
            assertClose(name + " ∂J/∂ŷ" + i, gradient[i], (loss.value(plus, 0, 0) - loss.value(minus, 0, 0)) / (2 * EPS));
        }
        return gradient;
    }

    @ParameterizedTest
    @ValueSource(doubles = {-800, -40, 40, 800})
    void crossEntropiesStayFiniteForLargeLogits(double logit) {
        BinaryCrossEntropy bce = new BinaryCrossEntropy(new double[] {0.3});
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy(new double[][] {{0, 1}});
        double[] g = new double[2];
        assertTrue(Double.isFinite(bce.value(new double[] {logit}, 0, 0)));
        assertTrue(Double.isFinite(ce.value(new double[] {logit, -logit}, 0, 0)));
        ce.gradient(new double[] {logit, -logit}, 0, 0, g);
        assertTrue(Double.isFinite(g[0]) && Double.isFinite(g[1]));
    }

    private static Loss loss(String name, int width, Random random, double[] out, double corrupt) {
        switch (name) {
            case "squared_error": {
                double[] y = new double[width];
                for (int i = 0; i < width; i++) {
                    y[i] = random.nextGaussian();
                }
                return new SquaredError(new double[][] {y});
            }
            case "softmax_cross_entropy": {
                double[] y = new double[width];
                double sum = 0;
                for (int i = 0; i < width; i++) {
                    y[i] = random.nextDouble();
                    sum += y[i];
                }
                for (int i = 0; i < width; i++) {
                    y[i] /= sum;
                }
                return new SoftmaxCrossEntropy(new double[][] {y});
            }
            case "binary_cross_entropy":
                return new BinaryCrossEntropy(new double[] {random.nextDouble()});
            case "max_margin": {
                // keep the hinge away from its kink at margin − s + s_c = 0
                double margin = 1.0;
                if (Math.abs(margin - out[0] + corrupt) < 1e-3) {
                    out[0] += 0.01;
                }
                return new MaxMargin(new double[][] {{0}}, margin);
            }
            default:
                return new ScoreLoss();
        }
    }

    /** Moves z off the kinks of relu, leaky_relu and hardtanh (0 and ±1). */
    static double awayFromKinks(double z) {
        for (double kink : new double[] {0, 1, -1}) {
            if (Math.abs(z - kink) < 1e-3) {
                return z + 0.01;
            }
        }
        return z;
    }

    static void assertClose(String what, double analytic, double numeric) {
        double error = Math.abs(analytic - numeric) / Math.max(1e-8, Math.max(Math.abs(analytic), Math.abs(numeric)));
        assertTrue(error < TOLERANCE || Math.abs(analytic - numeric) < 1e-9,
                what + ": analytic " + analytic + " vs numeric " + numeric + " (relative error " + error + ")");
    }
}

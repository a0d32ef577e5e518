package dev.chainrule.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.chainrule.render.Numbers;
import dev.chainrule.gradients.ProblemReader;
import dev.chainrule.gradients.Warnings;
import dev.chainrule.network.GradientEngine;
import dev.chainrule.network.Layer;
import dev.chainrule.network.Problem;
import dev.chainrule.engine.Tensor;
import dev.chainrule.network.Trainer;
import dev.chainrule.budget.CostModel;
import dev.chainrule.http.Work;
import dev.chainrule.errors.FieldError;
import dev.chainrule.errors.FieldErrors;
import dev.chainrule.errors.InvalidRequestException;
import dev.chainrule.errors.LimitExceededException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/train}: gradient descent on a network, a batch, its targets and loss. Answers the loss curve,
 * the trained parameters (also as a network that can be posted again) and the final forward values.
 */
@RestController
class TrainingController {

    /** A training body: the problem's fields (no options) and the training's own. */
    private static final List<String> FIELDS = List.of("network", "x", "batch", "loss", "reduction", "regularization", "learning_rate",
            "steps", "batch_size", "seed");

    private final ProblemReader reader;
    private final Trainer trainer;
    private final TrainingProperties properties;

    TrainingController(ProblemReader reader, GradientEngine engine, TrainingProperties properties) {
        this.reader = reader;
        this.trainer = new Trainer(engine);
        this.properties = properties;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TrainingResponse(
            @JsonProperty("loss_curve") double[] lossCurve,
            @JsonProperty("final_loss") double finalLoss,
            Map<String, Tensor> parameters,
            Map<String, Object> network,
            Map<String, Tensor> forward,
            @JsonProperty("learning_rate") double learningRate,
            int steps,
            @JsonProperty("batch_size") Integer batchSize,
            long seed,
            List<String> warnings) {
    }

    @PostMapping(path = "/v1/train", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    Work train(@RequestBody JsonNode body, @RequestParam(name = "digits", required = false) String digits) {
        Numbers numbers = Numbers.of(digits);
        List<FieldError> errors = new FieldErrors();
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException(List.of(new FieldError("",
                    "expected a JSON object with network, batch (or x), loss, learning_rate and steps")));
        }
        Double learningRate = null;
        JsonNode lr = body.get("learning_rate");
        if (lr == null) {
            errors.add(new FieldError("learning_rate", "missing: expected the learning rate α, a number above 0"));
        } else if (!lr.isNumber() || !Double.isFinite(lr.doubleValue()) || !(lr.doubleValue() > 0)) {
            errors.add(new FieldError("learning_rate", "expected a number above 0, but got " + lr));
        } else {
            learningRate = lr.doubleValue();
        }
        Integer steps = wholeNumber(body, "steps", 1, errors, true);
        Integer batchSize = wholeNumber(body, "batch_size", 1, errors, false);
        long seed = 0;
        JsonNode s = body.get("seed");
        if (s != null) {
            if (!s.isIntegralNumber() || !s.canConvertToLong()) {
                errors.add(new FieldError("seed", "expected a whole number, but got " + s));
            } else {
                seed = s.longValue();
            }
        }
        JsonNode problemBody = body;
        if (body.has("options")) {
            errors.add(new FieldError("options", "training takes no options: ask /v1/gradients for steps, LaTeX and checks"));
            ObjectNode copy = ((ObjectNode) body).deepCopy();
            copy.remove("options");
            problemBody = copy;
        }
        Problem problem = null;
        try {
            problem = reader.read(problemBody, "", FIELDS).problem();
        } catch (InvalidRequestException e) {
            errors.addAll(e.errors());
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        if (batchSize != null && batchSize > problem.examples()) {
            throw new InvalidRequestException(List.of(new FieldError("batch_size",
                    "is " + batchSize + " but the batch has only " + problem.examples() + " examples")));
        }
        if (steps > properties.maxSteps()) {
            throw new LimitExceededException("chainrule.training.max-steps", properties.maxSteps(), steps, "steps",
                    "a training of steps");
        }
        Trainer.Settings settings = new Trainer.Settings(learningRate, steps, batchSize, seed);
        Problem p = problem;
        Integer size = batchSize;
        double alpha = learningRate;
        long chosenSeed = seed;
        List<String> warnings = Warnings.of(problem).isEmpty() ? null : Warnings.of(problem);
        return Work.json(CostModel.training(problem, steps, batchSize, numbers.rounds()), "steps", "this training",
                deadline -> {
                    Trainer.Result r = trainer.train(p, settings, deadline);
                    double[] curve = r.lossCurve().clone();
                    for (int i = 0; i < curve.length; i++) {
                        curve[i] = numbers.round(curve[i]);
                    }
                    return new TrainingResponse(curve, curve[curve.length - 1], numbers.round("parameters", r.parameters()),
                            network(r.layers(), numbers), numbers.round("forward", r.answer().forward()), alpha, steps, size,
                            chosenSeed, warnings);
                });
    }

    private static Integer wholeNumber(JsonNode body, String field, int min, List<FieldError> errors, boolean required) {
        JsonNode v = body.get(field);
        if (v == null) {
            if (required) {
                errors.add(new FieldError(field, "missing: expected a whole number of at least " + min));
            }
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min) {
            errors.add(new FieldError(field, "expected a whole number of at least " + min + ", but got " + v));
            return null;
        }
        return v.intValue();
    }

    /** The trained network, in the request's form (each layer's own), so it can be posted again. */
    private static Map<String, Object> network(List<Layer> layers, Numbers numbers) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Layer layer : layers) {
            Map<String, Object> l = new LinkedHashMap<>();
            layer.wire().forEach((field, value) -> l.put(field, value instanceof Tensor t ? numbers.round("network", t) : value));
            out.add(l);
        }
        return Map.of("layers", out);
    }
}

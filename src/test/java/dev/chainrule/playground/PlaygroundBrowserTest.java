package dev.chainrule.playground;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The playground in a real browser: opening on the running example, stepping, editing, errors, grading, shared links,
 * graph mode, the functions' spelling and the keyboard.
 */
class PlaygroundBrowserTest extends BrowserTest {

    // ---- the playground -----------------------------------------------------------------------------------------

    @Test
    void opensOnTheRunningExampleComputedWithoutConsoleErrors() {
        open("");
        JsonPath expected = gradients(example(), 4);
        assertThat(number("J")).isEqualTo(expected.getDouble("forward.J"));
        assertThat(vector("z")).containsExactlyElementsOf(expected.getList("gradients.z", Double.class));
        // the lecture's picture: five inputs, three hidden units, s and J, each with its value and gradient
        assertThat(driver.findElements(By.cssSelector("#diagram .node"))).hasSize(5 + 3 + 1 + 1);
        assertThat(text("#diagram .node:nth-child(6) .value")).isEqualTo(str(expected.getDouble("forward.h[0]")));
        assertThat(text("#diagram .node:nth-child(6) .grad")).isEqualTo("δ " + str(expected.getDouble("gradients.z[0]")));
        assertThat(consoleErrors()).as("console errors on load").isEmpty();
        screenshot("playground.png");
    }

    @Test
    void katexRenderedEveryStep() {
        open("");
        int steps = gradients(example(), 4).getList("steps").size();
        List<WebElement> items = driver.findElements(By.cssSelector("#steps li"));
        assertThat(items).hasSize(steps);
        for (WebElement item : items) {
            assertThat(item.findElements(By.cssSelector(".katex"))).as(item.getText()).isNotEmpty();
        }
        assertThat(driver.findElements(By.cssSelector(".katex-error"))).isEmpty();
        click("#view-values");
        assertThat(driver.findElements(By.cssSelector("#values .katex"))).hasSizeGreaterThan(8);
        assertThat(driver.findElements(By.cssSelector(".katex-error"))).isEmpty();
    }

    @Test
    void theBackwardPassStepsAcrossTheDrawing() {
        open("");
        click("[data-step='first']");
        assertThat(gradientsDrawn()).as("before the backward pass only J has its gradient").containsExactly("1");
        click("#steps li[data-gradient='z'] .go");
        assertThat(text("#step-caption")).startsWith("step 4 of 7: ∂J/∂z");
        // δ has reached the hidden units; ∂J/∂x (the last step) has not reached the inputs yet
        assertThat(gradientsDrawn()).containsExactly("δ 0.003671", "δ -0.4805", "δ 0.08415", "1", "1");
        assertThat(driver.findElements(By.cssSelector("#steps li.pending"))).hasSize(3);
        click("[data-step='last']");
        assertThat(gradientsDrawn()).hasSize(5 + 3 + 1 + 1);
    }

    private List<String> gradientsDrawn() {
        return driver.findElements(By.cssSelector("#diagram .node .grad")).stream()
                .map(WebElement::getText).filter(t -> !t.isEmpty()).toList();
    }

    @Test
    void theTextDerivationIsOneClickAway() {
        open("");
        String derivation = api().contentType(ContentType.JSON).accept(ContentType.TEXT).queryParam("digits", 4)
                .body(example().toString()).when().post("/v1/gradients").then().statusCode(200).extract().asString();
        click("#view-text");
        wait.until(d -> derivation.equals(d.findElement(By.id("text")).getAttribute("textContent")));
        assertThat(driver.getCurrentUrl()).contains("view=text");
    }

    @Test
    void editingOneWeightRecomputes() {
        open("");
        ObjectNode problem = example();
        ((ArrayNode) problem.at("/network/layers/0/W/0")).set(0, 0.9);
        double before = number("J");
        type(field("network.layers[0].W"), matrixText(problem.at("/network/layers/0/W")));
        double expected = gradients(problem, 4).getDouble("forward.J");
        assertThat(expected).isNotEqualTo(before);
        wait.until(d -> number("J") == expected);
        assertThat(vector("z")).containsExactlyElementsOf(gradients(problem, 4).getList("gradients.z", Double.class));
    }

    @Test
    void aMalformedEditShowsTheServicesErrorBesideItsField() {
        open("");
        ObjectNode problem = example();
        WebElement w = field("network.layers[0].W");
        type(w, matrixText(problem.at("/network/layers/0/W")).replaceFirst("0\\.3", "abc"));
        ((ArrayNode) problem.at("/network/layers/0/W/0")).set(2, "abc");
        JsonPath error = raw().contentType(ContentType.JSON).body(problem.toString())
                .post("/v1/gradients").then().statusCode(400).extract().jsonPath();
        String path = error.getString("errors[0].path");
        assertThat(path).isEqualTo("network.layers[0].W[0][2]");
        By slot = By.cssSelector("[data-path='network.layers[0].W'] > .field-error");
        wait.until(ExpectedConditions.visibilityOfElementLocated(slot));
        assertThat(driver.findElement(slot).getText()).isEqualTo(path + ": " + error.getString("errors[0].message"));
        assertThat(w.getAttribute("aria-invalid")).isEqualTo("true");
        screenshot("playground-error.png");

        type(w, matrixText(example().at("/network/layers/0/W")));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(slot));
    }

    @Test
    void gradeModeDiagnosesATransposedAnswerWithoutRevealing() {
        open("#mode=grade&ask=b,W");
        WebElement answer = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-path='answers.b'] textarea")));
        type(answer, "[[0.00367, -0.4805, 0.08415]]");
        click("#grade-submit");
        By diagnosis = By.cssSelector("[data-path='answers.b'] .diagnosis");
        wait.until(ExpectedConditions.visibilityOfElementLocated(diagnosis));
        assertThat(driver.findElement(diagnosis).getText()).isEqualTo("transposed");
        assertThat(text("[data-path='answers.b'] .verdict")).contains("shape convention").doesNotContain("null");
        // W was asked (ticked) and left blank: it counts, as missing
        assertThat(text("[data-path='answers.W'] .diagnosis")).isEqualTo("missing");
        assertThat(text("#grade-score")).startsWith("Score 0 %: 0 of 2 right");
        // neither the expected b (0.003671 …) nor any gradient is on the page
        assertThat(driver.findElement(By.tagName("body")).getText()).doesNotContain("0.003671", "δ");
        assertThat(driver.findElements(By.cssSelector("#diagram .grad")).stream().map(WebElement::getText))
                .allMatch(String::isEmpty);
        screenshot("playground-grade.png");
    }

    @Test
    void gradeModeGradesAGraphProblemToo() {
        open("#mode=grade&grade=graph&ask=y,x");
        WebElement y = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-path='answers.y'] textarea")));
        assertThat(text("[data-path='answers.y'] label")).isEqualTo("∂f/∂y");
        assertThat(text("#grade-names")).contains("∂f/∂z").doesNotContain("null", "forward");
        type(y, "3"); // only the branch through b = max(y, z): the one through a is forgotten
        type(driver.findElement(By.cssSelector("[data-path='answers.x'] textarea")), "2");
        click("#grade-submit");
        By diagnosis = By.cssSelector("[data-path='answers.y'] .diagnosis");
        wait.until(ExpectedConditions.visibilityOfElementLocated(diagnosis));
        assertThat(driver.findElement(diagnosis).getText()).isEqualTo("missing_branch");
        assertThat(text("[data-path='answers.x'] .diagnosis")).isEqualTo("correct");
        // the drawing shows the inputs' values only: no gradient, no contribution, no computed value
        assertThat(driver.findElements(By.cssSelector("#diagram .contribution"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector("#diagram .grad")).stream().map(WebElement::getText))
                .allMatch(String::isEmpty);
        assertThat(text("#diagram .node[data-name='f'] .value")).isEmpty();
        screenshot("playground-grade-graph.png");
    }

    @Test
    void gradeModeDealsFreshNumbersThatALinkKeeps() {
        open("#mode=grade");
        click("#grade-variant");
        wait.until(d -> d.getCurrentUrl().contains("seed="));
        String link = driver.getCurrentUrl();
        long seed = Long.parseLong(link.replaceAll(".*[#&]seed=(\\d+).*", "$1"));
        JsonNode variant = JSON.readTree(api().queryParam("seed", seed).when().get("/v1/examples/cs224n-lecture3")
                .then().statusCode(200).extract().asString());
        wait.until(d -> numbersIn(field("network.layers[0].W").getAttribute("value"))
                .equals(numbersIn(variant.at("/network/layers/0/W").toString())));
        assertThat(numbersIn(field("network.layers[0].W").getAttribute("value")))
                .isNotEqualTo(numbersIn(example().at("/network/layers/0/W").toString()));
        driver.get("about:blank");
        driver.get(link);
        wait.until(d -> numbersIn(field("network.layers[0].W").getAttribute("value"))
                .equals(numbersIn(variant.at("/network/layers/0/W").toString())));
        assertThat(text("#grade-variant-caption")).isEqualTo("variant " + seed + " of cs224n-lecture3");
    }

    private static List<Double> numbersIn(String text) {
        return Arrays.stream(text.split("[^0-9eE.+-]+")).filter(t -> !t.isEmpty()).map(Double::valueOf).toList();
    }

    @Test
    void aSharedLinkReopensTheSameProblem() {
        open("");
        ObjectNode problem = example();
        ((ArrayNode) problem.at("/network/layers/0/W/1")).set(1, 0.9);
        ((ObjectNode) problem.at("/network/layers/0")).put("activation", "tanh");
        type(field("network.layers[0].W"), matrixText(problem.at("/network/layers/0/W")));
        new Select(field("network.layers[0].activation")).selectByValue("tanh");
        new Select(driver.findElement(By.id("digits"))).selectByValue("6");
        double expected = gradients(problem, 6).getDouble("forward.J");
        wait.until(d -> number("J") == expected);

        String link = driver.getCurrentUrl();
        assertThat(link).contains("#");
        driver.get("about:blank");
        driver.get(link);
        wait.until(d -> !text("#summary [data-name='J'] .value").isEmpty());
        assertThat(number("J")).isEqualTo(expected);
        assertThat(field("network.layers[0].W").getAttribute("value")).contains("0.9");
        assertThat(new Select(field("network.layers[0].activation")).getFirstSelectedOption().getAttribute("value")).isEqualTo("tanh");
        assertThat(new Select(driver.findElement(By.id("digits"))).getFirstSelectedOption().getText()).isEqualTo("6");
    }

    @Test
    void theFirstStepForwardShowsStepOne() {
        open("");
        List<Map<String, Object>> steps = gradients(example(), 4).getList("steps");
        assertThat(text("#step-caption")).isEqualTo("all " + steps.size() + " steps");
        click("[data-step='next']");
        assertThat(text("#step-caption")).isEqualTo("step 1 of " + steps.size() + ": " + steps.get(0).get("formula"));
        assertThat(driver.findElement(By.cssSelector("#steps li.current")).getAttribute("data-gradient"))
                .isEqualTo(steps.get(0).get("gradient"));
        assertThat(driver.findElements(By.cssSelector("#steps li.pending"))).hasSize(steps.size() - 1);
        assertThat(gradientsDrawn()).as("∂J/∂s on s, and J's own").containsExactly("1", "1");
        click("[data-step='next']");
        assertThat(text("#step-caption")).startsWith("step 2 of " + steps.size() + ": " + steps.get(1).get("formula"));
    }

    @Test
    void functionsAreSpelledAsTheServicesTextSpellsThem() {
        open("");
        ObjectNode problem = example();
        List<String> activations = optionValues(field("network.layers[0].activation").getAttribute("id"));
        assertThat(activations).contains("identity", "relu", "sigmoid", "silu", "softmax");
        Map<String, String> written = new java.util.HashMap<>();
        for (String activation : activations) {
            ((ObjectNode) problem.at("/network/layers/0")).put("activation", activation);
            String derivation = api().contentType(ContentType.JSON).accept(ContentType.TEXT).body(problem.toString())
                    .when().post("/v1/gradients").then().statusCode(200).extract().asString();
            String h = "h = " + definitionOf("h", derivation); // "h = ReLU(z)", as the derivation's forward pass
            written.put(activation, h);
            new Select(field("network.layers[0].activation")).selectByValue(activation);
            patience().withMessage(() -> activation + ": the drawing's columns are " + columnTitles()
                    + ", the derivation has " + h).until(d -> h.equals(columnTitles().get(1)));
            assertThat(new Select(field("network.layers[0].activation")).getFirstSelectedOption().getText())
                    .isEqualTo(activation + ": " + h);
        }
        // a graph's nodes are written as the graph's own derivation writes them, which is as a network's layer is:
        // typed sigmoid(z), written σ(z)
        openGraph("#graph=lecture3");
        String body = "{\"expression\": \"z = W @ x + b\\nh = sigmoid(z)\\ns = dot(u, h)\", \"values\": "
                + "{\"x\": [1, 2, 3, 4, 5], \"W\": [[0.1, 0.2, 0.3, 0.4, 0.5], [-0.5, 0.4, -0.3, 0.2, -0.1], "
                + "[0.05, 0.0, -0.05, 0.1, 0.2]], \"b\": [0.1, -0.1, 0.0], \"u\": [1.0, -2.0, 0.5]}}";
        String derivation = api().contentType(ContentType.JSON).accept(ContentType.TEXT).body(body)
                .when().post("/v1/graph").then().statusCode(200).extract().asString();
        assertThat(text("#diagram .node[data-name='h'] .label")).isEqualTo("h = " + definitionOf("h", derivation))
                .isEqualTo(written.get("sigmoid"));
    }

    /** What the forward pass of a text derivation says `name` is: "σ(z)" of "  h = σ(z) = [0.99  0.40]ᵀ". */
    private static String definitionOf(String name, String derivation) {
        String line = derivation.lines().map(String::trim).filter(l -> l.startsWith(name + " = ")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + name + " in\n" + derivation));
        return line.substring(name.length() + 3, line.lastIndexOf(" = "));
    }

    @Test
    void theCourseworkLayersAreAddedFromTheEditorAndComputed() {
        open("");
        driver.findElement(By.xpath("//button[text()='+ layer norm']")).click();
        driver.findElement(By.xpath("//button[text()='+ dropout']")).click();
        // inserted before the score layer, sized to their input: γ = 1, β = 0, a mask of ones with p = 0.5
        ObjectNode problem = example();
        ArrayNode layers = (ArrayNode) problem.at("/network/layers");
        layers.insert(1, JSON.readTree("{\"type\": \"layer_norm\", \"gamma\": [1, 1, 1], \"beta\": [0, 0, 0]}"));
        layers.insert(2, JSON.readTree("{\"type\": \"dropout\", \"mask\": [1, 1, 1], \"p\": 0.5}"));
        JsonPath expected = gradients(problem, 4);
        wait.until(d -> columnTitles().stream().anyMatch(t -> t.startsWith("n = ")) && columnTitles().stream().anyMatch(t -> t.startsWith("m = ")));
        wait.until(d -> number("J") == expected.getDouble("forward.J"));
        assertThat(consoleErrors()).isEmpty();
        // an embedding goes first and reads words instead of x; the dense layer after it is told what to fix
        driver.findElement(By.xpath("//button[text()='+ embedding']")).click();
        assertThat(field("words").getAttribute("value")).isEqualTo("0 1");
        By slot = By.cssSelector("[data-path='network.layers[1].W'] > .field-error");
        wait.until(ExpectedConditions.visibilityOfElementLocated(slot));
        assertThat(driver.findElement(slot).getText()).contains("has 5 columns but its input");
    }

    /** Read in one script call: the drawing is redrawn as the page recomputes, so elements found earlier go stale. */
    @SuppressWarnings("unchecked")
    private List<String> columnTitles() {
        return (List<String>) ((JavascriptExecutor) driver).executeScript(
                "return Array.from(document.querySelectorAll('#diagram .column-title'), e => e.textContent.trim());");
    }

    @Test
    void everyControlIsReachableByKeyboard() {
        open("");
        Set<String> reached = new LinkedHashSet<>();
        for (int i = 0; i < 80 && !reached.contains("f-network-layers-0-W"); i++) {
            driver.switchTo().activeElement().sendKeys(Keys.TAB);
            WebElement active = driver.switchTo().activeElement();
            reached.add(active.getAttribute("id") == null || active.getAttribute("id").isEmpty()
                    ? active.getTagName() + ":" + active.getText() : active.getAttribute("id"));
        }
        assertThat(reached).contains("mode-network", "digits", "projector", "share", "example", "f-network-layers-0-W");
        // the mode tabs follow the tablist pattern: arrows and Home/End move between them (left wraps to the last)
        driver.findElement(By.id("mode-network")).sendKeys(Keys.ARROW_LEFT);
        wait.until(d -> "true".equals(d.findElement(By.id("mode-grade")).getAttribute("aria-selected")));
        assertThat(driver.findElement(By.id("grade")).isDisplayed()).isTrue();
    }

    @Test
    void graphModeDrawsTheGraphWithEachBranchsContribution() {
        open("#mode=graph");
        wait.until(d -> !d.findElements(By.cssSelector("#summary [data-name='f'] .value")).isEmpty());
        String body = "{\"expression\": \"a = x + y\\nb = max(y, z)\\nf = a * b\", \"values\": {\"x\": 1, \"y\": 2, \"z\": 0}}";
        JsonPath expected = api().contentType(ContentType.JSON).queryParam("digits", 4).body(body)
                .when().post("/v1/graph").then().statusCode(200).extract().jsonPath();
        assertThat(number("f")).isEqualTo(expected.getDouble("forward.f"));
        assertThat(number("y")).isEqualTo(expected.getDouble("gradients.y")).isEqualTo(5.0);
        // gradients add at the outward branches of y: 2 through a, 3 through b
        assertThat(text(".contribution[data-from='y'][data-to='a'] text")).isEqualTo("2");
        assertThat(text(".contribution[data-from='y'][data-to='b'] text")).isEqualTo("3");
        assertThat(text("#diagram .node[data-name='y'] .extra")).isEqualTo("Σ 2 + 3");
        assertThat(driver.findElements(By.cssSelector("#steps li .katex"))).hasSize(expected.getList("steps").size());
        assertThat(driver.findElements(By.cssSelector(".katex-error"))).isEmpty();
        screenshot("playground-graph.png");

        WebElement expression = driver.findElement(By.id("graph-expression"));
        type(expression, "a = x +\nf = a");
        String message = raw().contentType(ContentType.JSON)
                .body("{\"expression\": \"a = x +\\nf = a\", \"values\": {\"x\": 1, \"y\": 2, \"z\": 0}}")
                .post("/v1/graph").then().statusCode(400).extract().jsonPath().getString("errors[0].message");
        By slot = By.cssSelector("[data-path='expression'] > .field-error");
        wait.until(ExpectedConditions.visibilityOfElementLocated(slot));
        assertThat(driver.findElement(slot).getText()).isEqualTo("expression: " + message);
        assertThat(consoleErrors()).allMatch(m -> m.contains("/v1/graph") && m.contains("400"));

        // the service's examples for /v1/graph are offered here, and not in the network editor
        assertThat(optionValues("example")).contains("cs224n-lecture3").doesNotContain("cs224n-graph");
        assertThat(optionValues("graph-example")).contains("example:attention-head");
        new Select(driver.findElement(By.id("graph-example"))).selectByValue("example:attention-head");
        wait.until(d -> !d.findElements(By.cssSelector("#diagram .node[data-name='q']")).isEmpty());
        assertThat(driver.findElements(By.cssSelector("#graph-form .field-error:not([hidden])"))).isEmpty();
        assertThat(driver.getCurrentUrl()).contains("graph=example%3Aattention-head");
        screenshot("playground-graph-attention.png");
    }

    private List<String> optionValues(String selectId) {
        return new Select(driver.findElement(By.id(selectId))).getOptions().stream()
                .map(o -> o.getAttribute("value")).toList();
    }
}

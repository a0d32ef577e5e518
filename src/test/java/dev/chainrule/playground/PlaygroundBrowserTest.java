package dev.chainrule.playground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chainrule.ApiTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The playground and /docs in a real browser: Debian's chromium, headless, driven by Selenium through Debian's
 * chromedriver, against the service on a random port. Skipped, saying what to install, where either is missing.
 * Screenshots go to target/screenshots/ for a reviewer.
 */
class PlaygroundBrowserTest extends ApiTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** Generous: the page answers in well under a second, but the machine may be loaded. */
    private static final Duration PATIENCE = Duration.ofSeconds(45);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static WebDriver driver;
    private static Path profile;

    private WebDriverWait wait;
    private String base;

    private static final String MISSING = "Browser test skipped: it needs Debian's chromium and chromium-driver at "
            + CHROMIUM + " and " + CHROMEDRIVER + " (sudo apt-get install -y chromium chromium-driver)";

    private static boolean browserInstalled() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    @BeforeAll
    static void startChromium() throws IOException {
        if (!browserInstalled()) {
            System.err.println(MISSING);
            return; // each test is then skipped, with the same message, in pointAtTheServer
        }
        profile = Files.createTempDirectory("chainrule-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,1400");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopChromium() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    @BeforeEach
    void pointAtTheServer() {
        assumeTrue(browserInstalled(), MISSING);
        base = "http://localhost:" + port + "/";
        wait = new WebDriverWait(driver, PATIENCE);
        wait.ignoring(StaleElementReferenceException.class); // the page redraws as answers arrive
        driver.manage().window().setSize(new Dimension(1280, 1400));
        driver.get("about:blank");
        consoleErrors(); // start each test with an empty console log
    }

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
        assumeTrue(operationsInTheContract().contains("post /v1/graph"), "POST /v1/graph is not in openapi.yaml yet");
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
        assertThat(new Select(field("network.layers[0].activation")).getFirstSelectedOption().getText()).isEqualTo("tanh");
        assertThat(new Select(driver.findElement(By.id("digits"))).getFirstSelectedOption().getText()).isEqualTo("6");
    }

    @Test
    void fitsAPhoneAndAProjector() {
        driver.manage().window().setSize(new Dimension(390, 844));
        open("");
        Number overflow = (Number) ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(overflow.intValue()).as("horizontal overflow at a phone's width").isLessThanOrEqualTo(0);
        screenshot("playground-phone.png");

        driver.manage().window().setSize(new Dimension(1920, 1080));
        click("#projector");
        assertThat(driver.findElement(By.id("projector")).getAttribute("aria-pressed")).isEqualTo("true");
        assertThat(driver.getCurrentUrl()).contains("projector=1");
        screenshot("playground-projector.png");
        assertThat(consoleErrors()).isEmpty();
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
        assumeTrue(operationsInTheContract().contains("post /v1/graph"), "POST /v1/graph is not in openapi.yaml yet");
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

    // ---- /docs --------------------------------------------------------------------------------------------------

    @Test
    void docsListEveryEndpointAndTryItOutCallsTheService() {
        driver.get(base + "docs");
        wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector(".opblock"), 0));
        Set<String> shown = driver.findElements(By.cssSelector(".opblock")).stream()
                .map(op -> op.findElement(By.cssSelector(".opblock-summary-method")).getText().toLowerCase() + " "
                        + op.findElement(By.cssSelector(".opblock-summary-path")).getAttribute("data-path"))
                .collect(Collectors.toCollection(LinkedHashSet::new));
        assertThat(shown).containsExactlyInAnyOrderElementsOf(operationsInTheContract());
        screenshot("docs.png");

        WebElement examples = driver.findElement(By.id("operations-lecture-listExamples"));
        examples.findElement(By.cssSelector(".opblock-summary-control")).click();
        WebElement execute = wait.until(ExpectedConditions.elementToBeClickable(
                examples.findElement(By.cssSelector(".execute"))));
        execute.click();
        By status = By.cssSelector("#operations-lecture-listExamples .live-responses-table tr.response .response-col_status");
        wait.until(ExpectedConditions.visibilityOfElementLocated(status));
        assertThat(driver.findElement(status).getText()).startsWith("200");
        screenshot("docs-try-it-out.png");
        assertThat(consoleErrors()).as("console errors on /docs").isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Set<String> operationsInTheContract() {
        try {
            Map<String, Object> doc = new Yaml().load(Files.readString(Path.of("openapi.yaml")));
            Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");
            Set<String> methods = Set.of("get", "post", "put", "delete", "patch", "options", "head");
            return paths.entrySet().stream()
                    .flatMap(p -> p.getValue().keySet().stream().filter(methods::contains).map(m -> m + " " + p.getKey()))
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** Opens the playground (with a fragment such as "#mode=grade") and waits until the problem is computed. */
    private void open(String fragment) {
        driver.get(base + fragment);
        wait.until(d -> !d.findElement(By.cssSelector("body")).getAttribute("class").contains("busy")
                && !d.findElements(By.cssSelector("#grade-names input, #summary [data-name='J'] .value")).isEmpty());
    }

    private ObjectNode example() {
        return (ObjectNode) JSON.readTree(api().when().get("/v1/examples/cs224n-lecture3").then().statusCode(200)
                .extract().asString());
    }

    private JsonPath gradients(JsonNode problem, int digits) {
        return api().contentType(ContentType.JSON).queryParam("digits", digits).body(problem.toString())
                .when().post("/v1/gradients").then().statusCode(200).extract().jsonPath();
    }

    private WebElement field(String path) {
        return driver.findElement(By.cssSelector("[data-path='" + path + "'] > textarea, [data-path='" + path
                + "'] > input, [data-path='" + path + "'] > select"));
    }

    /** Replaces a field's text as a person would: select all, type. */
    private static void type(WebElement control, String text) {
        control.click();
        control.sendKeys(Keys.chord(Keys.CONTROL, "a"));
        control.sendKeys(text);
    }

    private void click(String css) {
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    private String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    private double number(String name) {
        return Double.parseDouble(text("#summary [data-name='" + name + "'] .value"));
    }

    private List<Double> vector(String name) {
        String t = text("#summary [data-name='" + name + "'] .value");
        assertThat(t).startsWith("[").endsWith("]");
        return Arrays.stream(t.substring(1, t.length() - 1).split(",")).map(String::trim).map(Double::valueOf).toList();
    }

    /** How the page writes a number: JavaScript's shortest form, which for these values is Java's too. */
    private static String str(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static String matrixText(JsonNode matrix) {
        StringBuilder s = new StringBuilder();
        for (JsonNode row : matrix) {
            s.append(s.isEmpty() ? "" : "\n");
            row.forEach(v -> s.append(v.asText()).append(' '));
        }
        return s.toString().replace(" \n", "\n").trim();
    }

    /** The browser console's errors since the last call (reading the log empties it). */
    private static List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    private static void screenshot(String name) {
        try {
            Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

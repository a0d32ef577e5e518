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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
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
    /**
     * How often a wait looks again: the page answers in tens of milliseconds, and Selenium's default of 500 ms would
     * spend most of each wait asleep after the page is ready.
     */
    private static final Duration POLL = Duration.ofMillis(20);
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
        wait = patience();
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

    // ---- every width: measured as rendered ----------------------------------------------------------------------

    @ParameterizedTest(name = "{0} px wide")
    @ValueSource(ints = {390, 1280, 1400})
    void everyFormulaFitsItsColumnWithoutSidewaysScroll(int width) {
        window(width, 900);
        open("");
        assertFormulasFit("network, " + width + " px");
        scrollTo("#steps li:nth-child(5)");
        screenshot("playground-steps-" + width + ".png");
        openGraph("");
        assertFormulasFit("graph, " + width + " px");
    }

    @Test
    void projectorModeFitsA1280By720Projector() {
        window(1280, 720);
        open("");
        click("#projector");
        assertThat(driver.findElement(By.id("projector")).getAttribute("aria-pressed")).isEqualTo("true");
        assertThat(driver.getCurrentUrl()).contains("projector=1");
        assertThat(script("return getComputedStyle(document.documentElement).fontSize;")).isEqualTo("22px");
        assertFormulasFit("network, projector");
        screenshot("playground-projector.png");
        scrollTo("#steps li:nth-child(5)");
        screenshot("playground-projector-steps.png");
        openGraph("#projector=1");
        assertFormulasFit("graph, projector");
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void aPhoneScrollsOnlyDownwards() {
        window(390, 844);
        open("");
        screenshot("playground-phone.png");
        // the four tabs share one line
        List<WebElement> tabs = driver.findElements(By.cssSelector("#views [role=tab]"));
        assertThat(tabs).hasSize(4);
        assertThat(tabs.stream().map(t -> t.getRect().getY()).distinct()).as("the tabs' tops").hasSize(1);
        for (String view : List.of("steps", "values", "text", "json")) {
            click("#view-" + view);
            if (view.equals("text")) {
                wait.until(d -> d.findElement(By.id("text")).getAttribute("textContent").startsWith("Forward pass"));
            }
            settle();
            assertThat(sidewaysScroll()).as("sideways scroll on the " + view + " tab").isLessThanOrEqualTo(0);
            Number panel = (Number) script("const p = document.getElementById(arguments[0]); return p.scrollWidth - p.clientWidth;",
                    "panel-" + view);
            assertThat(panel.intValue()).as("what sticks out of the " + view + " tab").isLessThanOrEqualTo(0);
        }
        screenshot("playground-phone-json.png");
        // the derivation and the JSON both scroll inside their own boxes, alike
        for (String box : List.of("text", "json-request", "json-response")) {
            assertThat(script("return getComputedStyle(document.getElementById(arguments[0])).overflowX;", box))
                    .as(box).isEqualTo("auto");
        }
        openGraph("");
        assertThat(sidewaysScroll()).as("sideways scroll in graph mode").isLessThanOrEqualTo(0);
        open("#mode=grade");
        assertThat(sidewaysScroll()).as("sideways scroll in grade mode").isLessThanOrEqualTo(0);
        screenshot("playground-phone-grade.png");
    }

    @Test
    void onAPhoneTheDrawingsTextIsTenPixelsTallAndTheDrawingFits() {
        window(390, 844);
        open("");
        assertDrawingReadable("network");
        scrollTo("#diagram");
        screenshot("playground-phone-drawing.png");
        openGraph("");
        assertDrawingReadable("graph");
        scrollTo("#diagram");
        screenshot("playground-phone-graph.png");
    }

    /** Every text of the drawing at least 10 CSS px tall, as its box and as its type, and nothing to scroll. */
    private void assertDrawingReadable(String mode) {
        assertDrawingReadable(mode, true);
    }

    /**
     * Every text of the drawing at least 10 CSS px tall, as its box and as its type; the page never sideways, and
     * the drawing within its figure when {@code fits} (else it may scroll in its own box, as a long chain does).
     */
    private void assertDrawingReadable(String mode, boolean fits) {
        settle();
        @SuppressWarnings("unchecked")
        Map<String, Number> drawn = (Map<String, Number>) script("""
                const svg = document.getElementById('diagram');
                const scale = svg.getScreenCTM().a;
                const texts = [...svg.querySelectorAll('text')].filter((t) => t.textContent.trim() !== '');
                const figure = svg.parentElement;
                return {
                  texts: texts.length,
                  height: Math.min(...texts.map((t) => t.getBoundingClientRect().height)),
                  type: Math.min(...texts.map((t) => parseFloat(getComputedStyle(t).fontSize) * scale)),
                  overflow: figure.scrollWidth - figure.clientWidth,
                };""");
        assertThat(drawn.get("texts").intValue()).as(mode + ": texts drawn").isGreaterThan(10);
        assertThat(drawn.get("height").doubleValue()).as(mode + ": the smallest text's height").isGreaterThanOrEqualTo(10.0);
        assertThat(drawn.get("type").doubleValue()).as(mode + ": the smallest type as rendered").isGreaterThanOrEqualTo(10.0);
        if (fits) {
            assertThat(drawn.get("overflow").intValue()).as(mode + ": the drawing fits its figure").isLessThanOrEqualTo(0);
        }
        assertThat(sidewaysScroll()).as(mode + ": sideways scroll").isLessThanOrEqualTo(0);
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

    // ---- the coursework examples: tensors on the page -----------------------------------------------------------

    /**
     * Each coursework example of /v1/examples, picked from graph mode's list: computed as the service computes it,
     * every tensor node drawn with its shape beside it, every step shown with its rule, the page not sideways and
     * the drawing's type 10 px or more.
     */
    @ParameterizedTest(name = "{0} at {1} px")
    @CsvSource({"cs224n-window-classifier, 390", "cs224n-window-classifier, 1280", "cs231n-svm-vectorized, 390",
        "cs231n-svm-vectorized, 1280", "batch-norm-by-hand, 390", "batch-norm-by-hand, 1400", "conv-relu-maxpool, 390",
        "conv-relu-maxpool, 1280"})
    void aCourseworkExampleRunsFromTheListWithItsShapes(String id, int width) {
        window(width, 900);
        openGraph("");
        String body = api().when().get("/v1/examples/" + id).then().statusCode(200).extract().asString();
        JsonNode expected = JSON.readTree(api().contentType(ContentType.JSON).queryParam("digits", 4).body(body)
                .when().post("/v1/graph").then().statusCode(200).extract().asString());
        String output = expected.get("output").asString();
        new Select(driver.findElement(By.id("graph-example"))).selectByValue("example:" + id);
        wait.until(d -> d.findElements(By.cssSelector("#diagram .node")).size() == expected.get("nodes").size()
                && !d.findElements(By.cssSelector("#summary [data-name='" + output + "'] .value")).isEmpty()
                && d.findElements(By.cssSelector("#steps li")).size() == expected.get("steps").size());
        assertThat(number(output)).isEqualTo(expected.get("forward").get(output).asDouble());

        Map<String, String> shapes = new java.util.LinkedHashMap<>();
        for (JsonNode node : expected.get("nodes")) {
            JsonNode value = expected.get("forward").get(node.get("name").asString());
            if (value != null && value.isArray()) {
                shapes.put(node.get("name").asString(), shapeOf(value));
            }
        }
        assertThat(shapes).as("the tensors of %s", id).isNotEmpty();
        assertThat(shapesDrawn()).as("the shape beside each tensor node").containsAllEntriesOf(shapes);
        // every step, with its local derivative's rule (a Jacobian over 400 entries is given by it)
        assertThat(driver.findElements(By.cssSelector("#steps li .rule"))).hasSize(expected.get("steps").size());
        assertThat(driver.findElements(By.cssSelector("#steps li .katex"))).hasSizeGreaterThanOrEqualTo(expected.get("steps").size());
        assertThat(driver.findElements(By.cssSelector(".katex-error"))).isEmpty();
        // no wall of numbers: a tensor's gradient in the summary is a grid or its shape and a few entries
        for (WebElement dd : driver.findElements(By.cssSelector("#summary .gradient .value"))) {
            assertThat(dd.getText().split("[\\s,]+").length).as("numbers shown for one gradient").isLessThanOrEqualTo(24 + 1);
        }
        assertDrawingReadable(id + " at " + width + " px", false);
        assertThat(consoleErrors()).as("console errors").isEmpty();
        scrollTo("#diagram");
        screenshot("playground-" + id + "-" + width + ".png");
    }

    @Test
    void theWindowsGatherIsDrawnAndItsStepScatterAdds() {
        openGraph("&graph=example:cs224n-window-classifier");
        wait.until(d -> !d.findElements(By.cssSelector("#diagram .gather")).isEmpty());
        // the edge from L to X reads the window's rows, "in" (row 1) twice; the index input's edge is dashed
        assertThat(text(".gather[data-from='L'][data-to='X'] text")).isEqualTo("rows 0 1 2 1 3");
        assertThat(driver.findElements(By.cssSelector(".graph-edge.index-edge[data-from='words'][data-to='X']"))).hasSize(1);
        assertThat(text("#steps li[data-gradient='L'] .rule")).contains("scatter-add into rows 0, 1, 2, 1, 3 of L");
        assertThat(text("#diagram .node[data-name='X'] .shape")).isEqualTo("5×2");
        assertThat(text("#diagram .node[data-name='L'] .shape")).isEqualTo("6×2");
        // L's gradient as a grid in the summary: row 1 sums both positions, rows 4 and 5 are untouched
        WebElement dL = driver.findElement(By.cssSelector("#summary [data-name='L'] .value"));
        assertThat(dL.getAttribute("class")).contains("grid");
        assertThat(dL.findElements(By.tagName("span"))).hasSize(12);
        assertThat(dL.findElements(By.tagName("span")).subList(8, 12).stream().map(WebElement::getText)).containsOnly("0");
        // stepping to the scatter: the contribution appears on the gather's edge
        click("#steps li[data-gradient='L'] .go");
        wait.until(d -> !d.findElements(By.cssSelector(".contribution[data-from='L'][data-to='X']")).isEmpty());
        screenshot("playground-window-gather.png");
    }

    /** Each tensor node's shape as drawn beside it, by node name (read in one script: the drawing redraws). */
    @SuppressWarnings("unchecked")
    private Map<String, String> shapesDrawn() {
        return (Map<String, String>) script("""
                const out = {};
                for (const n of document.querySelectorAll('#diagram .node')) {
                  const shape = n.querySelector('.shape');
                  if (shape) out[n.dataset.name] = shape.textContent;
                }
                return out;""");
    }

    /** "4×3" for a 4×3 array, "3" for a vector, as the service writes shapes. */
    private static String shapeOf(JsonNode value) {
        StringBuilder shape = new StringBuilder();
        for (JsonNode v = value; v.isArray(); v = v.get(0)) {
            shape.append(shape.isEmpty() ? "" : "×").append(v.size());
        }
        return shape.toString();
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

    /** A wait that looks every {@link #POLL} and ignores elements gone stale: the page redraws as answers arrive. */
    private static WebDriverWait patience() {
        WebDriverWait wait = new WebDriverWait(driver, PATIENCE, POLL);
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** Opens the playground (with a fragment such as "#mode=grade") and waits until the problem is computed. */
    private void open(String fragment) {
        driver.get(base + fragment);
        wait.until(d -> !d.findElement(By.cssSelector("body")).getAttribute("class").contains("busy")
                && !d.findElements(By.cssSelector("#grade-names input, #summary [data-name='J'] .value")).isEmpty());
    }

    /** Graph mode (with more of the address, such as "&graph=lecture3"), once its problem is computed. */
    private void openGraph(String more) {
        driver.get(base + "#mode=graph" + more.replaceFirst("^#", "&"));
        wait.until(d -> !d.findElement(By.cssSelector("body")).getAttribute("class").contains("busy")
                && !d.findElements(By.cssSelector("#steps li .katex")).isEmpty()
                && !d.findElements(By.cssSelector("#diagram .node")).isEmpty());
    }

    /** A browser window of this size, its page as wide as the window. */
    private void window(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        assertThat(((Number) script("return window.innerWidth;")).intValue()).isEqualTo(width);
    }

    /** Waits for KaTeX's fonts and two frames: the page fits its formulas and drawing in the frame after a change. */
    private void settle() {
        ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "document.fonts.ready.then(() => requestAnimationFrame(() => requestAnimationFrame(() => done())));");
    }

    /** How far the page scrolls sideways (0 or less: not at all). */
    private int sidewaysScroll() {
        return ((Number) script("return document.documentElement.scrollWidth - document.documentElement.clientWidth;"))
                .intValue();
    }

    /**
     * Every formula of the Steps and the Values tabs, measured: each rendered line no wider than its box, and the box
     * not wider than its column (the step, the table cell), so nothing is cut or scrolled; the page not sideways.
     */
    private void assertFormulasFit(String where) {
        for (String view : List.of("values", "steps")) {
            click("#view-" + view);
            settle();
            @SuppressWarnings("unchecked")
            List<String> overflowing = (List<String>) script("""
                    return [...document.querySelectorAll(arguments[0])].filter((m) => m.clientWidth > 0).flatMap((m) => {
                      const box = m.getBoundingClientRect();
                      const column = m.parentElement.getBoundingClientRect();
                      const lines = [...m.querySelectorAll('.katex-html')];
                      const fits = lines.length > 0 && m.scrollWidth <= m.clientWidth && box.right <= column.right + 0.5
                        && lines.every((k) => k.scrollWidth <= m.clientWidth && k.getBoundingClientRect().right <= box.right + 0.5);
                      const widest = Math.max(...lines.map((k) => k.scrollWidth));
                      const what = m.closest('li')?.querySelector('.formula') ?? m.closest('tr')?.querySelector('th');
                      return fits ? [] : [`${what?.textContent.trim()}: ${widest} px in ${m.clientWidth}`];
                    });""", "#panel-" + view + " .math");
            assertThat(overflowing).as("formulas wider than their column on the " + view + " tab (" + where + ")").isEmpty();
            assertThat(sidewaysScroll()).as("sideways scroll on the " + view + " tab (" + where + ")").isLessThanOrEqualTo(0);
        }
        assertThat(driver.findElements(By.cssSelector("#steps .math"))).as(where).isNotEmpty();
    }

    private Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    private void scrollTo(String css) {
        script("document.querySelector(arguments[0]).scrollIntoView();", css);
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
            row.forEach(v -> s.append(v.asString()).append(' '));
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

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
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
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
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pages in a real browser: Debian's chromium, headless, driven by Selenium through Debian's chromedriver, against
 * the service on a random port, one browser for each test class (each test starts on a blank page at 1280×1400).
 * Skipped, saying what to install, where either is missing. Screenshots go to target/screenshots/ for a reviewer.
 * The tests are split over two classes that run beside each other: the playground's modes and editing
 * ({@code PlaygroundBrowserTest}), and how the pages fit each width, the coursework examples and /docs
 * ({@code PlaygroundLayoutBrowserTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrowserTest extends ApiTest {

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
    static final JsonMapper JSON = JsonMapper.builder().build();

    WebDriver driver;
    private Path profile;

    WebDriverWait wait;
    String base;

    private static final String MISSING = "Browser test skipped: it needs Debian's chromium and chromium-driver at "
            + CHROMIUM + " and " + CHROMEDRIVER + " (sudo apt-get install -y chromium chromium-driver)";

    private static boolean browserInstalled() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    @BeforeAll
    void startChromium() throws IOException {
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
    void stopChromium() throws IOException {
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

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** A wait that looks every {@link #POLL} and ignores elements gone stale: the page redraws as answers arrive. */
    WebDriverWait patience() {
        WebDriverWait wait = new WebDriverWait(driver, PATIENCE, POLL);
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** Opens the playground (with a fragment such as "#mode=grade") and waits until the problem is computed. */
    void open(String fragment) {
        driver.get(base + fragment);
        wait.until(d -> !d.findElement(By.cssSelector("body")).getAttribute("class").contains("busy")
                && !d.findElements(By.cssSelector("#grade-names input, #summary [data-name='J'] .value")).isEmpty());
    }

    /** Graph mode (with more of the address, such as "&graph=lecture3"), once its problem is computed. */
    void openGraph(String more) {
        driver.get(base + "#mode=graph" + more.replaceFirst("^#", "&"));
        wait.until(d -> !d.findElement(By.cssSelector("body")).getAttribute("class").contains("busy")
                && !d.findElements(By.cssSelector("#steps li .katex")).isEmpty()
                && !d.findElements(By.cssSelector("#diagram .node")).isEmpty());
    }

    /** A browser window of this size, its page as wide as the window. */
    void window(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        assertThat(((Number) script("return window.innerWidth;")).intValue()).isEqualTo(width);
    }

    /** Waits for KaTeX's fonts and two frames: the page fits its formulas and drawing in the frame after a change. */
    void settle() {
        ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "document.fonts.ready.then(() => requestAnimationFrame(() => requestAnimationFrame(() => done())));");
    }

    /** How far the page scrolls sideways (0 or less: not at all). */
    int sidewaysScroll() {
        return ((Number) script("return document.documentElement.scrollWidth - document.documentElement.clientWidth;"))
                .intValue();
    }

    /**
     * Every formula of the Steps and the Values tabs, measured: each rendered line no wider than its box, and the box
     * not wider than its column (the step, the table cell), so nothing is cut or scrolled; the page not sideways.
     */
    void assertFormulasFit(String where) {
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

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    void scrollTo(String css) {
        script("document.querySelector(arguments[0]).scrollIntoView();", css);
    }

    ObjectNode example() {
        return (ObjectNode) JSON.readTree(api().when().get("/v1/examples/cs224n-lecture3").then().statusCode(200)
                .extract().asString());
    }

    JsonPath gradients(JsonNode problem, int digits) {
        return api().contentType(ContentType.JSON).queryParam("digits", digits).body(problem.toString())
                .when().post("/v1/gradients").then().statusCode(200).extract().jsonPath();
    }

    WebElement field(String path) {
        return driver.findElement(By.cssSelector("[data-path='" + path + "'] > textarea, [data-path='" + path
                + "'] > input, [data-path='" + path + "'] > select"));
    }

    /** Replaces a field's text as a person would: select all, type. */
    static void type(WebElement control, String text) {
        control.click();
        control.sendKeys(Keys.chord(Keys.CONTROL, "a"));
        control.sendKeys(text);
    }

    void click(String css) {
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    double number(String name) {
        return Double.parseDouble(text("#summary [data-name='" + name + "'] .value"));
    }

    List<Double> vector(String name) {
        String t = text("#summary [data-name='" + name + "'] .value");
        assertThat(t).startsWith("[").endsWith("]");
        return Arrays.stream(t.substring(1, t.length() - 1).split(",")).map(String::trim).map(Double::valueOf).toList();
    }

    /** How the page writes a number: JavaScript's shortest form, which for these values is Java's too. */
    static String str(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }

    static String matrixText(JsonNode matrix) {
        StringBuilder s = new StringBuilder();
        for (JsonNode row : matrix) {
            s.append(s.isEmpty() ? "" : "\n");
            row.forEach(v -> s.append(v.asString()).append(' '));
        }
        return s.toString().replace(" \n", "\n").trim();
    }

    /** The browser console's errors since the last call (reading the log empties it). */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    void screenshot(String name) {
        try {
            Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

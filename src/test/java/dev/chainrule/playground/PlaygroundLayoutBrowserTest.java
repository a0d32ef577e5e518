package dev.chainrule.playground;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * The playground and /docs in a real browser, measured as rendered: every formula and the drawing at phone, laptop
 * and projector widths, each coursework example from graph mode's list, and /docs' operations.
 */
class PlaygroundLayoutBrowserTest extends BrowserTest {

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

    // ---- the coursework examples: tensors on the page -----------------------------------------------------------

    /**
     * Each coursework example of /v1/examples, picked from graph mode's list on a phone: computed as the service
     * computes it, every tensor node drawn with its shape beside it, every step shown with its rule, the page not
     * sideways and the drawing's type 10 px or more; then the window widened to a laptop's or a projector's (a turned
     * tablet, a docked laptop), the drawing laid out again for its new room and still readable.
     */
    @ParameterizedTest(name = "{0} at 390 px, then {1} px")
    @CsvSource({"cs224n-window-classifier, 1280", "cs231n-svm-vectorized, 1280", "batch-norm-by-hand, 1400",
        "conv-relu-maxpool, 1280"})
    void aCourseworkExampleRunsFromTheListWithItsShapes(String id, int wide) {
        window(390, 900);
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
        assertDrawingReadable(id + " at 390 px", false);
        scrollTo("#diagram");
        screenshot("playground-" + id + "-390.png");

        window(wide, 900);
        wait.withMessage(() -> "the drawing laid out again for a " + wide + " px window").until(d -> drawnForItsRoom());
        assertThat(shapesDrawn()).as("the shapes at %d px", wide).containsAllEntriesOf(shapes);
        assertDrawingReadable(id + " at " + wide + " px", false);
        assertThat(consoleErrors()).as("console errors").isEmpty();
        scrollTo("#diagram");
        screenshot("playground-" + id + "-" + wide + ".png");
    }

    /** True once the drawing is laid out for the room its figure has now (it is redrawn a frame after a resize). */
    private boolean drawnForItsRoom() {
        return (Boolean) script("""
                const svg = document.getElementById('diagram');
                const figure = svg.parentElement;
                const style = getComputedStyle(figure);
                const room = figure.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
                return svg.dataset.room === String(room);""");
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

}

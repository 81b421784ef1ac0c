package io.caravan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.FakeUpstream;
import io.caravan.testing.Reply;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
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
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's headless Chromium, driven by Selenium through chromedriver), against the
 * gateway booted as users run it, with credentials on fake upstreams and usage metered into SQLite. The test makes
 * requests first (one rate-limited by its upstream, so that a credential cools; one failing, so that a client has
 * errors), then does what an operator does: signs in, reads the credentials, disables one and enables it again, ends
 * a cooldown, reads the charts of each period, the last reload and a refused one. A screenshot is kept as
 * {@code target/dashboard.png}.
 *
 * <p>Skipped when {@value #CHROMIUM} is not installed, unless {@code -Dbrowser.required=true} (as {@code .ci/run}
 * sets), which makes that a failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "caravan-test-admin-key-0123456789";
    private static final String ALICE_KEY = "key-alice-0123456789";
    private static final String BOB_KEY = "key-bob-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Long enough that the cooldown outlives the test, whatever order its methods run in. */
    private static final int RETRY_AFTER_SECONDS = 900;
    private static final Path SCREENSHOT = Path.of("target", "dashboard.png");
    private static final Set<String> CREDENTIALS = Set.of("anthropic-1", "openai-1", "openai-2");

    private FakeUpstream openAiOne;
    private FakeUpstream openAiTwo;
    private FakeUpstream anthropic;
    private TestGateway gateway;
    private RawClient raw;
    private Path profile;
    private WebDriver browser;

    @BeforeAll
    void start() throws Exception {
        boolean installed = Files.isExecutable(Path.of(CHROMIUM));
        if (!installed && Boolean.getBoolean("browser.required")) {
            fail(CHROMIUM + " is missing and -Dbrowser.required=true: apt-get install chromium chromium-driver");
        }
        Assumptions.assumeTrue(installed, CHROMIUM + " is not installed (apt-get install chromium chromium-driver)");

        openAiOne = FakeUpstream.openAi();
        openAiTwo = FakeUpstream.openAi();
        anthropic = FakeUpstream.anthropic();
        gateway = TestGateway.builder()
                .credential("openai-1", openAiOne, "[gpt-4o]")
                .credential("openai-2", openAiTwo, "[gpt-4o]")
                .credential("anthropic-1", anthropic, "[claude-test]")
                .clients("""
                          - name: alice
                            key: %s
                          - name: bob
                            key: %s
                        """.formatted(ALICE_KEY, BOB_KEY))
                .set("caravan.admin-keys", ADMIN_KEY)
                .set("caravan.store.flush-interval-ms", "50")
                .start();
        raw = new RawClient(gateway);
        makeRequests();
        browser = chromium();
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
                System.out.println("browser console: " + entry); // in target/surefire-reports, for a failure
            }
            browser.quit();
        }
        TestGateway.closeAll(gateway, openAiOne, openAiTwo, anthropic);
        if (profile != null) {
            try (Stream<Path> paths = Files.walk(profile)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /**
     * alice: three answered gpt-4o requests, the first landing on openai-1 rate-limited (so openai-1 cools and the
     * request rotates to openai-2); bob: one answered claude-test request and one its only credential fails (500).
     */
    private void makeRequests() throws Exception {
        openAiOne.enqueue(Reply.rateLimited(RETRY_AFTER_SECONDS));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, post(ALICE_KEY, RawClient.OPENAI_CHAT, RawClient.chat("gpt-4o", "hello " + i, false))
                    .statusCode());
        }
        // Round-robin over two credentials: one of the first two requests met openai-1 and its 429.
        assertEquals(0, openAiOne.pendingReplies(), "no request reached openai-1");
        assertEquals(200, post(BOB_KEY, RawClient.MESSAGES, RawClient.messages("claude-test", "hi", false)).statusCode());
        anthropic.enqueue(Reply.anthropicError(500, "api_error", "Internal server error"));
        assertEquals(500, post(BOB_KEY, RawClient.MESSAGES, RawClient.messages("claude-test", "fail", false))
                .statusCode());
        // Metered behind the requests: wait for the database to have all five before the page reads it.
        awaitApi("the five requests metered", () -> totalRequests() == 5);
    }

    private HttpResponse<String> post(String key, String path, String body) throws Exception {
        return raw.send(raw.request(path, body).setHeader("authorization", "Bearer " + key));
    }

    private JsonNode admin(String path) {
        try {
            HttpResponse<String> answer = raw.get(path, "authorization", "Bearer " + ADMIN_KEY);
            assertEquals(200, answer.statusCode(), path + ": " + answer.body());
            return JSON.readTree(answer.body());
        } catch (Exception e) {
            throw new IllegalStateException(path, e);
        }
    }

    private long totalRequests() {
        long total = 0;
        for (JsonNode row : admin("/admin/v1/usage?from=" + Instant.now().minus(Duration.ofDays(1))).get("data")) {
            total += row.get("requests").asLong();
        }
        return total;
    }

    private WebDriver chromium() throws Exception {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        profile = Files.createTempDirectory("caravan-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1400,1900");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    // ---- the page, as the operator uses it ---------------------------------------------------------------

    private String pageUrl() {
        return gateway.baseUrl() + "/ui";
    }

    /** The page freshly opened in a tab that holds no key, and signed in. */
    private void openSignedIn() {
        browser.get(pageUrl());
        script("sessionStorage.clear();");
        browser.navigate().refresh();
        signIn(ADMIN_KEY);
        await("the dashboard after signing in", () -> browser.findElement(By.id("dashboard")).isDisplayed());
    }

    private void signIn(String key) {
        await("the login form", () -> browser.findElement(By.id("login")).isDisplayed());
        WebElement input = browser.findElement(By.id("admin-key"));
        input.clear();
        input.sendKeys(key);
        browser.findElement(By.id("login-submit")).click();
    }

    private Object script(String js, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(js, args);
    }

    private static void awaitApi(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                fail("not within " + WAIT.toSeconds() + " s: " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Polls the page (and the API) until the condition holds: a non-null value, or true. */
    private <T> T await(String what, Supplier<T> condition) {
        try {
            return new WebDriverWait(browser, WAIT, Duration.ofMillis(100))
                    .withMessage(what)
                    .ignoring(StaleElementReferenceException.class)
                    .until(driver -> {
                        T value = condition.get();
                        return value instanceof Boolean b && !b ? null : value;
                    });
        } catch (org.openqa.selenium.TimeoutException timedOut) {
            throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what, timedOut);
        }
    }

    private WebElement credentialRow(String name) {
        return browser.findElement(By.cssSelector("tr[data-credential='" + name + "']"));
    }

    private String cell(WebElement row, String field) {
        return row.findElement(By.cssSelector("[data-field='" + field + "']")).getText();
    }

    /**
     * An attribute of the first element matching a CSS selector, or {@code null} without one; read in one script, so
     * a part of the page redrawn meanwhile (the countdowns every 2 s, the totals every 10 s) is read whole.
     */
    private String attribute(String selector, String name) {
        return (String) script("const e = document.querySelector(arguments[0]);"
                + "return e ? e.getAttribute(arguments[1]) : null;", selector, name);
    }

    /** The fields of a row of the totals tables, field to text, read in one script. */
    @SuppressWarnings("unchecked")
    private Map<String, String> totalsRow(String selector) {
        Object fields = script("""
                const row = document.querySelector(arguments[0]);
                if (!row) { return null; }
                const fields = {};
                row.querySelectorAll('[data-field]').forEach(c => fields[c.dataset.field] = c.textContent);
                return fields;""", selector);
        return fields == null ? Map.of() : (Map<String, String>) fields;
    }

    private Map<String, JsonNode> apiCredentials() {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (JsonNode credential : admin("/admin/v1/credentials").get("credentials")) {
            byName.put(credential.get("name").asText(), credential);
        }
        return byName;
    }

    /** The rows' states, name to state, as the page shows them now. */
    private Map<String, String> shownStates() {
        Map<String, String> states = new TreeMap<>();
        for (WebElement row : browser.findElements(By.cssSelector("#credentials tr[data-credential]"))) {
            states.put(row.getAttribute("data-credential"), row.getAttribute("data-state"));
        }
        return states;
    }

    /** A chart's data as Chart.js holds it: each dataset's label and the sum of its points. */
    private Map<String, Long> chartSums(String canvasId) {
        Object sums = script("""
                const chart = Chart.getChart(document.getElementById(arguments[0]));
                if (!chart) { return null; }
                const sums = {};
                chart.data.datasets.forEach(d => sums[d.label] = d.data.reduce((a, b) => a + (b || 0), 0));
                return sums;""", canvasId);
        Map<String, Long> result = new TreeMap<>();
        if (sums instanceof Map<?, ?> map) {
            map.forEach((label, sum) -> result.put((String) label, ((Number) sum).longValue()));
        }
        return result;
    }

    private long chartPoints(String canvasId) {
        return ((Number) script("const c = Chart.getChart(document.getElementById(arguments[0]));"
                + "return c ? c.data.labels.length : 0;", canvasId)).longValue();
    }

    // ---- the tests ---------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void aWrongKeyKeepsTheLoginAndTheRightOneOpensTheDashboard() {
        browser.get(pageUrl());
        script("sessionStorage.clear();");
        browser.navigate().refresh();
        signIn("not-the-admin-key");
        await("the refusal", () -> browser.findElement(By.id("login-error")).getText().contains("refused"));
        assertFalse(browser.findElement(By.id("dashboard")).isDisplayed());

        signIn(ADMIN_KEY);
        await("the dashboard", () -> browser.findElement(By.id("dashboard")).isDisplayed());
        assertFalse(browser.findElement(By.id("login")).isDisplayed());
        assertFalse(browser.getCurrentUrl().contains(ADMIN_KEY), browser.getCurrentUrl());
        assertEquals(0L, script("return localStorage.length;"));
        assertEquals("", browser.findElement(By.id("admin-key")).getAttribute("value"), "the key left in the form");

        // A key the gateway stops taking (here: another tab's, swapped in) brings the login back at the next call.
        script("sessionStorage.setItem('caravan.admin-key', 'revoked-key');");
        await("the login again after a 401", () -> browser.findElement(By.id("login")).isDisplayed());
        assertFalse(browser.findElement(By.id("dashboard")).isDisplayed());
    }

    @Test
    @Order(2)
    void theChartsShowTheRequestsTheTestMadeInEachPeriod() {
        openSignedIn();
        Map<String, JsonNode> usage = new TreeMap<>();
        for (JsonNode row : admin("/admin/v1/usage?from=" + Instant.now().minus(Duration.ofDays(1))
                + "&group_by=client").get("data")) {
            usage.put(row.get("client").asText(), row);
        }
        long aliceTokens = usage.get("alice").get("input_tokens").asLong() + usage.get("alice").get("output_tokens").asLong();
        long bobTokens = usage.get("bob").get("input_tokens").asLong() + usage.get("bob").get("output_tokens").asLong();
        assertTrue(aliceTokens > 0 && bobTokens > 0, usage.toString());

        Map<String, Integer> periods = Map.of("hour", 60, "day", 24, "month", 30);
        for (String period : List.of("hour", "day", "month")) {
            browser.findElement(By.cssSelector("#periods button[data-period='" + period + "']")).click();
            await("the " + period + " view drawn", () -> period.equals(
                    browser.findElement(By.id("usage-summary")).getAttribute("data-period"))
                    && Map.of("alice", 3L, "bob", 2L).equals(chartSums("chart-requests-client")));
            assertEquals("true", browser.findElement(By.cssSelector("#periods button[data-period='" + period + "']"))
                    .getAttribute("aria-pressed"));
            assertEquals((long) periods.get(period), chartPoints("chart-requests-client"), period);
            assertEquals(Map.of("alice", aliceTokens, "bob", bobTokens), chartSums("chart-tokens-client"), period);
            assertEquals(Map.of("claude-test", 2L, "gpt-4o", 3L), chartSums("chart-requests-model"), period);
            assertEquals(Map.of("claude-test", bobTokens, "gpt-4o", aliceTokens), chartSums("chart-tokens-model"),
                    period);
            // bob's one failure in two: a rate above zero where he asked; alice's points are all 0 %.
            assertTrue(chartSums("chart-errors-client").get("bob") > 0, period);
            assertEquals(0L, chartSums("chart-errors-client").get("alice"), period);

            Map<String, String> bob = totalsRow("#usage-clients tr[data-usage-client='bob']");
            assertEquals("2", bob.get("requests"), bob.toString());
            assertEquals("1", bob.get("errors"), bob.toString());
            assertEquals("50.0 %", bob.get("error-rate"), bob.toString());
            Map<String, String> alice = totalsRow("#usage-clients tr[data-usage-client='alice']");
            assertEquals("0.0 %", alice.get("error-rate"), alice.toString());
            assertEquals(String.format(Locale.ENGLISH, "%,d", usage.get("alice").get("input_tokens").asLong()),
                    alice.get("input-tokens"), alice.toString());
            Map<String, String> claude = totalsRow("#usage-models tr[data-usage-model='claude-test']");
            assertEquals("50.0 %", claude.get("error-rate"), claude.toString());
        }
        assertTrue(((Number) script("return document.getElementById('chart-requests-client').width;")).longValue() > 0,
                "the chart has a drawing surface");
    }

    @Test
    @Order(3)
    void everyCredentialIsListedWithTheStateTheApiGives() {
        openSignedIn();
        await("the page's states equal the API's", () -> {
            Map<String, String> api = new TreeMap<>();
            apiCredentials().forEach((name, c) -> api.put(name, c.get("state").asText()));
            return api.keySet().equals(CREDENTIALS) && api.equals(shownStates());
        });
        assertEquals("cooling", shownStates().get("openai-1"));
        assertEquals("ready", shownStates().get("openai-2"));
        Map<String, JsonNode> api = apiCredentials();
        for (String name : CREDENTIALS) {
            WebElement row = credentialRow(name);
            JsonNode c = api.get(name);
            assertEquals(c.get("requests").asText(), cell(row, "requests"), name);
            assertEquals(c.get("failures").asText(), cell(row, "failures"), name);
            assertEquals(c.get("in_flight").asText() + " / " + c.get("max_concurrent").asText(), cell(row, "in-flight"),
                    name);
            assertEquals(c.get("kind").asText(), cell(row, "kind"), name);
        }
        WebElement cooling = credentialRow("openai-1");
        assertTrue(cell(cooling, "last-error").contains("HTTP 429"), cell(cooling, "last-error"));
        assertTrue(cell(cooling, "cooldown").contains("rate_limited"), cell(cooling, "cooldown"));
    }

    @Test
    @Order(4)
    void theLastReloadIsShown() {
        openSignedIn();
        JsonNode reload = admin("/admin/v1/config").get("last_reload");
        assertNotNull(reload, "the API has a last reload");
        await("the last reload's outcome", () -> reload.get("outcome").asText().equals(
                browser.findElement(By.id("last-reload")).getAttribute("data-outcome")));
        WebElement shown = browser.findElement(By.id("last-reload"));
        assertEquals(reload.get("trigger").asText(), shown.getAttribute("data-trigger"));
        assertTrue(shown.getText().contains(reload.get("outcome").asText()), shown.getText());
        String added = String.join(", ", names(reload.at("/credentials/added")));
        assertEquals(added.isEmpty() ? "—" : added,
                shown.findElement(By.cssSelector("[data-field='credentials-added']")).getText());
    }

    private static List<String> names(JsonNode array) {
        return array.isArray() ? JSON.convertValue(array, JSON.getTypeFactory()
                .constructCollectionType(List.class, String.class)) : List.of();
    }

    @Test
    @Order(5)
    void aScreenshotOfTheWholeDashboardIsKept() throws Exception {
        openSignedIn();
        await("everything drawn", () -> shownStates().size() == 3
                && !chartSums("chart-requests-model").isEmpty()
                && !browser.findElement(By.id("last-reload")).getAttribute("data-outcome").isEmpty()
                && attribute("tr[data-credential='openai-1'] [data-countdown]", "data-seconds-left") != null);
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, png);
        assertTrue(png.length > 10_000, "a screenshot of " + png.length + " bytes");
    }

    @Test
    @Order(6)
    void disablingACredentialShowsItDisabledAndEnablingItBringsItBack() {
        openSignedIn();
        await("openai-2 listed", () -> "ready".equals(shownStates().get("openai-2")));
        credentialRow("openai-2").findElement(By.cssSelector("button[data-action='disable']")).click();
        await("openai-2 shown disabled", () -> "disabled".equals(shownStates().get("openai-2")));
        JsonNode disabled = apiCredentials().get("openai-2");
        assertEquals("disabled", disabled.get("state").asText());
        assertFalse(disabled.get("enabled").asBoolean());
        assertTrue(credentialRow("openai-2").findElement(By.cssSelector("button[data-action='disable']"))
                .getAttribute("disabled") != null, "disable offered on a disabled credential");

        credentialRow("openai-2").findElement(By.cssSelector("button[data-action='enable']")).click();
        await("openai-2 shown ready again", () -> "ready".equals(shownStates().get("openai-2")));
        JsonNode enabled = apiCredentials().get("openai-2");
        assertEquals("ready", enabled.get("state").asText());
        assertTrue(enabled.get("enabled").asBoolean());
    }

    @Test
    @Order(7)
    void aCooldownCountsDownEverySecondAndResetEndsIt() {
        openSignedIn();
        String countdown = "tr[data-credential='openai-1'] [data-countdown]";
        long first = await("openai-1's countdown", () -> {
            String left = attribute(countdown, "data-seconds-left");
            return left == null ? null : Long.parseLong(left);
        });
        assertTrue(first > 0 && first <= RETRY_AFTER_SECONDS, "seconds left: " + first);
        String text = (String) script("return document.querySelector(arguments[0]).textContent;", countdown);
        assertTrue(text.endsWith("left") && text.contains("min"), text);
        // Between two refreshes of the list (2 s) the page counts down by itself, once a second.
        await("the countdown ticking", () -> Long.parseLong(attribute(countdown, "data-seconds-left")) < first);

        credentialRow("openai-1").findElement(By.cssSelector("button[data-action='reset']")).click();
        await("openai-1 shown ready", () -> "ready".equals(shownStates().get("openai-1")));
        assertEquals("ready", apiCredentials().get("openai-1").get("state").asText());
        assertEquals(null, attribute(countdown, "data-seconds-left"), "a countdown left on a ready credential");
    }

    @Test
    @Order(8)
    void aRefusedReloadIsShownWithItsError() throws Exception {
        openSignedIn();
        Path file = gateway.credentialsFile();
        String good = Files.readString(file);
        try {
            Files.writeString(file, good + "    models: [unclosed\n");
            HttpResponse<String> refused = postAdmin("/admin/v1/reload");
            assertEquals(422, refused.statusCode(), refused.body());
            String error = admin("/admin/v1/config").at("/last_reload/error").asText();
            await("the refusal shown", () -> "refused".equals(attribute("#last-reload", "data-outcome"))
                    && error.equals(script("const e = document.querySelector('#last-reload [data-field=reload-error]');"
                            + "return e ? e.textContent : null;")));
        } finally {
            Files.writeString(file, good);
        }
        HttpResponse<String> again = postAdmin("/admin/v1/reload");
        assertEquals(200, again.statusCode(), again.body());
        String outcome = JSON.readTree(again.body()).get("outcome").asText();
        await("the next reload shown", () -> outcome.equals(attribute("#last-reload", "data-outcome"))
                && attribute("#last-reload [data-field=reload-error]", "data-field") == null);
    }

    private HttpResponse<String> postAdmin(String path) throws Exception {
        return raw.send(raw.request(path, "").setHeader("authorization", "Bearer " + ADMIN_KEY));
    }
}

package dev.docsearch.service;

import dev.docsearch.service.config.ServiceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The search page in a real browser: Debian's headless Chromium driven through chromedriver (both from apt;
 * Selenium Manager is never asked to download anything). Types a query, checks results and highlighting,
 * filters by a guide chip, switches modes, uses the back button and the "/" shortcut, and saves screenshots
 * to {@code target/screenshots/}.
 */
class BrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    static Path root;
    @TempDir
    static Path profile;
    static SearchServer server;
    static WebDriver browser;
    static String base;
    static String releaseId;
    static Path screenshots;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser test skipped: needs Debian's chromium and chromium-driver (/usr/bin/chromium, "
                        + "/usr/bin/chromedriver); install them with scripts/install-deps");
        releaseId = TestCorpus.publishDefault(root);
        server = SearchServer.start(ServiceConfig.of(root, "127.0.0.1", 0, Duration.ofMillis(100)));
        Awaiting.status(new HttpProbe(server.port()), 200, Duration.ofSeconds(60));
        base = "http://127.0.0.1:" + server.port();
        screenshots = Path.of(System.getProperty("docsearch.screenshots", "target/screenshots"));
        Files.createDirectories(screenshots);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--user-data-dir=" + profile);
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(driver, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    private static WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    private static void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), screenshots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void typeAQuerySeeHighlightedResultsFilterByGuideAndGoBack() throws Exception {
        browser.get(base + "/");
        assertThat(browser.getTitle()).contains("docsearch");
        WebElement box = browser.switchTo().activeElement();
        assertThat(box.getAttribute("id")).as("the search box has the focus").isEqualTo("q");
        screenshot("home");

        box.sendKeys("enable bucket versioning", Keys.ENTER);
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("ol.results li.result")));
        assertThat(browser.getCurrentUrl()).contains("q=enable+bucket+versioning");
        List<WebElement> results = browser.findElements(By.cssSelector("ol.results li.result"));
        assertThat(results).isNotEmpty();
        assertThat(results.get(0).findElement(By.cssSelector(".title")).getText()).isEqualTo("Using versioning in S3 buckets");
        List<WebElement> marks = browser.findElements(By.cssSelector("ol.results .snippet mark"));
        assertThat(marks).isNotEmpty();
        assertThat(marks.stream().map(m -> m.getText().toLowerCase()))
                .anySatisfy(t -> assertThat(t).containsAnyOf("versioning", "bucket", "enable"));
        assertThat(browser.findElement(By.id("summary")).getText()).matches("\\d+ pages? · \\d+\\.\\d ms");
        assertThat(browser.findElement(By.id("release")).getText()).isEqualTo(releaseId);
        assertThat(browser.findElement(By.id("q")).getAttribute("value")).isEqualTo("enable bucket versioning");
        screenshot("results");

        WebElement chip = browser.findElement(By.cssSelector(".guides a.chip[data-guide='amazon-s3-userguide']"));
        String expectedCount = chip.findElement(By.cssSelector(".count")).getText();
        chip.click();
        waiting().until(ExpectedConditions.urlContains("guide=amazon-s3-userguide"));
        List<WebElement> badges = browser.findElements(By.cssSelector("ol.results .badge"));
        assertThat(badges).isNotEmpty()
                .allSatisfy(b -> assertThat(b.getAttribute("data-guide")).isEqualTo("amazon-s3-userguide"));
        assertThat(browser.findElement(By.id("count")).getText()).isEqualTo(expectedCount);
        assertThat(browser.findElement(By.cssSelector(".guides a.chip.active")).getText()).startsWith("Amazon S3 User Guide");
        screenshot("filtered-by-guide");

        browser.navigate().back();
        waiting().until(ExpectedConditions.not(ExpectedConditions.urlContains("guide=")));
        assertThat(browser.findElement(By.cssSelector(".guides a.chip.active")).getText()).startsWith("All guides");
    }

    @Test
    void modeSwitchNoResultsAndTheSlashShortcut() throws Exception {
        browser.get(base + "/?q=xyzzyplugh&mode=keyword");
        WebElement none = browser.findElement(By.id("no-results"));
        assertThat(none.getText()).contains("No pages match").contains("xyzzyplugh");
        screenshot("no-results");
        none.findElement(By.linkText("Try semantic search")).click();
        waiting().until(ExpectedConditions.urlContains("mode=semantic"));
        assertThat(browser.findElement(By.cssSelector(".modes a.active")).getText()).isEqualTo("Semantic");
        assertThat(browser.findElements(By.cssSelector("ol.results li.result"))).isNotEmpty();

        // Take the focus away, then "/" brings it back (the script runs under the strict CSP).
        browser.findElement(By.cssSelector("footer")).click();
        new Actions(browser).moveToElement(browser.findElement(By.cssSelector("main"))).click().perform();
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isNotEqualTo("q");
        new Actions(browser).sendKeys("/").perform();
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("q");
        assertThat(browser.findElement(By.id("q")).getAttribute("value")).isEqualTo("xyzzyplugh");
    }

    private static void type(WebElement box, String text) {
        for (char c : text.toCharArray()) {
            box.sendKeys(String.valueOf(c));
        }
    }

    private static String activeDescendant() {
        return browser.findElement(By.id("q")).getAttribute("aria-activedescendant");
    }

    @Test
    void resultsAppearAsYouTypeAndTheKeyboardOpensTheThirdResult() throws Exception {
        browser.get(base + "/");
        WebElement box = browser.findElement(By.id("q"));
        type(box, "bucket");
        // No Enter: the script asks /api/search and keeps the URL current.
        waiting().until(ExpectedConditions.urlContains("q=bucket"));
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("ol.results li.result")));
        type(box, " versioning");
        waiting().until(ExpectedConditions.urlContains("q=bucket+versioning"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("ol.results li.result .title"),
                "Using versioning in S3 buckets"));
        assertThat(browser.getTitle()).isEqualTo("bucket versioning · docsearch");
        assertThat(browser.findElement(By.id("summary")).getText()).matches("\\d+ pages? · \\d+\\.\\d ms");
        assertThat(browser.findElements(By.cssSelector("ol.results .snippet mark"))).isNotEmpty();
        assertThat(browser.findElement(By.cssSelector("ol.results li.result .badge")).getText()).isEqualTo("Amazon S3 User Guide");
        screenshot("as-you-type");

        // Up/Down walk the completions shown (if any), then the results, the box keeping the focus.
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#suggestions[data-for='bucket versioning']")));
        int completions = browser.findElements(By.cssSelector("#suggestions a")).size();
        for (int i = 0; i < completions + 3; i++) {
            box.sendKeys(Keys.ARROW_DOWN);
        }
        assertThat(activeDescendant()).isEqualTo("result-3-link");
        WebElement third = browser.findElement(By.id("result-3-link"));
        assertThat(third.getAttribute("class")).contains("active");
        assertThat(third.getAttribute("aria-current")).isEqualTo("true");
        assertThat(browser.findElement(By.id("result-3")).getAttribute("class")).contains("active");
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("q");
        box.sendKeys(Keys.ARROW_UP);
        assertThat(activeDescendant()).isEqualTo("result-2-link");
        box.sendKeys(Keys.ARROW_DOWN);
        screenshot("third-result-chosen");
        String href = third.getAttribute("href");
        assertThat(href).startsWith("https://docs.example.com/");
        box.sendKeys(Keys.ENTER);
        waiting().until(ExpectedConditions.urlToBe(href));
    }

    @Test
    void resultsRenderedAsYouTypeLinkToTheSameSectionsAsTheServersPage() throws Exception {
        String query = "Bucket Versioning choose Edit then Enable";
        browser.get(base + "/?q=" + HttpProbe.encode(query));
        List<String> served = titleLinks();
        assertThat(served).isNotEmpty()
                .contains("https://docs.example.com/amazon-s3-userguide/Versioning.html#enabling-versioning-on-buckets");

        browser.get(base + "/");
        type(browser.findElement(By.id("q")), query);
        waiting().until(ExpectedConditions.urlContains("q=Bucket+Versioning+choose+Edit+then+Enable"));
        waiting().until(d -> titleLinks().equals(served));
    }

    /**
     * Holds back the answer to the first query typed until the second query's results are on the page, then lets
     * it arrive: the page must keep the second query's results and URL. The order is forced by wrapping fetch,
     * not by timing: the held request is sent only when the test releases it, and the test waits until the page's
     * own handler has seen that answer (a task queued after the answer's body was read runs after it).
     */
    @Test
    void aStaleAnswerArrivingLastIsDropped() {
        browser.get(base + "/");
        ((JavascriptExecutor) browser).executeScript("""
                var realFetch = window.fetch;
                window.heldSearches = [];
                window.staleSeen = false;
                window.fetch = function (url, options) {
                  if (/^\\/api\\/search\\?(.*&)?q=lambda(&|$)/.test(String(url))) {
                    return new Promise(function (resolve, reject) {
                      window.heldSearches.push(function () {
                        realFetch(url).then(function (response) {
                          var json = response.json.bind(response);
                          response.json = function () {
                            return json().then(function (body) {
                              setTimeout(function () { window.staleSeen = true; }, 0);
                              return body;
                            });
                          };
                          resolve(response);
                        }, reject);
                      });
                    });
                  }
                  return realFetch(url, options);
                };
                """);
        WebElement box = browser.findElement(By.id("q"));
        type(box, "lambda");
        waiting().until(d -> ((Number) ((JavascriptExecutor) d).executeScript("return window.heldSearches.length"))
                .intValue() == 1);
        type(box, " timeout");
        waiting().until(ExpectedConditions.urlContains("q=lambda+timeout"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("ol.results li.result .title"),
                "Configuring Lambda function timeout"));
        List<String> fresh = titleLinks();

        ((JavascriptExecutor) browser).executeScript("window.heldSearches.forEach(function (send) { send(); });");
        waiting().until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript("return window.staleSeen")));
        assertThat(browser.getCurrentUrl()).contains("q=lambda+timeout");
        assertThat(titleLinks()).isEqualTo(fresh);
        assertThat(browser.getTitle()).isEqualTo("lambda timeout · docsearch");
        assertThat(box.getAttribute("value")).isEqualTo("lambda timeout");
    }

    /** axe-core (npm, installed by scripts/test) on the home page, a results page and a no-results page. */
    @Test
    void axeFindsNoSeriousOrCriticalViolations() throws Exception {
        Path axe = Path.of(System.getProperty("docsearch.axe", "../node_modules/axe-core/axe.min.js"));
        assumeTrue(Files.isRegularFile(axe), "axe check skipped: " + axe.toAbsolutePath().normalize()
                + " is missing (scripts/test installs it with npm ci)");
        String source = Files.readString(axe);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        for (String path : List.of("/", "/?q=" + HttpProbe.encode("bucket versioning"), "/?q=xyzzyplugh")) {
            browser.get(base + path);
            JavascriptExecutor js = (JavascriptExecutor) browser;
            js.executeScript(source);
            Object found = js.executeAsyncScript("""
                    var done = arguments[arguments.length - 1];
                    axe.run(document, {resultTypes: ['violations']}).then(function (r) {
                      done(r.violations.filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })
                        .map(function (v) {
                          return v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.map(function (n) {
                            return n.target.join(' '); }).join(', ');
                        }));
                    }, function (e) { done(['axe failed: ' + e]); });
                    """);
            assertThat((List<?>) found).as("serious or critical axe violations on " + path).isEmpty();
        }
    }

    private static List<String> titleLinks() {
        return browser.findElements(By.cssSelector("ol.results li.result a.title")).stream()
                .map(a -> a.getAttribute("href")).toList();
    }

    @Test
    void keyboardOnlyCompletionDidYouMeanAndThePages() throws Exception {
        browser.get(base + "/?q=bukcet+versoning");
        WebElement dym = browser.findElement(By.id("did-you-mean"));
        assertThat(dym.getText()).isEqualTo("Did you mean bucket versioning?");
        assertThat(browser.findElement(By.cssSelector("ol.results li.result .title")).getText())
                .isEqualTo("Using versioning in S3 buckets");
        screenshot("did-you-mean");

        // Ctrl-K focuses the box from anywhere on the page.
        new Actions(browser).moveToElement(browser.findElement(By.cssSelector("main"))).click().perform();
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isNotEqualTo("q");
        new Actions(browser).keyDown(Keys.CONTROL).sendKeys("k").keyUp(Keys.CONTROL).perform();
        WebElement box = browser.switchTo().activeElement();
        assertThat(box.getAttribute("id")).isEqualTo("q");

        // Escape clears the box; typing shows completions; Down then Enter searches the first one.
        box.sendKeys(Keys.ESCAPE);
        assertThat(box.getAttribute("value")).isEmpty();
        type(box, "lambda tim");
        // Wait for the answers to the text as typed, search and completions both: an earlier keystroke's may
        // have been shown first, and a later render would reset the arrow keys' choice under them.
        waiting().until(ExpectedConditions.titleIs("lambda tim · docsearch"));
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#suggestions[data-for='lambda tim'] a")));
        screenshot("suggestions");
        box.sendKeys(Keys.ARROW_DOWN);
        assertThat(activeDescendant()).isEqualTo("suggestion-0");
        String chosen = browser.findElement(By.id("suggestion-0")).getText();
        assertThat(chosen).isEqualTo("Configuring Lambda function timeout");
        box.sendKeys(Keys.ENTER);
        waiting().until(ExpectedConditions.urlContains("q=Configuring+Lambda+function+timeout"));
        assertThat(box.getAttribute("value")).isEqualTo(chosen);
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("ol.results li.result .title"),
                chosen));

        // Pages: Next is a plain link, reached by Tab like any other.
        browser.get(base + "/?q=instance&k=2");
        WebElement next = browser.findElement(By.cssSelector("#pager a.next"));
        next.sendKeys(Keys.ENTER);
        waiting().until(ExpectedConditions.urlContains("page=2"));
        assertThat(browser.findElement(By.cssSelector("ol.results li.result")).getAttribute("id")).isEqualTo("result-3");
        assertThat(browser.findElement(By.cssSelector("#pager .at")).getText()).startsWith("Page 2 of");
        screenshot("page-2");
        browser.findElement(By.cssSelector("#pager a.prev")).sendKeys(Keys.ENTER);
        waiting().until(ExpectedConditions.not(ExpectedConditions.urlContains("page=")));
    }

    @Test
    void scriptsInQueriesAndIndexedTextStayText() throws Exception {
        String attack = "<script>alert(1)</script><img src=x onerror=alert(2)>";
        browser.get(base + "/?q=" + HttpProbe.encode(attack));
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(browser.findElement(By.id("q")).getAttribute("value")).isEqualTo(attack);
        assertThat(browser.getTitle()).startsWith("<script>alert(1)</script>");

        browser.get(base + "/?q=" + HttpProbe.encode("flow logs title with markup"));
        WebElement hostile = browser.findElements(By.cssSelector("ol.results li.result")).stream()
                .filter(r -> r.getText().contains("Escaping")).findFirst().orElseThrow();
        assertThat(hostile.findElement(By.cssSelector(".title")).getText()).isEqualTo("Escaping <b>tags</b> & \"quotes\"");
        assertThat(hostile.findElements(By.cssSelector("a.title"))).as("a javascript: URL is never a link").isEmpty();
        assertThat(hostile.findElement(By.cssSelector(".crumb")).getText()).isEqualTo("<script>alert('section')</script>");
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        screenshot("escaped");
    }
}

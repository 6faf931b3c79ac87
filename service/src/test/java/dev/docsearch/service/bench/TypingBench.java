package dev.docsearch.service.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docsearch.service.SearchServer;
import dev.docsearch.service.config.ServiceConfig;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Search as you type, as a reader sees it: Chromium (headless, over loopback) types each query of the AWS docs
 * dev set letter by letter into the page of a service serving an artifact root, a key every {@code key-ms}
 * milliseconds, and the page itself records when each key went down, when each {@code /api/search} and
 * {@code /api/suggest} request left, and when the results list changed (and the frame after it).
 *
 * <p>Per query it takes: last keypress to rendered results (which includes the page's deliberate debounce),
 * the final request's departure to rendered results (the part that is work: HTTP, search, JSON, DOM), and the
 * requests the query cost. Prints p50/p90/max of each over the queries, after one unmeasured warm-up query.
 *
 * <pre>
 * scripts/bench typing /tmp/full-root [key-ms]
 * </pre>
 */
public final class TypingBench {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final int QUERIES = 24;

    /** Installed into each fresh page before typing; app.js calls the global fetch, so wrapping it sees every request. */
    private static final String INSTRUMENT = """
            var b = window.__bench = {keys: [], searches: [], suggests: [], renders: [], frames: []};
            document.addEventListener('keydown', function () { b.keys.push(performance.now()); }, true);
            var f = window.fetch;
            window.fetch = function (u) {
              var s = String(u);
              if (s.indexOf('/api/search') === 0) { b.searches.push(performance.now()); }
              if (s.indexOf('/api/suggest') === 0) { b.suggests.push(performance.now()); }
              return f.apply(this, arguments);
            };
            new MutationObserver(function () {
              b.renders.push(performance.now());
              requestAnimationFrame(function () { b.frames.push(performance.now()); });
            }).observe(document.getElementById('main'), {childList: true, subtree: true});
            """;

    private TypingBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: TypingBench <artifact-root> <key-ms> <queries.jsonl> [queries]");
            System.exit(2);
        }
        Path root = Path.of(args[0]);
        int keyMs = Integer.parseInt(args[1]);
        List<String> queries = sample(Path.of(args[2]), args.length > 3 ? Integer.parseInt(args[3]) : QUERIES);
        Path profile = Files.createTempDirectory("typing-bench-profile");
        try (SearchServer server = SearchServer.start(ServiceConfig.of(root, "127.0.0.1", 0, Duration.ofSeconds(5)))) {
            String base = "http://127.0.0.1:" + server.port();
            awaitHealthy(base);
            WebDriver browser = chromium(profile);
            try {
                run(browser, base, queries, keyMs);
            } finally {
                browser.quit();
            }
        }
    }

    private static void run(WebDriver browser, String base, List<String> queries, int keyMs) throws Exception {
        type(browser, base, "bucket versioning", keyMs); // warm-up: JIT, caches, the page's first load
        // {keyToRender, keyToFrame, requestToRender, searches, suggests, ms between keys}
        List<double[]> rows = new ArrayList<>();
        for (String q : queries) {
            rows.add(type(browser, base, q, keyMs));
        }
        System.out.printf(Locale.ROOT, "queries=%d key_ms=%d chars_avg=%.1f%n", rows.size(), keyMs,
                queries.stream().mapToInt(String::length).average().orElse(0));
        String[] names = {"last keypress -> results in the DOM (ms)", "last keypress -> next frame (ms)",
                "final request sent -> results in the DOM (ms)", "/api/search requests per query",
                "/api/suggest requests per query", "time between keystrokes as typed (ms)"};
        for (int c = 0; c < names.length; c++) {
            int col = c;
            double[] v = rows.stream().mapToDouble(r -> r[col]).sorted().toArray();
            System.out.printf(Locale.ROOT, "| %s | p50 %.1f | p90 %.1f | max %.1f | mean %.2f |%n", names[c],
                    v[v.length / 2], v[(int) Math.min(v.length - 1, Math.ceil(v.length * 0.9) - 1)], v[v.length - 1],
                    Arrays.stream(v).average().orElse(0));
        }
    }

    /** Types one query into a fresh page and returns its figures once the page shows that query's results. */
    private static double[] type(WebDriver browser, String base, String query, int keyMs) throws Exception {
        browser.get(base + "/");
        JavascriptExecutor js = (JavascriptExecutor) browser;
        js.executeScript(INSTRUMENT);
        WebElement box = browser.findElement(By.id("q"));
        for (char c : query.toCharArray()) {
            box.sendKeys(String.valueOf(c));
            Thread.sleep(keyMs);
        }
        String title = query.strip() + " \u00b7 docsearch";
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> title.equals(d.getTitle())
                && "false".equals(d.findElement(By.id("main")).getAttribute("aria-busy"))
                && (Boolean) js.executeScript("return window.__bench.frames.length >= window.__bench.renders.length"));
        Thread.sleep(200); // a late answer of an earlier keystroke would show here (it must not render)
        @SuppressWarnings("unchecked")
        Map<String, List<Number>> b = (Map<String, List<Number>>) js.executeScript("return window.__bench");
        double lastKey = last(b.get("keys"));
        double render = last(b.get("renders"));
        double frame = last(b.get("frames"));
        double request = last(b.get("searches"));
        List<Number> keys = b.get("keys");
        double between = keys.size() < 2 ? 0 : (lastKey - keys.get(0).doubleValue()) / (keys.size() - 1);
        return new double[]{render - lastKey, frame - lastKey, render - request, b.get("searches").size(),
                b.get("suggests").size(), between};
    }

    private static double last(List<Number> times) {
        if (times.isEmpty()) {
            throw new IllegalStateException("the page recorded no event of a kind the bench needs");
        }
        return times.get(times.size() - 1).doubleValue();
    }

    /** Up to {@code n} dev-set queries, taken in turn from each query type so that every type is in the sample. */
    static List<String> sample(Path queriesFile, int n) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, List<String>> byType = new LinkedHashMap<>();
        for (String line : Files.readAllLines(queriesFile, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                JsonNode q = json.readTree(line);
                byType.computeIfAbsent(q.path("metadata").path("type").asText("other"), t -> new ArrayList<>())
                        .add(q.path("text").asText());
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; out.size() < n; i++) {
            boolean any = false;
            for (List<String> typed : byType.values()) {
                if (i < typed.size() && out.size() < n) {
                    out.add(typed.get(i));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return out;
    }

    private static void awaitHealthy(String base) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // the listener is not up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(base + "/health did not answer 200 within 3 minutes");
    }

    private static WebDriver chromium(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--user-data-dir=" + profile);
        ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(driver, options);
    }
}

package dev.docsearch.pipeline.cli;

import dev.docsearch.pipeline.fixture.DocsSiteFixture;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Measures the weekly job (a benchmark, not a test): all of awsdocs served by the loopback docs site, a
 * seeding update, then a share of the pages edited and the timed update that a weekly run would be.
 *
 * <pre>
 * WeeklyUpdateBench &lt;awsdocs&gt; &lt;work-dir&gt; [--seed-cache ROOT] [--share 0.05] [--polite-delay 200ms]
 * </pre>
 * {@code --seed-cache} hard-links the embedding cache and model of an earlier full build (e.g. of
 * {@code dir:awsdocs}) into the work root, so that seeding re-embeds only text that the HTML route extracts
 * differently. Prints one {@code bench:} line per phase with the load average.
 */
public final class WeeklyUpdateBench {

    private WeeklyUpdateBench() {
    }

    public static void main(String[] args) throws Exception {
        Path awsdocs = Path.of(args[0]);
        Path work = Path.of(args[1]);
        Path seedCache = null;
        double share = 0.05;
        String politeDelay = "200ms";
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--seed-cache" -> seedCache = Path.of(args[++i]);
                case "--share" -> share = Double.parseDouble(args[++i]);
                case "--polite-delay" -> politeDelay = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path root = work.resolve("artifacts");
        Files.createDirectories(root);
        if (seedCache != null) {
            link(seedCache.resolve("cache"), root.resolve("cache"));
            link(seedCache.resolve("models"), root.resolve("models"));
        }
        try (DocsSiteFixture site = DocsSiteFixture.builder(awsdocs).allGuides().start()) {
            List<String> base = List.of("--root", root.toString(), "--source", site.sitemapIndexUrl(),
                    "--progress", "log");
            CliRun.Result seed = timed("seed", site, args("update", base, "--polite-delay", "0ms"));
            if (seed.code() != 0) {
                throw new IllegalStateException("seeding failed: " + seed);
            }

            List<String> ids = site.pageIds();
            int every = (int) Math.round(1 / share);
            int edited = 0;
            for (int i = 0; i < ids.size(); i += every) {
                String marker = "Weekly note " + i + ": this page was revised.";
                site.modifyPage(ids.get(i), md -> md + "\n\n" + marker + "\n");
                edited++;
            }
            System.out.printf(Locale.ROOT, "bench: edited %d of %d pages (%.1f%%)%n", edited, ids.size(),
                    100.0 * edited / ids.size());
            CliRun.Result weekly = timed("weekly", site, args("update", base, "--polite-delay", politeDelay));
            if (weekly.code() != 0) {
                throw new IllegalStateException("weekly update failed: " + weekly);
            }
            timed("idle", site, args("update", base, "--polite-delay", politeDelay));
        }
    }

    private static CliRun.Result timed(String phase, DocsSiteFixture site, String[] args) {
        site.resetCounts();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        long start = System.nanoTime();
        CliRun.Result r = CliRun.run(Map.of(), args);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.print(r.out());
        System.out.printf(Locale.ROOT, "bench: phase=%s exit=%d seconds=%.1f page_requests=%d load_before=%.2f "
                        + "load_after=%.2f heap_used_mb=%d%n", phase, r.code(), seconds, site.totalPageRequests(), load,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        if (!r.err().isBlank()) {
            System.out.print(r.err());
        }
        return r;
    }

    private static String[] args(String command, List<String> base, String... extra) {
        List<String> all = new ArrayList<>();
        all.add(command);
        all.addAll(base);
        all.addAll(List.of(extra));
        return all.toArray(String[]::new);
    }

    /** Hard-links a tree (same file system), copying where links are refused. */
    private static void link(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path src : walk.sorted().toList()) {
                Path dst = to.resolve(from.relativize(src).toString());
                if (Files.isDirectory(src)) {
                    Files.createDirectories(dst);
                } else {
                    try {
                        Files.createLink(dst, src);
                    } catch (IOException | UnsupportedOperationException e) {
                        Files.copy(src, dst, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
    }
}

package dev.docsearch.pipeline.cli;

import dev.docsearch.pipeline.fixture.DocsSiteFixture;
import dev.docsearch.pipeline.fixture.SamplePages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Picks small real awsdocs pages (800..2,500 bytes of markdown, a chunk or two each) so that tests which embed
 * stay quick, and serves them with {@link DocsSiteFixture}. The pages are picked among those both corpora hold
 * ({@link SamplePages}), so a test gets the same pages with the full corpus or with the bundled sample.
 */
public final class SmallSite {

    private SmallSite() {
    }

    /** The first {@code n} small pages of a guide, by file name. */
    public static List<String> pages(Path awsdocs, String guide, int n) throws IOException {
        List<String> ids = new ArrayList<>();
        try (Stream<Path> files = Files.list(awsdocs.resolve(guide))) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".md") || name.startsWith(".")) {
                    continue;
                }
                long size = Files.size(f);
                if (size >= 800 && size <= 2_500) {
                    ids.add(guide + "/" + name.substring(0, name.length() - 3));
                    if (ids.size() == n) {
                        break;
                    }
                }
            }
        }
        return ids;
    }

    /**
     * A site of {@code perGuide} small pages of each guide: the first ones of {@link SamplePages#folder()}, served
     * from {@link DocsSiteFixture#awsdocs()}. Fails when a guide has fewer small pages there.
     */
    public static DocsSiteFixture start(int perGuide, String... guides) throws IOException {
        Path awsdocs = DocsSiteFixture.requireAwsdocs();
        List<String> ids = new ArrayList<>();
        for (String g : guides) {
            List<String> small = pages(SamplePages.folder(), g, perGuide);
            if (small.size() < perGuide) {
                throw new IllegalStateException("the test wants " + perGuide + " small pages of " + g + " but "
                        + SamplePages.folder() + " holds " + small.size());
            }
            ids.addAll(small);
        }
        return DocsSiteFixture.builder(awsdocs).pages(ids.toArray(String[]::new)).start();
    }

    /** The flags every test update uses against a site: its sitemap index, no polite delay, no progress output. */
    public static List<String> updateFlags(Path root, DocsSiteFixture site) {
        return updateFlags(root, site, 2);
    }

    /** As {@link #updateFlags(Path, DocsSiteFixture)} with {@code threads} embedding threads. */
    public static List<String> updateFlags(Path root, DocsSiteFixture site, int threads) {
        return List.of("--root", root.toString(), "--source", site.sitemapIndexUrl(), "--polite-delay", "0ms",
                "--progress", "none", "--threads", String.valueOf(threads));
    }

    /** Runs {@code update} with {@code flags}, which must succeed, and returns what it printed. */
    public static CliRun.Result updateSucceeds(List<String> flags) {
        CliRun.Result r = CliRun.run(args("update", flags));
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    /** {@code command} followed by {@code flags} and {@code extra}. */
    public static String[] args(String command, List<String> flags, String... extra) {
        List<String> all = new ArrayList<>();
        all.addAll(List.of(command.split(" ")));
        all.addAll(flags);
        all.addAll(List.of(extra));
        return all.toArray(String[]::new);
    }
}

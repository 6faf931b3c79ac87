package dev.docsearch.service.bench;

import dev.docsearch.core.cache.EmbeddingCache;
import dev.docsearch.core.chunk.Chunker;
import dev.docsearch.core.chunk.ChunkingParameters;
import dev.docsearch.core.embed.Embedder;
import dev.docsearch.core.embed.EmbedderOptions;
import dev.docsearch.core.embed.ModelInfo;
import dev.docsearch.core.embed.ModelStore;
import dev.docsearch.core.model.Page;
import dev.docsearch.core.release.Manifest;
import dev.docsearch.core.release.ReleaseBuilder;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.core.vector.VectorIndexOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A stopgap for benchmarks until the pipeline's CLI ({@code scripts/docsearch update}) exists: builds and
 * publishes a release from the awsdocs markdown folders with a minimal markdown reading (title, {@code ##}
 * and {@code ###} sections, links to their text, backslash escapes removed), taking pages round-robin across
 * guides.
 *
 * <pre>
 * java -cp service/target/docsearch-service.jar:service/target/test-classes:&lt;minilm carrier jar&gt; \
 *   dev.docsearch.service.bench.MarkdownRelease ../shared/data/awsdocs ./artifacts 300
 * </pre>
 */
public final class MarkdownRelease {

    private static final Pattern ANCHOR = Pattern.compile("<a name=\"[^\"]*\"></a>");
    private static final Pattern LINK = Pattern.compile("!?\\[([^\\]]*)\\]\\([^)]*\\)");
    private static final Pattern ESCAPE = Pattern.compile("\\\\(.)");

    private MarkdownRelease() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: MarkdownRelease <awsdocs-dir> <artifact-root> [max-pages]");
            System.exit(2);
        }
        Path source = Path.of(args[0]);
        Path root = Path.of(args[1]);
        int max = args.length > 2 ? Integer.parseInt(args[2]) : Integer.MAX_VALUE;
        List<Page> pages = read(source, max);
        System.out.println("pages read: " + pages.size());
        ModelInfo model = new ModelStore(root).installBundled();
        ReleaseStore store = new ReleaseStore(root);
        try (Embedder embedder = Embedder.open(model, EmbedderOptions.defaults())) {
            ReleaseBuilder builder = new ReleaseBuilder(store, embedder,
                    new Chunker(ChunkingParameters.DEFAULT, embedder::countTokens), VectorIndexOptions.DEFAULT,
                    EmbeddingCache.open(root, model.sha256(), model.dimension()),
                    Runtime.getRuntime().availableProcessors(),
                    (step, done, total) -> System.out.printf("%s %d/%d%n", step, done, total));
            String parent = store.current().orElse(null);
            Manifest m = builder.build(pages, parent).manifest();
            store.publish(m.id());
            System.out.println("published " + m.id() + " pages=" + m.pages() + " chunks=" + m.chunks());
        }
    }

    static List<Page> read(Path source, int max) throws IOException {
        List<Iterator<Path>> guides = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(source)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(dir)) {
                    guides.add(files.filter(f -> f.toString().endsWith(".md")).sorted().toList().iterator());
                }
            }
        }
        List<Page> pages = new ArrayList<>();
        boolean any = true;
        while (pages.size() < max && any) {
            any = false;
            for (Iterator<Path> g : guides) {
                if (g.hasNext() && pages.size() < max) {
                    any = true;
                    Page p = page(g.next());
                    if (p != null) {
                        pages.add(p);
                    }
                }
            }
        }
        return pages;
    }

    static Page page(Path file) throws IOException {
        String guide = file.getParent().getFileName().toString();
        String name = file.getFileName().toString().replaceFirst("\\.md$", "");
        // A few pages hold stray Latin-1 bytes: decode leniently (they become U+FFFD).
        List<String> lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
        String title = null;
        List<Page.Section> sections = new ArrayList<>();
        List<String> path = List.of();
        StringBuilder text = new StringBuilder();
        String h2 = null;
        for (String line : lines) {
            if (title == null && line.startsWith("# ")) {
                title = clean(line.substring(2));
                continue;
            }
            if (line.startsWith("## ") || line.startsWith("### ")) {
                flush(sections, path, text);
                String heading = clean(line.substring(line.indexOf(' ') + 1));
                if (line.startsWith("## ")) {
                    h2 = heading;
                    path = List.of(heading);
                } else {
                    path = h2 == null ? List.of(heading) : List.of(h2, heading);
                }
                continue;
            }
            text.append(clean(line)).append('\n');
        }
        flush(sections, path, text);
        if (title == null || sections.isEmpty()) {
            return null;
        }
        return new Page(guide + "/" + name, "https://docs.aws.amazon.com/" + guide + "/" + name + ".html", title, guide,
                sections);
    }

    private static void flush(List<Page.Section> sections, List<String> path, StringBuilder text) {
        String t = text.toString().strip();
        if (!t.isEmpty()) {
            sections.add(new Page.Section(path, t));
        }
        text.setLength(0);
    }

    private static String clean(String s) {
        String noAnchors = ANCHOR.matcher(s).replaceAll("");
        String noLinks = LINK.matcher(noAnchors).replaceAll("$1");
        return ESCAPE.matcher(noLinks).replaceAll("$1").strip();
    }
}

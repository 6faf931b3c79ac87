package dev.docsearch.service.bench;

import dev.docsearch.core.model.Chunk;
import dev.docsearch.core.release.ChunkStore;
import dev.docsearch.core.release.Release;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.core.suggest.HeadingSuggester;
import dev.docsearch.core.vector.VectorIndexOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Server-side cost of {@code GET /api/suggest}: builds the {@link HeadingSuggester} from the live release's chunk
 * store of an artifact root, as the service does at release load, and times lookups of what a reader types on
 * the way to a title or heading: every prefix, letter by letter, of a few hundred sampled entries' first words.
 * Prints the build time and the lookup p50/p99 after a warm-up round.
 *
 * <pre>
 * java -cp service/target/test-classes:service/target/classes:&lt;test classpath&gt; \
 *   dev.docsearch.service.bench.SuggestBench /tmp/full-root [samples]
 * </pre>
 */
public final class SuggestBench {

    private SuggestBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: SuggestBench <artifact-root> [samples]");
            System.exit(2);
        }
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        ReleaseStore store = new ReleaseStore(Path.of(args[0]));
        String id = store.current().orElseThrow(() -> new IllegalArgumentException(args[0] + " has no CURRENT"));
        try (Release release = Release.open(store, id, VectorIndexOptions.DEFAULT)) {
            run(release, samples);
        }
    }

    private static void run(Release release, int samples) throws Exception {
        ChunkStore chunks = release.chunks();
        long b0 = System.nanoTime();
        try (HeadingSuggester suggester = HeadingSuggester.build(chunks)) {
            double buildMs = (System.nanoTime() - b0) / 1e6;
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < chunks.size(); i++) {
                Chunk c = chunks.get(i);
                texts.add(c.title());
                if (!c.sectionPath().isEmpty()) {
                    texts.add(c.sectionPath().get(c.sectionPath().size() - 1));
                }
            }
            Collections.shuffle(texts, new Random(42));
            List<String> prefixes = new ArrayList<>();
            for (String t : texts.subList(0, Math.min(samples, texts.size()))) {
                String typed = String.join(" ", Arrays.asList(t.split("\\s+")).subList(0, Math.min(3, t.split("\\s+").length)));
                for (int i = 1; i <= typed.length(); i++) {
                    if (!typed.substring(0, i).isBlank()) {
                        prefixes.add(typed.substring(0, i));
                    }
                }
            }
            for (String p : prefixes) {
                suggester.suggest(p, HeadingSuggester.MAX_SUGGESTIONS); // warm-up
            }
            long[] nanos = new long[prefixes.size()];
            for (int i = 0; i < prefixes.size(); i++) {
                long t0 = System.nanoTime();
                suggester.suggest(prefixes.get(i), HeadingSuggester.MAX_SUGGESTIONS);
                nanos[i] = System.nanoTime() - t0;
            }
            Arrays.sort(nanos);
            System.out.printf(Locale.ROOT, "release=%s pages=%d chunks=%d entries=%d build_ms=%.0f lookups=%d "
                            + "p50_ms=%.3f p99_ms=%.3f%n", release.id(), release.manifest().pages(), chunks.size(),
                    suggester.size(), buildMs, nanos.length, nanos[nanos.length / 2] / 1e6,
                    nanos[(int) (nanos.length * 0.99)] / 1e6);
        }
    }
}

package dev.docsearch.pipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.core.search.SearchEngine;
import dev.docsearch.core.search.SearchHit;
import dev.docsearch.core.search.SearchMode;
import dev.docsearch.core.search.SearchRequest;
import dev.docsearch.core.search.SearchResponse;
import org.jsoup.parser.Parser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code docsearch search "<query>"}: the service's ranking, from a terminal. */
@Command(name = "search", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Search the live release of an artifact root with the service's ranking (BM25 and the release's "
                + "embedding model's vectors over chunks, folded into pages, fused with reciprocal ranks).")
final class SearchCommand extends CommandBase implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "QUERY", description = "What to search for.")
    String query;
    @Option(names = "--k", paramLabel = "N", defaultValue = "10",
            description = "Pages to show, 1..100 (default: ${DEFAULT-VALUE}).")
    int k;
    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "hybrid",
            description = "hybrid, keyword (BM25 only) or semantic (vectors only) (default: ${DEFAULT-VALUE}).")
    String mode;
    @Option(names = "--guide", paramLabel = "GUIDE", description = "Only pages of this guide (e.g. amazon-s3-userguide).")
    String guide;
    @Option(names = "--candidates", paramLabel = "N", defaultValue = "100",
            description = "Chunks each retriever hands to fusion, as the service's --candidates (default: ${DEFAULT-VALUE}).")
    int candidates;
    @Option(names = "--json", description = "Print the response as one JSON object.")
    boolean json;
    @Mixin
    RootOption root;

    @Override
    public Integer call() throws Exception {
        SearchRequest request;
        try {
            request = SearchRequest.of(query, k).withMode(SearchMode.parse(mode)).withGuide(guide);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (candidates < 1 || candidates > 1000) {
            throw usage("--candidates must be in 1..1000, was " + candidates);
        }
        Path dir = root.resolve(env());
        ReleaseStore store = new ReleaseStore(dir);
        String id = store.current().orElseThrow(() -> new IllegalStateException(
                "no live release under " + dir + " (CURRENT is missing): run 'docsearch update' first"));
        SearchEngine.Settings settings = SearchEngine.Settings.DEFAULT.withCandidates(candidates);
        try (SearchEngine engine = SearchEngine.open(store, id, request.mode() == SearchMode.KEYWORD
                ? settings.withoutQueryEmbedding() : settings)) {
            SearchResponse response = engine.search(request);
            if (json) {
                out().println(new ObjectMapper().writeValueAsString(response));
            } else {
                print(response);
            }
            SummaryLine.of().with("release", id).with("model", engine.release().manifest().model().name())
                    .with("mode", request.mode().label()).with("hits", response.hits().size()).with("total", response.total())
                    .with("took_ms", String.format(Locale.ROOT, "%.1f", response.tookMicros() / 1000.0))
                    .printTo(json ? err() : out());
            return ExitCode.OK;
        }
    }

    private void print(SearchResponse response) {
        boolean ansi = System.console() != null;
        int rank = 1;
        for (SearchHit h : response.hits()) {
            out().printf(Locale.ROOT, "%2d. %s  [%s]  score=%.4f%s%s%n", rank++, h.title(), h.guide(), h.score(),
                    h.keywordRank() == null ? "" : " bm25#" + h.keywordRank(),
                    h.semanticRank() == null ? "" : " vector#" + h.semanticRank());
            out().println("    " + h.sectionUrl());
            if (h.section() != null && !h.section().isBlank()) {
                out().println("    section: " + h.section());
            }
            out().println("    " + plain(h.snippet(), ansi));
        }
        if (response.hits().isEmpty()) {
            out().println("no results");
        }
    }

    /** The snippet's HTML made readable on a terminal: marks in bold (or *stars*), entities decoded. */
    static String plain(String html, boolean ansi) {
        return Parser.unescapeEntities(html.replace("<mark>", ansi ? "\u001b[1m" : "*")
                .replace("</mark>", ansi ? "\u001b[0m" : "*"), false);
    }
}

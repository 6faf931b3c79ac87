package dev.docsearch.pipeline.cli;

import dev.docsearch.core.model.Page;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.core.search.QueryIdentifiers;
import dev.docsearch.core.search.SearchEngine;
import dev.docsearch.core.search.SearchHit;
import dev.docsearch.core.search.SearchRequest;
import dev.docsearch.pipeline.extract.HtmlExtractor;
import dev.docsearch.pipeline.extract.MarkdownPages;
import dev.docsearch.pipeline.fixture.DocsSiteFixture;
import dev.docsearch.pipeline.http.Validators;
import dev.docsearch.pipeline.source.FetchOutcome;
import dev.docsearch.pipeline.source.LocalFolderSource;
import dev.docsearch.pipeline.source.SourceEntry;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pasted identifiers in hybrid mode, on a real release of the bundled sample built by {@code docsearch update}:
 * the identifiers are drawn from the pages at test time (error and exception names, IAM actions, CLI flags,
 * config keys), each with the pages that hold it found by a plain text search, and for at least 95% of them one
 * of those pages must be in hybrid's top 3. Nothing is hard-coded but what an identifier looks like.
 */
class IdentifierSearchTest {

    /** What is drawn: distinctive tokens of the kinds users paste. */
    private static final Pattern CANDIDATE = Pattern.compile(String.join("|",
            "\\b[A-Z][a-z]+(?:[A-Z][a-z]+)+(?:Exception|Error|Fault|Exceeded|Denied|NotFound|Limit)\\b",
            "\\b[a-z][a-z0-9-]{1,15}:[A-Z][a-zA-Z]{3,}\\b",
            "(?<![\\w-])--[a-z]+(?:-[a-z]+){1,4}\\b",
            "\\b[A-Z][A-Z0-9]+(?:_[A-Z0-9]+){1,5}\\b",
            "\\b[A-Z][a-z]+(?:[A-Z][a-z]+){2,}\\b"));

    @Test
    void aPastedIdentifierFindsAPageThatHoldsItInTheTopThree() throws Exception {
        Path sample = DocsSiteFixture.sample();
        Path root = SampleRelease.root();

        // Every page as the pipeline extracted it: an identifier counts where its text shows it.
        LocalFolderSource source = new LocalFolderSource(sample, new MarkdownPages(), new HtmlExtractor(), 5 << 20);
        Map<String, String> textById = new TreeMap<>();
        for (SourceEntry e : source.list()) {
            if (source.fetch(e, Validators.NONE) instanceof FetchOutcome.Fetched f) {
                StringBuilder text = new StringBuilder(f.page().title());
                for (Page.Section s : f.page().sections()) {
                    text.append('\n').append(String.join(" ", s.headingPath())).append('\n').append(s.text());
                }
                textById.put(e.id(), text.toString());
            }
        }
        Map<String, Set<String>> pagesOf = new TreeMap<>();
        for (Map.Entry<String, String> page : textById.entrySet()) {
            Matcher m = CANDIDATE.matcher(page.getValue());
            while (m.find()) {
                pagesOf.computeIfAbsent(m.group(), k -> new HashSet<>()).add(page.getKey());
            }
        }
        // Distinctive: held by one to three pages (a plain substring search confirms which), and read as one
        // identifier by the query side.
        List<String> drawn = new ArrayList<>();
        for (String candidate : pagesOf.keySet()) {
            Set<String> holders = new HashSet<>();
            textById.forEach((id, text) -> {
                if (text.contains(candidate)) {
                    holders.add(id);
                }
            });
            if (holders.size() <= 3 && QueryIdentifiers.of(candidate).equals(List.of(candidate))) {
                pagesOf.put(candidate, holders);
                drawn.add(candidate);
            }
        }
        // Spread over the sorted list, so every kind is drawn and the choice is the same on every run.
        List<String> identifiers = new ArrayList<>();
        int step = Math.max(1, drawn.size() / 60);
        for (int i = 0; i < drawn.size(); i += step) {
            identifiers.add(drawn.get(i));
        }
        assertThat(identifiers).as("identifiers drawn from the sample").hasSizeGreaterThanOrEqualTo(30);

        ReleaseStore store = new ReleaseStore(root);
        String id = store.current().orElseThrow();
        List<String> missed = new ArrayList<>();
        try (SearchEngine engine = SearchEngine.open(store, id, SearchEngine.Settings.DEFAULT)) {
            for (String identifier : identifiers) {
                List<SearchHit> top = engine.search(SearchRequest.of(identifier, 3)).hits();
                if (top.stream().noneMatch(h -> pagesOf.get(identifier).contains(h.pageId()))) {
                    missed.add(identifier + " (in " + pagesOf.get(identifier) + ", got "
                            + top.stream().map(SearchHit::pageId).toList() + ")");
                }
            }
        }
        double found = 1 - (double) missed.size() / identifiers.size();
        System.out.printf("identifier search: %d identifiers, %.1f%% with a holding page in the top 3%n",
                identifiers.size(), 100 * found);
        assertThat(found).as("share found in the top 3; missed: %s", missed).isGreaterThanOrEqualTo(0.95);
    }
}

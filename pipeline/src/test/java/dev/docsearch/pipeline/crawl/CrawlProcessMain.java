package dev.docsearch.pipeline.crawl;

import dev.docsearch.pipeline.corpus.CorpusStore;
import dev.docsearch.pipeline.http.HttpSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A crawl in a process of its own, for tests that kill it: {@code CrawlProcessMain <root> <source>...}. */
public final class CrawlProcessMain {

    private CrawlProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        CrawlSettings settings = CrawlSettings.defaults().withHttp(HttpSettings.defaults()
                .withPoliteDelay(Duration.ZERO).withMaxConcurrencyPerHost(2));
        try (CorpusStore store = CorpusStore.open(Path.of(args[0]))) {
            CrawlResult result = new Crawler(settings).crawl(List.of(args).subList(1, args.length), store);
            System.out.println("summary: " + result.summary());
        }
    }
}

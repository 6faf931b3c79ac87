package dev.docsearch.pipeline.cli;

import dev.docsearch.pipeline.corpus.CorpusStore;
import dev.docsearch.pipeline.crawl.CrawlResult;
import dev.docsearch.pipeline.crawl.Crawler;
import dev.docsearch.pipeline.lock.UpdateLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code docsearch crawl}: the incremental crawl alone. */
@Command(name = "crawl", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Crawl the sources incrementally into <root>/corpus: fetch only pages whose sitemap lastmod "
                + "moved (or, without lastmod, that a conditional GET finds changed), drop pages gone from the "
                + "sitemaps. A failed sitemap, or a crawl that would remove more than --max-removed-share of the "
                + "pages, aborts and changes nothing. Builds and publishes nothing."})
final class CrawlCommand extends CommandBase implements Callable<Integer> {

    @Mixin
    RootOption root;
    @Mixin
    SourceOptions sources;
    @Mixin
    LockOption lock;
    @Mixin
    ProgressOption progress;

    @Override
    @SuppressWarnings("try") // the lock is held for the block's duration; nothing in it needs the object
    public Integer call() throws Exception {
        long start = System.nanoTime();
        Path dir = root.resolve(env());
        List<String> specs = Inputs.sources(this, sources);
        try (UpdateLock held = UpdateLock.acquire(dir, "crawl", lock.settings());
             ProgressDisplay display = Inputs.progress(this, progress);
             CorpusStore corpus = CorpusStore.open(dir)) {
            CrawlResult result = new Crawler(sources.settings()).crawl(specs, corpus, display.crawl());
            SummaryLine.of().then(result.summary().replaceFirst(" seconds=\\S+$", "")).seconds(start).printTo(out());
            return ExitCode.OK;
        }
    }
}

package dev.docsearch.pipeline.cli;

import dev.docsearch.core.embed.ModelInfo;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.pipeline.build.BuildInputs;
import dev.docsearch.pipeline.build.BuildRecord;
import dev.docsearch.pipeline.build.BuildSettings;
import dev.docsearch.pipeline.build.CorpusSnapshot;
import dev.docsearch.pipeline.build.ReleaseBuild;
import dev.docsearch.pipeline.corpus.CorpusStore;
import dev.docsearch.pipeline.crawl.CrawlResult;
import dev.docsearch.pipeline.crawl.Crawler;
import dev.docsearch.pipeline.publish.Publisher;
import dev.docsearch.pipeline.sink.PausePoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code docsearch update}: the weekly job. */
@Command(name = "update", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The weekly job: crawl (incrementally) -> build (re-embedding only what changed) -> publish "
                + "-> prune -> announce, holding the artifact root's update lock throughout.",
                "When the crawled pages, the model and the chunking are those of the live release, nothing is built "
                        + "or published (exit code 3). A release an earlier run built but did not get to publish is "
                        + "published instead of being built again. Ends with one line:",
                "summary: release=<id> pages_added=N pages_changed=N pages_removed=N pages_unchanged=N "
                        + "chunks_embedded=N chunks_reused=N seconds=S"})
final class UpdateCommand extends CommandBase implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(UpdateCommand.class);

    @Mixin
    RootOption root;
    @Mixin
    SourceOptions sources;
    @Mixin
    BuildOptions build;
    @Mixin
    KeepOption keepOption;
    @Mixin
    LiveChange change;
    @Mixin
    ProgressOption progress;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        Path dir = root.resolve(env());
        int keep = keepOption.count(this);
        BuildSettings settings = Inputs.build(this, build);
        List<String> specs = Inputs.sources(this, sources);
        try (ProgressDisplay display = Inputs.progress(this, progress)) {
            return change.run(this, dir, "update", held -> update(held, dir, display, settings, specs, keep, start));
        }
    }

    /** The recipe, holding the lock: crawl, build (or reuse), publish, prune. */
    private int update(LiveChange.Held held, Path dir, ProgressDisplay display, BuildSettings settings,
                       List<String> specs, int keep, long start) throws Exception {
        ReleaseStore store = held.store();
        store.removeAbandonedStaging();

        CrawlResult crawl;
        try (CorpusStore corpus = CorpusStore.open(dir)) {
            crawl = new Crawler(sources.settings()).crawl(specs, corpus, display.crawl());
        }
        CorpusSnapshot snapshot = CorpusSnapshot.of(crawl.pages());
        if (snapshot.isEmpty()) {
            throw new IOException("the sources list no pages: nothing to build (a release is never empty)");
        }

        ReleaseBuild builder = new ReleaseBuild(dir, settings, display.build());
        BuildInputs inputs = builder.inputs(snapshot);
        String live = store.current().orElse(null);
        if (live != null && builder.builtFrom(live, inputs)) {
            // A run killed between its flip and its prune left more releases than --keep: prune now.
            held.publisher().prune(keep);
            SummaryLine.saying("nothing to publish (live release " + live + " is up to date)")
                    .then("pages_added=0 pages_changed=0 pages_removed=0")
                    .with("pages_unchanged", snapshot.pages().size())
                    .then("chunks_embedded=0 chunks_reused=0").seconds(start).printTo(out());
            return ExitCode.NOTHING_TO_PUBLISH;
        }
        BuildRecord record;
        ModelInfo builtWith = null; // verified by this run's build; an earlier run's release is verified at publish
        Optional<String> earlier = builder.unpublishedBuildOf(inputs, live);
        if (earlier.isPresent()) {
            log.info("release {} was built from these very pages by an earlier run that did not publish it; "
                    + "publishing it instead of building again", earlier.get());
            record = builder.records().read(earlier.get()).orElseThrow();
        } else {
            record = builder.build(snapshot, live);
            builtWith = builder.model();
        }

        held.lock().checkHeld();
        Publisher publisher = held.publisher();
        publisher.publish(record.release(), builtWith, start, false);
        PausePoint.reach(PausePoint.BEFORE_PRUNE); // a no-op unless a crash test asks for it
        publisher.prune(keep);
        SummaryLine.of().with("release", record.release()).then(record.changes().summary())
                .with("chunks_embedded", record.chunksEmbedded()).with("chunks_reused", record.chunksReused())
                .seconds(start).printTo(out());
        return ExitCode.OK;
    }
}

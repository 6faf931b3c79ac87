package dev.docsearch.pipeline.cli;

import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.pipeline.build.BuildRecord;
import dev.docsearch.pipeline.build.BuildSettings;
import dev.docsearch.pipeline.build.CorpusSnapshot;
import dev.docsearch.pipeline.build.ReleaseBuild;
import dev.docsearch.pipeline.corpus.CorpusStore;
import dev.docsearch.pipeline.lock.UpdateLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code docsearch build}: a release of the corpus' committed pages, not published. */
@Command(name = "build", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Chunk, embed and write a release of the corpus' committed pages into <root>/releases/<id> "
                + "(not published: see 'publish'). Embeddings are cached under <root>/cache/embeddings/<model>, "
                + "so only new or changed chunks are embedded. The model is installed into <root>/models first."})
final class BuildCommand extends CommandBase implements Callable<Integer> {

    @Mixin
    RootOption root;
    @Mixin
    BuildOptions build;
    @Mixin
    LockOption lock;
    @Mixin
    ProgressOption progress;

    @Override
    @SuppressWarnings("try") // the lock is held for the block's duration; nothing in it needs the object
    public Integer call() throws Exception {
        long start = System.nanoTime();
        Path dir = root.resolve(env());
        BuildSettings settings = Inputs.build(this, build);
        try (ProgressDisplay display = Inputs.progress(this, progress);
             UpdateLock held = UpdateLock.acquire(dir, "build", lock.settings())) {
            ReleaseStore store = new ReleaseStore(dir);
            store.removeAbandonedStaging();
            CorpusSnapshot snapshot;
            try (CorpusStore corpus = CorpusStore.open(dir)) {
                snapshot = CorpusSnapshot.of(corpus);
            }
            ReleaseBuild builder = new ReleaseBuild(dir, settings, display.build());
            BuildRecord r = builder.build(snapshot, store.current().orElse(null));
            SummaryLine.of().with("release", r.release()).with("pages", r.pages()).with("chunks", r.chunks())
                    .then(r.changes().summary()).with("chunks_embedded", r.chunksEmbedded())
                    .with("chunks_reused", r.chunksReused()).seconds(start).printTo(out());
            return ExitCode.OK;
        }
    }
}

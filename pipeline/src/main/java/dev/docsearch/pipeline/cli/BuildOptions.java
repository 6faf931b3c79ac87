package dev.docsearch.pipeline.cli;

import dev.docsearch.core.embed.BundledModel;
import dev.docsearch.pipeline.build.BuildSettings;
import picocli.CommandLine.Option;

/** How releases are built. */
final class BuildOptions {

    @Option(names = "--threads", paramLabel = "N",
            description = "Embedding threads (default: the number of cores).")
    Integer threads;

    @Option(names = "--exact-up-to", paramLabel = "N",
            description = "Releases of up to N chunks get an exact (flat) vector index, larger ones IVF "
                    + "(default: 20000; a flat scan of 50k vectors costs ~8 ms per query, IVF ~0.7 ms at "
                    + "recall@10 0.994).")
    Integer exactUpTo;

    @Option(names = "--model", paramLabel = "NAME", converter = ModelName.class, completionCandidates = ModelName.class,
            description = "The embedding model of new releases: ${COMPLETION-CANDIDATES} (default: "
                    + BundledModel.DEFAULT_NAME + "). "
                    + "A release built with another model is rebuilt in full.")
    BundledModel model;

    BuildSettings settings() {
        BuildSettings s = BuildSettings.defaults();
        if (model != null) {
            s = s.withModel(model);
        }
        if (threads != null) {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be >= 1, was " + threads);
            }
            s = s.withThreads(threads);
        }
        if (exactUpTo != null) {
            if (exactUpTo < 0) {
                throw new IllegalArgumentException("--exact-up-to must be >= 0, was " + exactUpTo);
            }
            s = s.withVectors(s.vectors().withExactUpTo(exactUpTo));
        }
        return s;
    }
}

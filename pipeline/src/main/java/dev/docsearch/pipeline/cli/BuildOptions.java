package dev.docsearch.pipeline.cli;

import dev.docsearch.pipeline.build.BuildSettings;
import picocli.CommandLine.Option;

/** How releases are built. */
final class BuildOptions {

    @Option(names = "--threads", paramLabel = "N",
            description = "Embedding threads (default: the number of cores).")
    Integer threads;

    BuildSettings settings() {
        BuildSettings s = BuildSettings.defaults();
        return threads == null ? s : s.withThreads(threads);
    }
}

package dev.docsearch.pipeline.cli;

import dev.docsearch.pipeline.build.BuildSettings;
import dev.docsearch.pipeline.events.ReleaseAnnouncer;
import dev.docsearch.pipeline.sink.ReleaseSink;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Resolves option groups into the objects commands use, turning invalid values into usage errors (exit 2). */
final class Inputs {

    private Inputs() {
    }

    static List<String> sources(CommandBase command, SourceOptions options) throws IOException {
        try {
            options.settings(); // validates the numbers
            return options.specs(command.env());
        } catch (IllegalArgumentException e) {
            throw command.usage(e.getMessage());
        }
    }

    static BuildSettings build(CommandBase command, BuildOptions options) {
        try {
            return options.settings();
        } catch (IllegalArgumentException e) {
            throw command.usage(e.getMessage());
        }
    }

    static ProgressDisplay progress(CommandBase command, ProgressOption option) {
        try {
            return option.open(command.err());
        } catch (IllegalArgumentException e) {
            throw command.usage(e.getMessage());
        }
    }

    static ReleaseSink sink(CommandBase command, PublishOptions options, Path root) {
        try {
            return options.openSink(root, command.env());
        } catch (IllegalArgumentException e) {
            throw command.usage(e.getMessage());
        }
    }

    static ReleaseAnnouncer announcer(CommandBase command, PublishOptions options) {
        try {
            return options.openAnnouncer(command.env());
        } catch (IllegalArgumentException e) {
            throw command.usage(e.getMessage());
        }
    }

    static void keep(CommandBase command, int keep) {
        if (keep < 1) {
            throw command.usage("--keep must be >= 1 (the live release is always kept), was " + keep);
        }
    }
}

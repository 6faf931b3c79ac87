package dev.docsearch.pipeline.cli;

import dev.docsearch.core.release.ReleaseStore;
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

    /** An option group's value; its IllegalArgumentException is the user's mistake, so a usage error. */
    @FunctionalInterface
    private interface Resolution<T> {
        T get() throws IOException;
    }

    private static <T> T resolve(CommandBase command, Resolution<T> resolution) throws IOException {
        try {
            return resolution.get();
        } catch (IllegalArgumentException e) {
            throw command.usage(e.getMessage());
        }
    }

    static List<String> sources(CommandBase command, SourceOptions options) throws IOException {
        return resolve(command, () -> {
            options.settings(); // validates the numbers
            return options.specs(command.env());
        });
    }

    static BuildSettings build(CommandBase command, BuildOptions options) throws IOException {
        return resolve(command, options::settings);
    }

    static ProgressDisplay progress(CommandBase command, ProgressOption option) throws IOException {
        return resolve(command, () -> option.open(command.err()));
    }

    static ReleaseSink sink(CommandBase command, PublishOptions options, Path root) throws IOException {
        return resolve(command, () -> options.openSink(root, command.env()));
    }

    static ReleaseAnnouncer announcer(CommandBase command, PublishOptions options) throws IOException {
        return resolve(command, () -> options.openAnnouncer(command.env()));
    }

    /** A release id given on the command line: a usage error unless it has the form of one. */
    static void releaseId(CommandBase command, String id) {
        if (!ReleaseStore.isReleaseId(id)) {
            throw command.usage("not a release id: '" + id + "' (see 'docsearch releases list' for the ids)");
        }
    }
}

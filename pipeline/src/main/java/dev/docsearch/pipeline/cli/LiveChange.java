package dev.docsearch.pipeline.cli;

import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.pipeline.events.ReleaseAnnouncer;
import dev.docsearch.pipeline.lock.UpdateLock;
import dev.docsearch.pipeline.publish.Publisher;
import dev.docsearch.pipeline.sink.ReleaseSink;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;

/**
 * The options and set-up of the commands that change what is live ({@code publish}, {@code releases rollback},
 * {@code releases gc}, {@code update}): where releases go live and who hears of it ({@link PublishOptions}), and how
 * the update lock is taken ({@link LockOption}). {@link #run} takes the lock, then opens the sink and the
 * announcer, runs the command's body with them, and closes them in the reverse order whatever happens.
 */
final class LiveChange {

    @Mixin
    PublishOptions publish;
    @Mixin
    LockOption lock;

    /**
     * What the body of a command runs with.
     *
     * @param lock      the artifact root's update lock, held
     * @param store     the artifact root's releases
     * @param sink      where releases go live
     * @param announcer who hears of a publish ({@link ReleaseAnnouncer#NONE} for a command that publishes nothing)
     */
    record Held(UpdateLock lock, ReleaseStore store, ReleaseSink sink, ReleaseAnnouncer announcer) {

        Publisher publisher() {
            return new Publisher(store, sink, announcer);
        }
    }

    /** A command's body, run while the lock is held. */
    @FunctionalInterface
    interface Body {
        int run(Held held) throws Exception;
    }

    /** Runs {@code body} holding the lock of {@code root}, with the sink and the announcer open. */
    int run(CommandBase command, Path root, String name, Body body) throws Exception {
        return run(command, root, name, true, body);
    }

    /** Like {@link #run} for a command that announces nothing: no announcer is opened (nor its settings checked). */
    int runUnannounced(CommandBase command, Path root, String name, Body body) throws Exception {
        return run(command, root, name, false, body);
    }

    private int run(CommandBase command, Path root, String name, boolean announce, Body body) throws Exception {
        try (UpdateLock held = UpdateLock.acquire(root, name, lock.settings());
             ReleaseSink sink = Inputs.sink(command, publish, root);
             ReleaseAnnouncer announcer = announce ? Inputs.announcer(command, publish) : ReleaseAnnouncer.NONE) {
            return body.run(new Held(held, new ReleaseStore(root), sink, announcer));
        }
    }
}

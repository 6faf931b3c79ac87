package dev.docsearch.pipeline.cli;

import dev.docsearch.core.release.ReleaseRejectedException;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.pipeline.lock.UpdateLock;
import dev.docsearch.pipeline.publish.Publisher;

import java.io.IOException;

/**
 * Making a committed release live from the command line, as {@code publish} and {@code releases rollback} both do:
 * refuse an unknown id, answer "nothing to publish" (exit 3) when it is live already, otherwise publish it
 * through the {@link Publisher} and print the one-line summary.
 */
final class ReleaseFlip {

    private ReleaseFlip() {
    }

    static int makeLive(CommandBase command, ReleaseStore store, String id, UpdateLock held, Publisher publisher,
                        long startNanos, boolean rollback, String sink) throws IOException, ReleaseRejectedException {
        if (!store.ids().contains(id)) {
            throw new IllegalStateException("release " + id + " does not exist under " + store.releasesDir()
                    + " (see 'docsearch releases list')");
        }
        if (store.current().filter(id::equals).isPresent()) {
            command.out().println("summary: nothing to publish (release " + id + " is already live)");
            return ExitCode.NOTHING_TO_PUBLISH;
        }
        held.checkHeld();
        Publisher.Result r = publisher.publish(id, startNanos, rollback);
        command.out().println("summary: release=" + id + " previous=" + (r.previous() == null ? "none" : r.previous())
                + " rollback=" + rollback + " pages=" + r.manifest().pages() + " chunks=" + r.manifest().chunks()
                + " sink=" + sink + " announced=" + r.announced() + " seconds=" + CommandBase.seconds(startNanos));
        return ExitCode.OK;
    }
}

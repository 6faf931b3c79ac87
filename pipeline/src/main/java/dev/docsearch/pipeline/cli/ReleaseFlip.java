package dev.docsearch.pipeline.cli;

import dev.docsearch.core.release.ReleaseRejectedException;
import dev.docsearch.core.release.ReleaseStore;
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

    static int makeLive(CommandBase command, LiveChange.Held held, String id, long startNanos, boolean rollback)
            throws IOException, ReleaseRejectedException {
        ReleaseStore store = held.store();
        if (!store.ids().contains(id)) {
            throw new IllegalStateException("release " + id + " does not exist under " + store.releasesDir()
                    + " (see 'docsearch releases list')");
        }
        if (store.current().filter(id::equals).isPresent()) {
            SummaryLine.saying("nothing to publish (release " + id + " is already live)").printTo(command.out());
            return ExitCode.NOTHING_TO_PUBLISH;
        }
        held.lock().checkHeld();
        Publisher.Result r = held.publisher().publish(id, startNanos, rollback);
        SummaryLine.of().with("release", id).with("previous", r.previous() == null ? "none" : r.previous())
                .with("rollback", rollback).with("pages", r.manifest().pages()).with("chunks", r.manifest().chunks())
                .with("sink", held.sink().describe()).with("announced", r.announced()).seconds(startNanos)
                .printTo(command.out());
        return ExitCode.OK;
    }
}

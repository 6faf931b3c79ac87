package dev.docsearch.pipeline.cli;

import dev.docsearch.pipeline.lock.LockSettings;
import picocli.CommandLine.Option;

import java.time.Duration;

/** How long a lock may go without a heartbeat before another run takes it over. */
final class LockOption {

    @Option(names = "--lock-stale-after", paramLabel = "DURATION", defaultValue = "2h", converter = Durations.class,
            description = "Take over the artifact root's update lock when its holder's heartbeat is older than this "
                    + "(default: ${DEFAULT-VALUE}). A holder on this host whose process is gone is taken over at once.")
    Duration staleAfter;

    LockSettings settings() {
        return LockSettings.staleAfter(staleAfter);
    }
}

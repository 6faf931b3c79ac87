package dev.docsearch.service.reload;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * What the watcher last concluded about the artifact root.
 *
 * @param state      the service's condition
 * @param reason     why it is not {@link State#OK}, or null when it is
 * @param rejectedId the release that was refused, or null
 * @param since      when this state began
 */
public record ReloadStatus(State state, String reason, String rejectedId, Instant since) {

    /** The service's condition as {@code /health} reports it. */
    public enum State {
        /** No release loaded yet and one is being looked for or loaded. */
        STARTING,
        /** Serving the release {@code CURRENT} names. */
        OK,
        /** Serving an older release because a newer one was refused (or {@code CURRENT} went bad). */
        DEGRADED,
        /** Nothing to serve: no release published, or the only one was refused. */
        UNAVAILABLE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ReloadStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
    }
}

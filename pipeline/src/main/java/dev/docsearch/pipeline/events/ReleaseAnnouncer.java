package dev.docsearch.pipeline.events;

/**
 * Tells the world that a release went live. An announcement is a courtesy: it must never fail a publish, so
 * implementations report failure by returning false (after logging why), never by throwing.
 */
public interface ReleaseAnnouncer extends AutoCloseable {

    /** Announces nothing beyond the publisher's own log line. */
    ReleaseAnnouncer NONE = new ReleaseAnnouncer() {
        @Override
        public boolean announce(ReleasePublished event) {
            return true;
        }

        @Override
        public String describe() {
            return "none";
        }
    };

    /** @return whether the announcement was accepted */
    boolean announce(ReleasePublished event);

    /** For log lines: where announcements go. */
    String describe();

    @Override
    default void close() {
    }
}

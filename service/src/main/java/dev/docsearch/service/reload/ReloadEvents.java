package dev.docsearch.service.reload;

/** What the watcher tells the outside world (metrics) as it loads releases. Called from the watcher's thread. */
public interface ReloadEvents {

    /** A load of release {@code id} begins. */
    void attempted(String id);

    /** Release {@code release} went live, {@code millis} after the watcher first saw it in {@code CURRENT}. */
    void swapped(ServingRelease release, long millis);

    /** Release {@code id} was refused (it stays refused until retried). */
    void rejected(String id, String reason);

    ReloadEvents NONE = new ReloadEvents() {
        @Override
        public void attempted(String id) {
        }

        @Override
        public void swapped(ServingRelease release, long millis) {
        }

        @Override
        public void rejected(String id, String reason) {
        }
    };
}

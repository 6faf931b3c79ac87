package dev.docsearch.pipeline.sink;

/**
 * A place where a test can freeze a run to kill it there: when the system property
 * {@value #PROPERTY} names the point, the run prints {@code paused at <point>} to stderr and waits until it
 * is killed. Crash tests use it to SIGKILL an update at a known step however fast the machine is: while a
 * build is embedding, or between uploading a release and flipping {@code CURRENT}. Without the property it
 * does nothing.
 */
public final class PausePoint {

    /** The system property naming the point to pause at. */
    public static final String PROPERTY = "docsearch.pipeline.pauseAt";
    /** After a release is in place at the sink, before {@code CURRENT} names it. */
    public static final String BEFORE_CURRENT = "before-current";
    /**
     * While a build embeds: after a batch of chunk texts has been embedded (the first one reported), before the
     * release is written, committed or published.
     */
    public static final String EMBEDDING = "embedding";
    /** After {@code CURRENT} names the new release, before the old ones are pruned. */
    public static final String BEFORE_PRUNE = "before-prune";

    private PausePoint() {
    }

    /** Pauses forever if {@code point} is the one asked for. */
    public static void reach(String point) {
        if (!point.equals(System.getProperty(PROPERTY))) {
            return;
        }
        System.err.println("paused at " + point);
        System.err.flush();
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while paused at " + point, e);
            }
        }
    }
}

package dev.docsearch.pipeline.cli;

/** The exit codes of every {@code docsearch} command. */
public final class ExitCode {

    /** Done. */
    public static final int OK = 0;
    /** Failed; the message says why. Nothing half-done is left live. */
    public static final int FAILED = 1;
    /** Bad usage: an unknown flag, a missing or invalid value. */
    public static final int USAGE = 2;
    /** Nothing to publish: nothing changed, or the release asked for is already live. */
    public static final int NOTHING_TO_PUBLISH = 3;
    /** Another run holds the artifact root's update lock. */
    public static final int LOCK_HELD = 4;

    private ExitCode() {
    }
}

package dev.docsearch.pipeline.cli;

import java.io.PrintStream;

/**
 * The one line every command ends with, for scripts and operators to grep: {@code summary:} followed by a phrase
 * ({@code nothing to publish (...)}) and/or {@code key=value} fields, each after one space. Built up, then printed
 * once; not thread-safe.
 */
final class SummaryLine {

    private final StringBuilder line = new StringBuilder("summary:");

    private SummaryLine() {
    }

    /** A line of fields only. */
    static SummaryLine of() {
        return new SummaryLine();
    }

    /** A line that starts with {@code phrase}. */
    static SummaryLine saying(String phrase) {
        return new SummaryLine().then(phrase);
    }

    /** Appends {@code key=value}. */
    SummaryLine with(String key, Object value) {
        return then(key + "=" + value);
    }

    /** Appends text already in the line's form (a phrase, or fields such as {@code PageChanges.summary()}). */
    SummaryLine then(String text) {
        line.append(' ').append(text);
        return this;
    }

    /** Appends {@code seconds=S.s}, the time since {@code startNanos} ({@link System#nanoTime()}). */
    SummaryLine seconds(long startNanos) {
        return with("seconds", CommandBase.seconds(startNanos));
    }

    void printTo(PrintStream out) {
        out.println(line);
    }

    @Override
    public String toString() {
        return line.toString();
    }
}

package dev.docsearch.pipeline.cli;

import dev.docsearch.core.release.ReleaseBuilder;
import dev.docsearch.pipeline.crawl.CrawlProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows the progress of the long steps (pages fetched, chunks embedded) with rate and ETA: on a terminal one
 * line redrawn in place on stderr, otherwise a plain log line every {@link #LOG_EVERY_NANOS} (and at the end of
 * each step). Thread-safe; callers report from one thread per step.
 */
public final class ProgressDisplay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProgressDisplay.class);
    static final long LOG_EVERY_NANOS = 10_000_000_000L;
    private static final long REDRAW_EVERY_NANOS = 100_000_000L;

    /** How progress is shown. */
    public enum Mode {
        /** {@link #TERMINAL} when a console is attached, else {@link #LOG}. */
        AUTO,
        /** One line redrawn in place. */
        TERMINAL,
        /** Periodic log lines. */
        LOG,
        /** Nothing. */
        NONE;

        Mode resolve() {
            return this == AUTO ? (System.console() != null ? TERMINAL : LOG) : this;
        }
    }

    private final Mode mode;
    private final PrintStream terminal;
    private final LongSupplier clock;
    private String step;
    private long stepStart;
    private long lastShown;
    private int lastWidth;
    private boolean lineOpen;

    public ProgressDisplay(Mode mode, PrintStream terminal) {
        this(mode, terminal, System::nanoTime);
    }

    ProgressDisplay(Mode mode, PrintStream terminal, LongSupplier clock) {
        this.mode = mode.resolve();
        this.terminal = terminal;
        this.clock = clock;
    }

    public Mode mode() {
        return mode;
    }

    /** Progress of a crawl: pages settled of pages listed. */
    public CrawlProgress crawl() {
        return (done, total) -> update("crawl", "pages", done, total);
    }

    /** Progress of a build: distinct chunk texts embedded of those the cache lacked. */
    public ReleaseBuilder.Progress build() {
        return (name, done, total) -> update(name, "chunks", done, total);
    }

    synchronized void update(String name, String unit, long done, long total) {
        long now = clock.getAsLong();
        if (!name.equals(step) || done < 1) {
            step = name;
            stepStart = now;
            // The first terminal line shows at once; the first log line only after an interval.
            lastShown = mode == Mode.LOG ? now : Long.MIN_VALUE / 2;
        }
        boolean last = done >= total;
        switch (mode) {
            case TERMINAL -> {
                if (last || now - lastShown >= REDRAW_EVERY_NANOS) {
                    String line = line(name, unit, done, total, now - stepStart);
                    int pad = Math.max(0, lastWidth - line.length());
                    terminal.print("\r" + line + " ".repeat(pad));
                    lastWidth = line.length();
                    lineOpen = true;
                    if (last) {
                        endLine();
                    }
                    terminal.flush();
                    lastShown = now;
                }
            }
            case LOG -> {
                if (last || now - lastShown >= LOG_EVERY_NANOS) {
                    double rate = rate(done, now - stepStart);
                    log.info("progress step={} done={} total={} unit={} perSecond={} etaSeconds={} seconds={}", name,
                            done, total, unit, rate < 0 ? "?" : String.format(Locale.ROOT, "%.1f", rate),
                            eta(done, total, rate), String.format(Locale.ROOT, "%.1f", (now - stepStart) / 1e9));
                    lastShown = now;
                }
            }
            default -> {
            }
        }
    }

    /** {@code crawl   1234/4162 pages  29.6%  35.2/s  ETA 1m23s} */
    static String line(String step, String unit, long done, long total, long elapsedNanos) {
        double rate = rate(done, elapsedNanos);
        double pct = total <= 0 ? 100 : 100.0 * done / total;
        long eta = eta(done, total, rate);
        return String.format(Locale.ROOT, "%-6s %d/%d %s  %.1f%%  %s/s  ETA %s", step, done, total, unit, pct,
                rate < 0 ? "?" : String.format(Locale.ROOT, "%.1f", rate), eta < 0 ? "?" : clockTime(eta));
    }

    /** Items per second, or -1 during the first second (too early for a rate that means anything). */
    private static double rate(long done, long elapsedNanos) {
        return elapsedNanos < 1_000_000_000L ? -1 : done / (elapsedNanos / 1e9);
    }

    private static long eta(long done, long total, double rate) {
        if (done >= total) {
            return 0;
        }
        return rate <= 0 ? -1 : Math.round((total - done) / rate);
    }

    static String clockTime(long seconds) {
        if (seconds >= 3600) {
            return seconds / 3600 + "h" + String.format(Locale.ROOT, "%02dm", (seconds % 3600) / 60);
        }
        if (seconds >= 60) {
            return seconds / 60 + "m" + String.format(Locale.ROOT, "%02ds", seconds % 60);
        }
        return seconds + "s";
    }

    private void endLine() {
        if (lineOpen) {
            terminal.println();
            lineOpen = false;
            lastWidth = 0;
        }
    }

    /** Ends an unfinished terminal line (a step that failed half way), so what follows starts on its own line. */
    @Override
    public synchronized void close() {
        if (mode == Mode.TERMINAL) {
            endLine();
            terminal.flush();
        }
    }
}

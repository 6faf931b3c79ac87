package dev.docsearch.pipeline.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Progress on a terminal: one line redrawn in place, throttled, with rate and ETA, closed by a newline. */
class ProgressDisplayTest {

    @Test
    void aTerminalGetsOneLineRedrawnInPlace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            ProgressDisplay display = new ProgressDisplay(ProgressDisplay.Mode.TERMINAL, out, now::get);
            for (int done = 1; done <= 400; done++) {
                now.addAndGet(5_000_000); // 5 ms per page: 200 pages/s
                display.crawl().update(done, 400);
            }
            display.close();
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        String[] draws = text.split("\r", -1);
        // Redrawn at most every 100 ms over 2 s (about 20 times), not 400 times; one newline at the end.
        assertThat(draws.length - 1).isBetween(15, 25);
        assertThat(text.chars().filter(c -> c == '\n').count()).isEqualTo(1);
        assertThat(text).endsWith("\n");
        String last = draws[draws.length - 1].strip();
        assertThat(last).matches("crawl  400/400 pages  100\\.0%  200\\.\\d/s  ETA 0s");
        String middle = draws[10];
        assertThat(middle).matches("crawl  \\d+/400 pages  \\d+\\.\\d%  (\\?|20\\d\\.\\d)/s  ETA (\\?|\\d+s)\\s*");
    }

    @Test
    void theLineSaysRateAndEta() {
        assertThat(ProgressDisplay.line("embed", "chunks", 250, 1000, 10_000_000_000L))
                .isEqualTo("embed  250/1000 chunks  25.0%  25.0/s  ETA 30s");
        assertThat(ProgressDisplay.line("embed", "chunks", 10, 100_000, 2_000_000_000L))
                .isEqualTo("embed  10/100000 chunks  0.0%  5.0/s  ETA 5h33m");
        assertThat(ProgressDisplay.line("crawl", "pages", 3, 10, 500_000_000L)).contains("?/s  ETA ?");
        assertThat(ProgressDisplay.clockTime(125)).isEqualTo("2m05s");
    }

    @Test
    void noneAndLogModesPrintNothingOnTheTerminal() {
        for (ProgressDisplay.Mode mode : new ProgressDisplay.Mode[]{ProgressDisplay.Mode.NONE, ProgressDisplay.Mode.LOG}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
                ProgressDisplay display = new ProgressDisplay(mode, out);
                display.build().update("embed", 5, 10);
                display.build().update("embed", 10, 10);
                display.close();
            }
            assertThat(bytes.size()).as(mode.name()).isZero();
        }
    }
}

package dev.docsearch.pipeline.cli;

import picocli.CommandLine.Option;

import java.io.PrintStream;

/** {@code --progress}. */
final class ProgressOption {

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "How to show progress of long steps: auto (a line redrawn in place on a terminal, log "
                    + "lines otherwise), terminal, log, none (default: ${DEFAULT-VALUE}).")
    String mode;

    ProgressDisplay open(PrintStream err) {
        ProgressDisplay.Mode m = switch (mode.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "auto" -> ProgressDisplay.Mode.AUTO;
            case "terminal" -> ProgressDisplay.Mode.TERMINAL;
            case "log" -> ProgressDisplay.Mode.LOG;
            case "none" -> ProgressDisplay.Mode.NONE;
            default -> throw new IllegalArgumentException("--progress must be auto, terminal, log or none; was '" + mode + "'");
        };
        return new ProgressDisplay(m, err);
    }
}

package dev.docsearch.pipeline.cli;

import picocli.CommandLine.Option;

/** {@code --keep N}: how many releases a prune leaves, the live one always among them. */
final class KeepOption {

    @Option(names = "--keep", paramLabel = "N", defaultValue = "3",
            description = "Releases to keep, the live one always among them (default: ${DEFAULT-VALUE}).")
    int keep;

    /** The count, checked: at least 1, since the live release is always kept. */
    int count(CommandBase command) {
        if (keep < 1) {
            throw command.usage("--keep must be >= 1 (the live release is always kept), was " + keep);
        }
        return keep;
    }
}

package dev.docsearch.pipeline.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.Map;

/** What every command needs: its streams, the environment, and a way to reject bad input (exit code 2). */
abstract class CommandBase {

    @Spec
    CommandSpec spec;

    Docsearch app() {
        return (Docsearch) spec.root().userObject();
    }

    PrintStream out() {
        return app().out();
    }

    PrintStream err() {
        return app().err();
    }

    Map<String, String> env() {
        return app().env();
    }

    /** Bad input found while running: reported like a bad flag (one line, exit code 2). */
    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    static String seconds(long startNanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - startNanos) / 1e9);
    }
}

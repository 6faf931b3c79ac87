/**
 * The {@code docsearch} command line (picocli): {@link dev.docsearch.pipeline.cli.Docsearch} parses a command
 * line, runs one command and maps every outcome to an {@link dev.docsearch.pipeline.cli.ExitCode}.
 */
package dev.docsearch.pipeline.cli;

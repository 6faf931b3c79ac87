package dev.docsearch.pipeline.cli;

import picocli.CommandLine;

import java.time.Duration;

/** Duration flags in the grammar of every docsearch program ({@link dev.docsearch.core.config.Durations}). */
final class Durations implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    static Duration parse(String value) {
        try {
            return dev.docsearch.core.config.Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}

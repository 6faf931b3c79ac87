package dev.docsearch.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way every docsearch program reads a duration from a flag or an environment variable: {@code 500ms},
 * {@code 90s}, {@code 15m} (or {@code 15min}), {@code 2h}, {@code 7d}, a bare number of seconds ({@code 30}), or
 * ISO-8601 ({@code PT1M30S}).
 */
public final class Durations {

    /** Examples for error messages. */
    public static final String EXAMPLES = "250ms, 5s, 2m, 1h, 7d, 30 (seconds), PT1M30S";

    private static final Pattern SIMPLE = Pattern.compile("([0-9]{1,12})(ms|s|m|min|h|d)?");

    private Durations() {
    }

    /** @throws IllegalArgumentException naming the value and the examples */
    public static Duration parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m", "min" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(value.strip().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + value + "' is not a duration (examples: " + EXAMPLES + ")");
        }
    }

    /** As people read it back: {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}. */
    public static String format(Duration d) {
        if (d.toMillis() < 1000 || d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        if (d.toSeconds() < 60 || d.toSeconds() % 60 != 0) {
            return d.toSeconds() + "s";
        }
        return d.toMinutes() < 60 || d.toMinutes() % 60 != 0 ? d.toMinutes() + "m" : d.toHours() + "h";
    }
}

package dev.docsearch.pipeline.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** Wait times between retries: exponential backoff with jitter, and the server's Retry-After. */
final class Backoff {

    private Backoff() {
    }

    /**
     * The wait before retry number {@code failedAttempts} (1 after the first failure): base times
     * 2^(n-1), capped, then jittered into [half, full] so that parallel workers do not retry in step.
     */
    static Duration delay(int failedAttempts, Duration base, Duration max) {
        long baseMs = base.toMillis();
        long exp = baseMs << Math.min(failedAttempts - 1, 20);
        long capped = Math.min(exp, max.toMillis());
        if (capped <= 1) {
            return Duration.ofMillis(capped);
        }
        long half = capped / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(capped - half + 1));
    }

    /**
     * Parses a {@code Retry-After} header: delta seconds or an HTTP date (RFC 9110). A date in the
     * past means zero; an unparsable value means none.
     */
    static Optional<Duration> retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String v = header.strip();
        try {
            long seconds = Long.parseLong(v);
            return Optional.of(Duration.ofSeconds(Math.max(0, seconds)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(now, at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }
}

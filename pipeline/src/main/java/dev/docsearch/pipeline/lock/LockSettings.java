package dev.docsearch.pipeline.lock;

import java.time.Duration;
import java.util.Objects;

/**
 * How the update lock ages.
 *
 * @param staleAfter a lock whose heartbeat is older than this is taken over (its holder is presumed dead on
 *                   another host; a dead holder on this host is recognised at once by its pid)
 * @param heartbeat  how often a holder refreshes its lock file
 */
public record LockSettings(Duration staleAfter, Duration heartbeat) {

    public LockSettings {
        Objects.requireNonNull(staleAfter, "staleAfter");
        Objects.requireNonNull(heartbeat, "heartbeat");
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("heartbeat must be positive, got " + heartbeat);
        }
        if (staleAfter.compareTo(heartbeat.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("staleAfter (" + staleAfter + ") must be at least three heartbeats ("
                    + heartbeat + ")");
        }
    }

    /** Stale after 2 hours without a heartbeat; a heartbeat every minute. */
    public static LockSettings defaults() {
        return new LockSettings(Duration.ofHours(2), Duration.ofMinutes(1));
    }

    /** Stale after {@code staleAfter}, with a heartbeat every {@code staleAfter / 10} (at most every minute). */
    public static LockSettings staleAfter(Duration staleAfter) {
        Duration beat = staleAfter.dividedBy(10);
        if (beat.compareTo(Duration.ofMinutes(1)) > 0) {
            beat = Duration.ofMinutes(1);
        }
        if (beat.isZero()) {
            beat = Duration.ofMillis(1);
        }
        return new LockSettings(staleAfter, beat);
    }
}

package dev.docsearch.service.http;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The headers every answer carries, from a route, an error handler or Jetty itself: a strict CSP (scripts,
 * styles and the page script's fetches only to this origin, no inline script, no framing), no MIME sniffing, and no referrer, since queries are in URLs and
 * must never leak to the documentation sites a result links to.
 */
public final class SecurityHeaders {

    public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
            + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", CSP,
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer",
            "Cross-Origin-Opener-Policy", "same-origin",
            "Cross-Origin-Resource-Policy", "same-origin",
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");

    private SecurityHeaders() {
    }

    /** Sets each header through {@code setter} (a response's header setter). */
    public static void apply(BiConsumer<String, String> setter) {
        HEADERS.forEach(setter);
    }
}

package dev.docsearch.service;

/** Reads a figure from the service's own scrape, in process: no request, so nothing it would count. */
final class Scrape {

    private Scrape() {
    }

    /** The value of the first series of {@code name}. */
    static double gauge(SearchServer server, String name) {
        return server.metrics().scrape().lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not in /metrics"));
    }
}

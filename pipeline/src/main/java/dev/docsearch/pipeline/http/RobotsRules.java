package dev.docsearch.pipeline.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The robots.txt rules (RFC 9309) that apply to one crawler on one host. The groups naming our
 * product token (case-insensitive) apply; when none does, the {@code *} groups apply; when neither
 * exists, everything is allowed. Among matching rules the longest pattern wins, and {@code Allow}
 * wins a tie. Patterns understand {@code *} and a trailing {@code $}. {@code Crawl-delay} of the
 * applying groups is reported. Immutable.
 */
public final class RobotsRules {

    /** No rules: what a missing robots.txt (4xx) means. */
    public static final RobotsRules ALLOW_ALL = new RobotsRules(List.of(), null);

    private record Rule(boolean allow, String pattern, Pattern regex) { }

    private final List<Rule> rules;
    private final Duration crawlDelay;

    private RobotsRules(List<Rule> rules, Duration crawlDelay) {
        this.rules = List.copyOf(rules);
        this.crawlDelay = crawlDelay;
    }

    /**
     * Parses a robots.txt body for the crawler called {@code productToken}. Lines that are not
     * {@code key: value} are ignored, as the RFC asks.
     */
    public static RobotsRules parse(String text, String productToken) {
        List<Rule> ours = new ArrayList<>();
        List<Rule> star = new ArrayList<>();
        Duration ourDelay = null;
        Duration starDelay = null;
        boolean matchedOurs = false;

        List<String> groupAgents = new ArrayList<>();
        boolean inRules = false;
        for (String rawLine : text.split("\r\n|\r|\n")) {
            String line = rawLine;
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (key.equals("user-agent")) {
                if (inRules) {
                    groupAgents.clear();
                    inRules = false;
                }
                groupAgents.add(value.toLowerCase(Locale.ROOT));
                continue;
            }
            if (groupAgents.isEmpty()) {
                continue; // a rule outside any group
            }
            inRules = true;
            boolean forUs = groupAgents.contains(productToken.toLowerCase(Locale.ROOT));
            boolean forStar = groupAgents.contains("*");
            matchedOurs |= forUs;
            switch (key) {
                case "allow", "disallow" -> {
                    if (value.isEmpty()) {
                        break; // "Disallow:" with nothing means allow all
                    }
                    Rule rule = new Rule(key.equals("allow"), value, toRegex(value));
                    if (forUs) {
                        ours.add(rule);
                    }
                    if (forStar) {
                        star.add(rule);
                    }
                }
                case "crawl-delay" -> {
                    Duration d = parseDelay(value);
                    if (d != null && forUs) {
                        ourDelay = d;
                    }
                    if (d != null && forStar) {
                        starDelay = d;
                    }
                }
                default -> {
                    // Sitemap, Host and unknown keys do not bind us.
                }
            }
        }
        // A group naming us with no rules at all still takes precedence over '*'.
        matchedOurs |= containsAgent(text, productToken);
        return matchedOurs ? new RobotsRules(ours, ourDelay) : new RobotsRules(star, starDelay);
    }

    /** Whether {@code pathAndQuery} (e.g. {@code /a/b.html?x=1}) may be fetched. */
    public boolean allows(String pathAndQuery) {
        String path = pathAndQuery == null || pathAndQuery.isEmpty() ? "/" : pathAndQuery;
        if (path.equals("/robots.txt")) {
            return true;
        }
        Rule best = null;
        for (Rule rule : rules) {
            if (rule.regex().matcher(path).lookingAt()) {
                if (best == null
                        || rule.pattern().length() > best.pattern().length()
                        || (rule.pattern().length() == best.pattern().length() && rule.allow() && !best.allow())) {
                    best = rule;
                }
            }
        }
        return best == null || best.allow();
    }

    /** The {@code Crawl-delay} of the applying group, if it has one. */
    public Optional<Duration> crawlDelay() {
        return Optional.ofNullable(crawlDelay);
    }

    /** How many Allow/Disallow rules apply (diagnostics). */
    public int ruleCount() {
        return rules.size();
    }

    private static boolean containsAgent(String text, String productToken) {
        String token = productToken.toLowerCase(Locale.ROOT);
        for (String line : text.split("\r\n|\r|\n")) {
            String l = line.strip().toLowerCase(Locale.ROOT);
            int hash = l.indexOf('#');
            if (hash >= 0) {
                l = l.substring(0, hash).strip();
            }
            if (l.startsWith("user-agent") && l.indexOf(':') > 0
                    && l.substring(l.indexOf(':') + 1).strip().equals(token)) {
                return true;
            }
        }
        return false;
    }

    private static Pattern toRegex(String pattern) {
        boolean anchored = pattern.endsWith("$");
        String body = anchored ? pattern.substring(0, pattern.length() - 1) : pattern;
        StringBuilder regex = new StringBuilder();
        String[] parts = body.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append(".*");
            }
            if (!parts[i].isEmpty()) {
                regex.append(Pattern.quote(parts[i]));
            }
        }
        if (anchored) {
            regex.append('$');
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static Duration parseDelay(String value) {
        try {
            double seconds = Double.parseDouble(value);
            if (seconds < 0 || Double.isNaN(seconds) || Double.isInfinite(seconds)) {
                return null;
            }
            return Duration.ofMillis((long) (seconds * 1000));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

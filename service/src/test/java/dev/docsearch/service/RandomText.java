package dev.docsearch.service;

import java.util.Random;

/**
 * Random Unicode text for robustness tests, drawn from ranges that break naive code: ASCII with Lucene and SQL
 * syntax, controls, Latin-1, combining marks, Cyrillic, Arabic and Hebrew (RTL), CJK, emoji (supplementary
 * planes), private use, noncharacters, zero-width and other odd spaces. Deterministic for a seed.
 */
final class RandomText {

    private static final int[][] RANGES = {
            {0x20, 0x7e}, {0x20, 0x7e}, {0x20, 0x7e}, // weight ASCII up: real queries are mostly ASCII
            {0x00, 0x1f}, {0x7f, 0x9f}, {0xa0, 0xff}, {0x300, 0x36f}, {0x400, 0x4ff}, {0x590, 0x5ff},
            {0x600, 0x6ff}, {0x200b, 0x200f}, {0x2028, 0x202e}, {0x3000, 0x3000}, {0x4e00, 0x9fff},
            {0xac00, 0xd7a3}, {0xe000, 0xf8ff}, {0xfdd0, 0xfdef}, {0xfff0, 0xffff}, {0x1f300, 0x1faff},
            {0x10000, 0x1ffff}, {0xe0000, 0xe007f}, {0x10fff0, 0x10ffff}};

    private final Random random;

    RandomText(long seed) {
        this.random = new Random(seed);
    }

    /** A string of {@code codePoints} random code points (never a lone surrogate: those cannot be URL-encoded). */
    String next(int codePoints) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            int[] range = RANGES[random.nextInt(RANGES.length)];
            sb.appendCodePoint(range[0] + random.nextInt(range[1] - range[0] + 1));
        }
        return sb.toString();
    }

    /** The string as the inside of a JSON string literal, every non-ASCII unit as a \\u escape. */
    static String jsonEscape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}

package dev.docsearch.core.keyword;

import java.util.List;
import java.util.Random;

/** Strings no search box should choke on: query syntax, control characters, broken UTF-16, noise. */
final class HostileStrings {

    private HostileStrings() {
    }

    /** Hand-picked query strings, Lucene syntax and worse. */
    static final List<String> QUERIES = List.of(
            "", " ", "\t\n\r", "title:foo AND (", "*", "?", "*:*", "/regex.*/", "/unterminated",
            "\"unterminated phrase", "\"\"", "a AND OR NOT", "\\", "\\\\\\", "~", "foo~2", "foo^", "^2",
            "body:[a TO b]", "{!lucene q=x}", ")))(((", "&& || !", "+-+-", "--", "::", "...", "'", "’s",
            "\u0000\u0001\u0002\u001f\u007f", "\uD800", "\uDFFF abc", "abc\uD83D", "😀 emoji 😀",
            "\u202Eright-to-left override", "\uFEFFbom", "e\u0301\u0301\u0301", "<script>alert(1)</script>",
            "' OR 1=1 --", "%00%0a", "the of and", "a".repeat(100_000), ":".repeat(50_000),
            "x:".repeat(20_000), "AbCdEfGh".repeat(5_000), "1".repeat(40_000) + "a");

    private static final String PUNCTUATION = ":.-_/@'*?\"\\()[]{}~^!&|+<>";
    private static final String WORDS = "PutObject t3.medium s3 bucket ";

    /**
     * A random string of up to {@code maxLength} UTF-16 units mixing ASCII, identifier punctuation,
     * control characters, lone surrogates, combining marks, and random BMP and supplementary code
     * points.
     */
    static String random(Random random, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder sb = new StringBuilder(length + 2);
        while (sb.length() < length) {
            switch (random.nextInt(9)) {
                case 0 -> sb.append((char) (0x20 + random.nextInt(0x5f))); // printable ASCII
                case 1 -> sb.append(PUNCTUATION.charAt(random.nextInt(PUNCTUATION.length())));
                case 2 -> sb.append((char) random.nextInt(0x20)); // control
                case 3 -> sb.append((char) (0xD800 + random.nextInt(0x800))); // lone surrogate
                case 4 -> sb.append((char) (0x0300 + random.nextInt(0x70))); // combining mark
                case 5 -> sb.append((char) random.nextInt(0x10000)); // any BMP unit
                case 6 -> sb.appendCodePoint(0x10000 + random.nextInt(0x100000)); // supplementary
                case 7 -> sb.append(WORDS.charAt(random.nextInt(WORDS.length())));
                default -> sb.append(' ');
            }
        }
        return sb.toString();
    }
}

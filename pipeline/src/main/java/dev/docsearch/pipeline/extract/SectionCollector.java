package dev.docsearch.pipeline.extract;

import dev.docsearch.core.model.Page;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Gathers plain text into {@link Page.Section}s while a document is walked in order: headings open
 * sections (nested by level), text is appended with whitespace collapsed, and line or paragraph
 * breaks are asked for rather than written, so that runs of block boundaries collapse into one.
 * Shared by the markdown and the HTML extractor so both produce text of the same shape.
 */
final class SectionCollector {

    private record OpenHeading(int level, String text, String anchor) { }

    private static final int NO_BREAK = 0;
    private static final int LINE_BREAK = 1;
    private static final int PARAGRAPH_BREAK = 2;

    private final List<Page.Section> sections = new ArrayList<>();
    private final Deque<OpenHeading> headings = new ArrayDeque<>();
    private StringBuilder text = new StringBuilder();
    private int pendingBreak = NO_BREAK;
    private boolean pendingSpace;
    private String pendingPrefix;

    /**
     * Opens a section under a heading of the given level (1-6), closing deeper or equal ones.
     *
     * @param anchor the heading's id on its page, or empty; a section without one links to the nearest heading
     *               above it that has one
     */
    void heading(int level, String headingText, String anchor) {
        closeSection();
        while (!headings.isEmpty() && headings.peekLast().level() >= level) {
            headings.removeLast();
        }
        String clean = collapse(headingText);
        if (!clean.isEmpty()) {
            headings.addLast(new OpenHeading(level, clean, anchor.strip()));
        }
    }

    /** Closes the current section and forgets all headings: what follows sits under the page title. */
    void resetHeadings() {
        closeSection();
        headings.clear();
    }

    /** Appends inline text; whitespace runs (newlines included) become one space. */
    void inline(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == '\u00a0') {
                pendingSpace = true;
            } else {
                emitPending();
                text.append(c);
            }
        }
    }

    /** Appends text verbatim on lines of its own (code blocks): indentation and newlines are kept. */
    void preformatted(String s) {
        String body = s.strip().isEmpty() ? "" : stripTrailingNewlines(s);
        if (body.isEmpty()) {
            return;
        }
        paragraphBreak();
        pendingSpace = false;
        emitPending();
        text.append(body);
        paragraphBreak();
    }

    /**
     * Puts a marker (a list bullet or number) right before the next text, after any pending break,
     * so that blocks nested in a list item do not separate the marker from its text.
     */
    void prefix(String marker) {
        pendingPrefix = marker;
    }

    /** Asks for the next text to start on a new line. */
    void lineBreak() {
        pendingBreak = Math.max(pendingBreak, LINE_BREAK);
    }

    /** Asks for a blank line before the next text. */
    void paragraphBreak() {
        pendingBreak = PARAGRAPH_BREAK;
    }

    /** The sections collected so far, in document order, without the ones that hold no text. */
    List<Page.Section> finish() {
        closeSection();
        return List.copyOf(sections);
    }

    private void emitPending() {
        if (text.length() > 0) {
            if (pendingBreak == PARAGRAPH_BREAK) {
                text.append("\n\n");
            } else if (pendingBreak == LINE_BREAK) {
                text.append('\n');
            } else if (pendingSpace) {
                text.append(' ');
            }
        }
        if (pendingPrefix != null) {
            text.append(pendingPrefix);
            pendingPrefix = null;
        }
        pendingBreak = NO_BREAK;
        pendingSpace = false;
    }

    private void closeSection() {
        String body = text.toString().strip();
        if (!body.isEmpty()) {
            List<String> path = new ArrayList<>(headings.size());
            String anchor = "";
            for (OpenHeading h : headings) {
                path.add(h.text());
                if (!h.anchor().isEmpty()) {
                    anchor = h.anchor();
                }
            }
            sections.add(new Page.Section(path, body, anchor));
        }
        text = new StringBuilder();
        pendingBreak = NO_BREAK;
        pendingSpace = false;
        pendingPrefix = null;
    }

    /** Collapses whitespace runs into single spaces and trims: the form headings and titles take. */
    static String collapse(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == '\u00a0') {
                space = sb.length() > 0;
            } else {
                if (space) {
                    sb.append(' ');
                    space = false;
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String stripTrailingNewlines(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        int start = 0;
        // Leading blank lines only; the first line's indentation is part of the code.
        while (true) {
            int nl = s.indexOf('\n', start);
            if (nl < 0 || nl >= end || !s.substring(start, nl).isBlank()) {
                break;
            }
            start = nl + 1;
        }
        return s.substring(start, end);
    }
}

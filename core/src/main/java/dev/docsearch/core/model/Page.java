package dev.docsearch.core.model;

import java.util.List;
import java.util.Objects;

/**
 * One documentation page after extraction: plain text split into sections by its headings.
 *
 * @param id       stable page id, e.g. {@code amazon-s3-userguide/Versioning}
 * @param url      canonical URL of the page (for local sources a relative link is fine)
 * @param title    page title (the first heading or the HTML title)
 * @param guide    the guide or service the page belongs to, e.g. {@code amazon-s3-userguide}
 * @param sections the page's sections in document order; the text before the first heading is a
 *                 section with an empty heading path
 */
public record Page(String id, String url, String title, String guide, List<Section> sections) {

    public Page {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(guide, "guide");
        sections = List.copyOf(sections);
    }

    /**
     * A run of text under one heading.
     *
     * @param headingPath the headings above this text, outermost first (without the page title)
     * @param text        the section's plain text, paragraphs separated by blank lines
     * @param anchor      the fragment that links to this section on its page ({@code url#anchor}): the id of its
     *                    heading, or of the nearest heading above it that has one; empty when there is none (the
     *                    text before the first heading, pages without ids, corpus files written before anchors)
     */
    public record Section(List<String> headingPath, String text, String anchor) {
        public Section {
            headingPath = List.copyOf(headingPath);
            Objects.requireNonNull(text, "text");
            anchor = anchor == null ? "" : anchor;
        }

        /** A section whose heading has no anchor. */
        public Section(List<String> headingPath, String text) {
            this(headingPath, text, "");
        }
    }
}

package dev.docsearch.core.model;

import java.util.List;
import java.util.Objects;

/**
 * A passage of a page: the unit that is embedded, indexed and ranked.
 *
 * @param id          unique chunk id, {@code <pageId>#<n>}
 * @param pageId      the page this chunk comes from
 * @param url         the page's URL
 * @param title       the page's title
 * @param guide       the page's guide
 * @param sectionPath headings above the chunk's text, outermost first
 * @param text        the chunk's own text (what snippets are cut from)
 * @param anchor      the fragment of its section on the page ({@link Page.Section#anchor()}), empty when none
 */
public record Chunk(String id, String pageId, String url, String title, String guide,
                    List<String> sectionPath, String text, String anchor) {

    public Chunk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pageId, "pageId");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(guide, "guide");
        sectionPath = List.copyOf(sectionPath);
        Objects.requireNonNull(text, "text");
        anchor = anchor == null ? "" : anchor;
    }

    /** A chunk of a section without an anchor. */
    public Chunk(String id, String pageId, String url, String title, String guide, List<String> sectionPath,
                 String text) {
        this(id, pageId, url, title, guide, sectionPath, text, "");
    }

    /**
     * Where the chunk's section starts: the page URL with the section's anchor as its fragment, or the page URL
     * when there is no anchor or the URL already has a fragment.
     */
    public String sectionUrl() {
        return anchor.isEmpty() || url.isEmpty() || url.indexOf('#') >= 0 ? url : url + "#" + anchor;
    }

    /** The section path as a breadcrumb, e.g. {@code "Versioning > Enabling versioning"}. */
    public String section() {
        return String.join(" > ", sectionPath);
    }

    /**
     * The text given to the embedding model: title and section heading first, because a passage
     * alone often lacks the words that say what it is about.
     */
    public String embeddingText() {
        StringBuilder sb = new StringBuilder(title);
        if (!sectionPath.isEmpty()) {
            sb.append(" - ").append(sectionPath.get(sectionPath.size() - 1));
        }
        return sb.append('\n').append(text).toString();
    }
}

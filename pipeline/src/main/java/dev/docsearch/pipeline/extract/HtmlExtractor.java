package dev.docsearch.pipeline.extract;

import dev.docsearch.core.model.Page;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Extracts a page's main text from HTML with jsoup. The content container is the first of
 * {@code #main-col-body}, {@code #main-content}, {@code main}, {@code article} (the AWS docs
 * layout first), else {@code body}. Inside it, navigation, headers, footers, scripts, styles,
 * breadcrumbs and the "Did this page help you?" feedback chrome are removed. The title is the
 * first {@code <h1>} (in the container, then anywhere), else {@code <title>}; other headings open
 * sections; {@code <link rel="canonical">} becomes the page URL when present. Thread-safe.
 */
public final class HtmlExtractor {

    private static final List<String> CONTAINERS =
            List.of("#main-col-body", "#main-content", "main", "article");

    /** Chrome inside the content container; the AWS docs' own elements by name. */
    private static final String CHROME = String.join(", ",
            "nav", "header", "footer", "aside", "script", "style", "noscript", "template", "iframe",
            "svg", "form", "button", "select", "input",
            "[role=navigation]", "[role=banner]", "[role=contentinfo]", "[role=search]",
            "[aria-label~=(?i)breadcrumb]", ".breadcrumb", ".breadcrumbs", "#breadcrumbs",
            "[id~=(?i)feedback]", "[class~=(?i)feedback]", "#main-col-footer",
            ".awsdocs-page-utilities", "#js_error_message", ".prev-next", ".awsdocs-copyright",
            "awsdocs-page-header", "awsdocs-filter-selector", "awsdocs-language-banner",
            "awsdocs-copyright", "awsdocs-thumb-feedback", "awsdocs-page-utilities",
            "awsdocs-doc-page-banner");

    private static final Pattern FEEDBACK_TEXT =
            Pattern.compile("(?i)did this page help you|was this page helpful");
    /** A feedback block larger than this is page content that happens to mention the phrase. */
    private static final int MAX_FEEDBACK_BLOCK_CHARS = 600;

    private static final Set<String> HEADINGS = Set.of("h1", "h2", "h3", "h4", "h5", "h6");
    private static final Set<String> NEVER_TEXT = Set.of("script", "style", "noscript", "template", "svg", "img");
    private static final Set<String> LIST_ITEMS = Set.of("li", "dd", "dt");
    private static final Set<String> CELLS = Set.of("td", "th");

    /**
     * Extracts a page from HTML text.
     *
     * @param id     the page id
     * @param guide  the page's guide
     * @param url    the URL the page was fetched from (absolute) or a relative link; relative
     *               links in the page resolve against it, and it is the page URL unless the page
     *               names a canonical one
     * @param html   the HTML
     */
    public Page extract(String id, String guide, String url, String html) {
        Objects.requireNonNull(html, "html");
        return extract(id, guide, url, Jsoup.parse(html, baseUri(url)));
    }

    /**
     * Extracts a page from HTML bytes; the charset comes from {@code charset} when given, else from
     * a byte-order mark or {@code <meta charset>}, else UTF-8.
     */
    public Page extract(String id, String guide, String url, byte[] html, String charset) {
        Objects.requireNonNull(html, "html");
        try {
            return extract(id, guide, url, Jsoup.parse(new ByteArrayInputStream(html), charset, baseUri(url)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read HTML of " + url, e);
        }
    }

    private Page extract(String id, String guide, String url, Document doc) {
        String pageUrl = canonicalUrl(doc, url);
        Element container = contentContainer(doc);
        Element titleHeading = container.selectFirst("h1");
        if (titleHeading == null) {
            titleHeading = doc.selectFirst("h1");
        }
        String title = titleHeading == null ? "" : SectionCollector.collapse(titleHeading.text());
        if (title.isEmpty()) {
            title = SectionCollector.collapse(doc.title());
        }
        if (title.isEmpty()) {
            title = id.substring(id.lastIndexOf('/') + 1);
        }
        removeChrome(container);
        SectionCollector collector = new SectionCollector();
        container.filter(new TextFilter(collector, titleHeading));
        return new Page(id, pageUrl, title, guide, collector.finish());
    }

    /**
     * Appends the text of an HTML fragment (an HTML block inside markdown) to a collector, with
     * the same rules as page extraction: headings open sections, lists, tables and code keep
     * their shape, scripts and styles are skipped.
     */
    static void appendFragment(String html, SectionCollector collector) {
        Element body = Jsoup.parseBodyFragment(html).body();
        body.filter(new TextFilter(collector, null));
    }

    private static String baseUri(String url) {
        return url.startsWith("http://") || url.startsWith("https://") ? url : "";
    }

    private static String canonicalUrl(Document doc, String fallback) {
        Element link = doc.selectFirst("link[rel=canonical][href]");
        if (link != null) {
            String href = link.absUrl("href");
            if (href.isEmpty()) {
                href = link.attr("href").strip();
            }
            if (!href.isEmpty()) {
                return href;
            }
        }
        return fallback;
    }

    private static Element contentContainer(Document doc) {
        for (String selector : CONTAINERS) {
            Element e = doc.selectFirst(selector);
            if (e != null) {
                return e;
            }
        }
        return doc.body();
    }

    private static void removeChrome(Element container) {
        container.select(CHROME).remove();
        for (Element e : container.getElementsMatchingOwnText(FEEDBACK_TEXT)) {
            Element block = e;
            // Climb to the widest ancestor that is still only the feedback widget.
            while (block.parent() != null && block.parent() != container
                    && block.parent().text().length() <= MAX_FEEDBACK_BLOCK_CHARS
                    && block.parent().select("h1, h2, h3, h4, h5, h6, pre, table").isEmpty()) {
                block = block.parent();
            }
            if (block != container && block.text().length() <= MAX_FEEDBACK_BLOCK_CHARS) {
                block.remove();
            }
        }
    }

    /**
     * The fragment that links to a heading: its id, else the name or id of an {@code <a>} inside it (older pages,
     * and HTML blocks in the AWS markdown); empty when it has none.
     */
    static String anchor(Element heading) {
        if (!heading.id().isBlank()) {
            return heading.id();
        }
        Element a = heading.selectFirst("a[name], a[id]");
        if (a == null) {
            return "";
        }
        return a.hasAttr("name") && !a.attr("name").isBlank() ? a.attr("name") : a.attr("id");
    }

    /** Walks the container in document order, feeding the collector. */
    private static final class TextFilter implements NodeFilter {
        private final SectionCollector collector;
        private final Element titleHeading;
        private int itemDepth;
        private int cellDepth;

        TextFilter(SectionCollector collector, Element titleHeading) {
            this.collector = collector;
            this.titleHeading = titleHeading;
        }

        @Override
        public FilterResult head(Node node, int depth) {
            if (node instanceof TextNode t) {
                collector.inline(t.getWholeText());
                return FilterResult.CONTINUE;
            }
            if (!(node instanceof Element e)) {
                return FilterResult.SKIP_ENTIRELY;
            }
            String tag = e.normalName();
            if (NEVER_TEXT.contains(tag)) {
                return FilterResult.SKIP_ENTIRELY;
            }
            if (HEADINGS.contains(tag)) {
                if (e == titleHeading) {
                    collector.resetHeadings();
                } else {
                    collector.heading(tag.charAt(1) - '0', e.text(), anchor(e));
                }
                return FilterResult.SKIP_ENTIRELY;
            }
            switch (tag) {
                case "pre" -> {
                    collector.preformatted(e.wholeText());
                    return FilterResult.SKIP_ENTIRELY;
                }
                case "br" -> collector.lineBreak();
                case "tr" -> collector.lineBreak();
                case "td", "th" -> {
                    if (e.previousElementSibling() != null) {
                        collector.inline(" | ");
                    }
                }
                case "li" -> {
                    collector.lineBreak();
                    collector.prefix(listMarker(e));
                }
                case "thead", "tbody", "tfoot" -> collector.lineBreak();
                default -> {
                    if (e.isBlock()) {
                        blockStart(e);
                    }
                }
            }
            if (LIST_ITEMS.contains(tag)) {
                itemDepth++;
            } else if (CELLS.contains(tag)) {
                cellDepth++;
            }
            return FilterResult.CONTINUE;
        }

        @Override
        public FilterResult tail(Node node, int depth) {
            if (node instanceof Element e) {
                String tag = e.normalName();
                if (LIST_ITEMS.contains(tag)) {
                    itemDepth--;
                    collector.lineBreak();
                } else if (CELLS.contains(tag)) {
                    cellDepth--;
                } else if (tag.equals("tr") || tag.equals("thead") || tag.equals("tbody") || tag.equals("tfoot")) {
                    collector.lineBreak();
                } else if (e.isBlock()) {
                    blockEnd();
                }
            }
            return FilterResult.CONTINUE;
        }

        /** "- " in a bulleted list; "n. " in an ordered one, counting from its start attribute. */
        private static String listMarker(Element li) {
            Element list = li.parent();
            if (list == null || !list.normalName().equals("ol")) {
                return "- ";
            }
            int number;
            try {
                number = list.hasAttr("start") ? Integer.parseInt(list.attr("start").strip()) : 1;
            } catch (NumberFormatException e) {
                number = 1;
            }
            for (Element sibling = li.previousElementSibling(); sibling != null; sibling = sibling.previousElementSibling()) {
                if (sibling.normalName().equals("li")) {
                    number++;
                }
            }
            return number + ". ";
        }

        /**
         * Where a block starts: a space inside a table cell (a row stays one line); inside a list
         * item, a new line for its first block or a nested list, a blank line for later blocks
         * (as markdown renders them); a blank line elsewhere.
         */
        private void blockStart(Element e) {
            if (cellDepth > 0) {
                collector.inline(" ");
            } else if (itemDepth > 0) {
                boolean leadsItem = e.parent() != null && LIST_ITEMS.contains(e.parent().normalName())
                        && e.previousElementSibling() == null;
                boolean nestedList = e.normalName().equals("ul") || e.normalName().equals("ol");
                if (leadsItem || nestedList) {
                    collector.lineBreak();
                } else {
                    collector.paragraphBreak();
                }
            } else {
                collector.paragraphBreak();
            }
        }

        private void blockEnd() {
            if (cellDepth > 0) {
                collector.inline(" ");
            } else if (itemDepth > 0) {
                collector.lineBreak();
            } else {
                collector.paragraphBreak();
            }
        }
    }
}

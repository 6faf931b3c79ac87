package dev.docsearch.pipeline.extract;

import dev.docsearch.core.model.Page;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.CustomBlock;
import org.commonmark.node.CustomNode;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.LinkReferenceDefinition;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a markdown page (the AWS docs' own markdown, or any CommonMark with GFM tables) into a
 * {@link Page}: the first {@code #} heading is the title, {@code ##}/{@code ###}... headings open
 * nested sections, inline HTML (the {@code <a name="...">} anchors) is dropped, backslash escapes
 * are resolved by the parser, code blocks keep their text verbatim and table rows become lines
 * with cells separated by {@code " | "}. Images are dropped (their alt text is a caption, not
 * prose). Thread-safe.
 */
public final class MarkdownPages {

    /** Backslash-escaped punctuation the way the AWS sources write prose (a backslash before . - ( ) _ * [ ]). */
    private static final Pattern PROSE_ESCAPE = Pattern.compile("\\\\[.\\-()_*\\[\\]]");

    /** A CommonMark backslash escape: a backslash before ASCII punctuation. */
    private static final Pattern MARKDOWN_ESCAPE = Pattern.compile("\\\\([!-/:-@\\[-`{-~])");

    /** An HTML anchor's target: {@code <a name="x">} (the AWS sources) or {@code <a id="x">}. */
    private static final Pattern ANCHOR = Pattern.compile("<a\\s[^>]*?\\b(?:name|id)\\s*=\\s*[\"']([^\"'<>]+)[\"']",
            Pattern.CASE_INSENSITIVE);

    private final Parser parser = Parser.builder()
            .extensions(List.of(TablesExtension.create()))
            .build();

    /**
     * Parses {@code markdown} into a page.
     *
     * @param id    the page id
     * @param url   the page's URL (or relative link for local pages)
     * @param guide the guide the page belongs to
     * @return the page; its title falls back to the last segment of the id when it has no heading
     */
    public Page toPage(String id, String url, String guide, String markdown) {
        Objects.requireNonNull(markdown, "markdown");
        Node document = parser.parse(markdown);
        Heading titleHeading = findTitle(document);
        TextVisitor visitor = new TextVisitor(titleHeading);
        document.accept(visitor);
        String title = titleHeading == null ? "" : headingText(titleHeading);
        if (title.isEmpty()) {
            title = id.substring(id.lastIndexOf('/') + 1);
        }
        return new Page(id, url, title, guide, visitor.collector.finish());
    }

    /** The first level-1 heading; failing that, the first heading of any level. */
    private static Heading findTitle(Node document) {
        Heading first = null;
        for (Node n = document.getFirstChild(); n != null; n = n.getNext()) {
            if (n instanceof Heading h) {
                if (h.getLevel() == 1) {
                    return h;
                }
                if (first == null) {
                    first = h;
                }
            }
        }
        return first;
    }

    /** A heading's plain text: literals of its descendants, inline HTML left out. */
    static String headingText(Node heading) {
        StringBuilder sb = new StringBuilder();
        collectText(heading, sb);
        return SectionCollector.collapse(sb.toString());
    }

    /**
     * The id a heading links by: the name (or id) of the first {@code <a name="...">} inline in it, which is how the
     * AWS sources mark each heading with the fragment of its section on the docs site; empty when there is none.
     */
    static String headingAnchor(Node heading) {
        for (Node n = heading.getFirstChild(); n != null; n = n.getNext()) {
            if (n instanceof HtmlInline html) {
                Matcher m = ANCHOR.matcher(html.getLiteral());
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        return "";
    }

    private static void collectText(Node node, StringBuilder sb) {
        for (Node n = node.getFirstChild(); n != null; n = n.getNext()) {
            if (n instanceof Text t) {
                sb.append(t.getLiteral());
            } else if (n instanceof Code c) {
                sb.append(c.getLiteral());
            } else if (n instanceof SoftLineBreak || n instanceof HardLineBreak) {
                sb.append(' ');
            } else if (!(n instanceof HtmlInline) && !(n instanceof Image)) {
                collectText(n, sb);
            }
        }
    }

    private final class TextVisitor extends AbstractVisitor {
        private final SectionCollector collector = new SectionCollector();
        private final Heading titleHeading;

        TextVisitor(Heading titleHeading) {
            this.titleHeading = titleHeading;
        }

        @Override
        public void visit(Heading heading) {
            if (heading == titleHeading) {
                collector.resetHeadings();
            } else {
                collector.heading(heading.getLevel(), headingText(heading), headingAnchor(heading));
            }
        }

        @Override
        public void visit(Paragraph paragraph) {
            boolean leadsListItem = paragraph.getParent() instanceof ListItem
                    && paragraph.getPrevious() == null;
            if (!leadsListItem) {
                collector.paragraphBreak();
            }
            visitChildren(paragraph);
            if (paragraph.getParent() instanceof ListItem) {
                collector.lineBreak(); // list items stay on consecutive lines
            } else {
                collector.paragraphBreak();
            }
        }

        @Override
        public void visit(Text text) {
            collector.inline(text.getLiteral());
        }

        @Override
        public void visit(Code code) {
            collector.inline(code.getLiteral());
        }

        @Override
        public void visit(SoftLineBreak softLineBreak) {
            collector.inline(" ");
        }

        @Override
        public void visit(HardLineBreak hardLineBreak) {
            collector.lineBreak();
        }

        @Override
        public void visit(FencedCodeBlock block) {
            collector.preformatted(block.getLiteral());
        }

        @Override
        public void visit(IndentedCodeBlock block) {
            String literal = block.getLiteral();
            if (PROSE_ESCAPE.matcher(literal).find() || literal.contains("<a name=")) {
                // The AWS sources fence all their code; their indented "code" blocks are prose
                // indented too deep under a list item (their escapes and anchors give them away),
                // so they are read as the markdown they are.
                parser.parse(literal).accept(this);
            } else {
                collector.preformatted(literal);
            }
        }

        @Override
        public void visit(HtmlInline html) {
            // Dropped: in the AWS sources these are the <a name="..."></a> anchors.
        }

        @Override
        public void visit(HtmlBlock html) {
            // Read like the HTML of a page (tables, lists and <pre> keep their shape). Markdown
            // inside an HTML block is not parsed, so its escapes are resolved here.
            collector.paragraphBreak();
            HtmlExtractor.appendFragment(MARKDOWN_ESCAPE.matcher(html.getLiteral()).replaceAll("$1"), collector);
            collector.paragraphBreak();
        }

        @Override
        public void visit(Image image) {
            // Dropped: alt text is a caption of a picture the index cannot show.
        }

        @Override
        public void visit(LinkReferenceDefinition definition) {
            // Not text.
        }

        @Override
        public void visit(BulletList list) {
            listBoundary(list);
            visitChildren(list);
            listBoundary(list);
        }

        @Override
        public void visit(OrderedList list) {
            listBoundary(list);
            visitChildren(list);
            listBoundary(list);
        }

        private void listBoundary(Node list) {
            if (list.getParent() instanceof ListItem) {
                collector.lineBreak();
            } else {
                collector.paragraphBreak();
            }
        }

        @Override
        public void visit(ListItem item) {
            collector.lineBreak();
            if (item.getParent() instanceof OrderedList ordered) {
                int number = ordered.getStartNumber();
                for (Node n = ordered.getFirstChild(); n != null && n != item; n = n.getNext()) {
                    number++;
                }
                collector.prefix(number + ". ");
            } else {
                collector.prefix("- ");
            }
            visitChildren(item);
            collector.lineBreak();
        }

        @Override
        public void visit(BlockQuote quote) {
            collector.paragraphBreak();
            visitChildren(quote);
            collector.paragraphBreak();
        }

        @Override
        public void visit(ThematicBreak thematicBreak) {
            collector.paragraphBreak();
        }

        @Override
        public void visit(CustomBlock block) {
            if (block instanceof TableBlock) {
                collector.paragraphBreak();
                visitChildren(block);
                collector.paragraphBreak();
            } else {
                visitChildren(block);
            }
        }

        @Override
        public void visit(CustomNode node) {
            if (node instanceof TableRow) {
                collector.lineBreak();
                visitChildren(node);
                collector.lineBreak();
            } else if (node instanceof TableCell) {
                if (node.getPrevious() != null) {
                    collector.inline(" | ");
                }
                visitChildren(node);
            } else {
                visitChildren(node);
            }
        }
    }
}

package dev.docsearch.pipeline.source;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * Parses sitemaps (sitemaps.org 0.9): a {@code <urlset>} of pages with optional {@code lastmod},
 * or a {@code <sitemapindex>} of further sitemaps. Gzip-compressed input is recognised by its
 * magic bytes. DTDs and external entities are refused. Anything else (HTML error pages, truncated
 * XML, another root element) is a {@link SitemapFormatException}.
 */
public final class SitemapParser {

    /** The two kinds of sitemap document. */
    public enum Kind { URLSET, INDEX }

    /**
     * A parsed sitemap.
     *
     * @param kind    urlset or index
     * @param entries the pages (urlset) or child sitemaps (index), in document order
     * @param invalidLastmods how many {@code lastmod} values were unreadable (treated as absent)
     */
    public record Sitemap(Kind kind, List<Entry> entries, int invalidLastmods) {
        public Sitemap {
            Objects.requireNonNull(kind, "kind");
            entries = List.copyOf(entries);
        }
    }

    /**
     * One {@code <url>} or {@code <sitemap>} element.
     *
     * @param loc     the absolute location
     * @param lastmod its {@code lastmod}, or null when absent or unreadable
     */
    public record Entry(URI loc, Instant lastmod) {
        public Entry {
            Objects.requireNonNull(loc, "loc");
        }
    }

    /** A document that is not a readable sitemap. */
    public static final class SitemapFormatException extends Exception {
        public SitemapFormatException(String message) {
            super(message);
        }

        public SitemapFormatException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final XMLInputFactory factory;

    public SitemapParser() {
        factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    }

    /**
     * Parses sitemap bytes (plain or gzip-compressed).
     *
     * @param maxBytes the largest document accepted after decompression
     */
    public Sitemap parse(byte[] data, long maxBytes) throws SitemapFormatException {
        byte[] xml = data;
        if (isGzip(data)) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
                xml = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            } catch (IOException e) {
                throw new SitemapFormatException("corrupt gzip data: " + e.getMessage(), e);
            }
            if (xml.length > maxBytes) {
                throw new SitemapFormatException("decompressed sitemap exceeds " + maxBytes + " bytes");
            }
        }
        if (xml.length == 0) {
            throw new SitemapFormatException("empty document");
        }
        try {
            return read(xml);
        } catch (XMLStreamException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNumber() + ", column " + e.getLocation().getColumnNumber();
            throw new SitemapFormatException("not well-formed XML" + where + ": " + firstLine(e.getMessage()), e);
        }
    }

    /** Whether the bytes start with the gzip magic number. */
    public static boolean isGzip(byte[] data) {
        return data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b;
    }

    private Sitemap read(byte[] xml) throws XMLStreamException, SitemapFormatException {
        XMLStreamReader r = factory.createXMLStreamReader(new ByteArrayInputStream(xml));
        try {
            while (r.hasNext() && r.next() != XMLStreamConstants.START_ELEMENT) {
                // skip prolog
            }
            if (!r.isStartElement()) {
                throw new SitemapFormatException("no root element");
            }
            String root = r.getLocalName();
            Kind kind;
            String item;
            if (root.equals("urlset")) {
                kind = Kind.URLSET;
                item = "url";
            } else if (root.equals("sitemapindex")) {
                kind = Kind.INDEX;
                item = "sitemap";
            } else {
                throw new SitemapFormatException("root element <" + root + "> is neither <urlset> nor <sitemapindex>");
            }
            List<Entry> entries = new ArrayList<>();
            int[] invalid = {0};
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT && r.getLocalName().equals(item)) {
                    Entry e = readItem(r, item, invalid);
                    if (e != null) {
                        entries.add(e);
                    }
                }
            }
            return new Sitemap(kind, entries, invalid[0]);
        } finally {
            r.close();
        }
    }

    private static Entry readItem(XMLStreamReader r, String item, int[] invalidLastmods)
            throws XMLStreamException, SitemapFormatException {
        String loc = null;
        String lastmod = null;
        while (r.hasNext()) {
            int event = r.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                String name = r.getLocalName();
                if (name.equals("loc")) {
                    loc = r.getElementText().strip();
                } else if (name.equals("lastmod")) {
                    lastmod = r.getElementText().strip();
                } else {
                    skipElement(r);
                }
            } else if (event == XMLStreamConstants.END_ELEMENT && r.getLocalName().equals(item)) {
                break;
            }
        }
        if (loc == null || loc.isEmpty()) {
            throw new SitemapFormatException("<" + item + "> without <loc>");
        }
        URI uri;
        try {
            uri = new URI(loc);
        } catch (URISyntaxException e) {
            throw new SitemapFormatException("invalid <loc> '" + loc + "': " + e.getMessage(), e);
        }
        if (!uri.isAbsolute() || uri.getHost() == null) {
            throw new SitemapFormatException("<loc> '" + loc + "' is not an absolute URL");
        }
        Instant when = null;
        if (lastmod != null && !lastmod.isEmpty()) {
            when = parseLastmod(lastmod);
            if (when == null) {
                invalidLastmods[0]++;
            }
        }
        return new Entry(uri, when);
    }

    private static void skipElement(XMLStreamReader r) throws XMLStreamException {
        int depth = 1;
        while (depth > 0 && r.hasNext()) {
            int event = r.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    /**
     * Parses a W3C datetime as sitemaps use it: {@code YYYY}, {@code YYYY-MM}, {@code YYYY-MM-DD},
     * or a date-time with optional seconds and fraction, with an offset or {@code Z} (UTC assumed
     * without). Returns null when unreadable.
     */
    public static Instant parseLastmod(String value) {
        String v = value.strip();
        try {
            if (v.contains("T")) {
                try {
                    return OffsetDateTime.parse(v).toInstant();
                } catch (DateTimeParseException noOffset) {
                    return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
                }
            }
            return switch (v.length()) {
                case 4 -> Year.parse(v).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
                case 7 -> YearMonth.parse(v).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
                default -> LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC);
            };
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int message = s.indexOf("Message:");
        if (message >= 0) {
            s = s.substring(message + "Message:".length()).strip();
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}

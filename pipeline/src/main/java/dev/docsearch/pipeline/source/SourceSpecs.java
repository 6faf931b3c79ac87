package dev.docsearch.pipeline.source;

import dev.docsearch.pipeline.extract.HtmlExtractor;
import dev.docsearch.pipeline.extract.MarkdownPages;
import dev.docsearch.pipeline.http.HttpFetcher;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Source specifications as people write them: {@code dir:PATH} for a local folder, an
 * {@code http(s)://} sitemap URL, or {@value BundledSample#SPEC} for the sample bundled with the repository
 * ({@link BundledSample}). Lists of them come from a flag, a file or an environment
 * variable, one per line or comma-separated, {@code #} starting a comment.
 */
public final class SourceSpecs {

    /** The environment variable a CLI may read a source list from. */
    public static final String ENVIRONMENT_VARIABLE = "DOCSEARCH_SOURCES";
    /** The prefix of a local folder source. */
    public static final String DIR_PREFIX = "dir:";

    private SourceSpecs() {
    }

    /** The nine AWS guide sitemaps ({@link AwsGuides#DEFAULT_SITEMAPS}). */
    public static List<String> defaults() {
        return AwsGuides.DEFAULT_SITEMAPS;
    }

    /**
     * Parses a list: entries separated by newlines or commas, blank entries and {@code #} comments
     * ignored, each entry validated.
     *
     * @throws IllegalArgumentException naming the first invalid entry
     */
    public static List<String> parse(String text) {
        List<String> specs = new ArrayList<>();
        for (String line : text.split("\r\n|\r|\n")) {
            int hash = line.indexOf('#');
            String content = hash >= 0 ? line.substring(0, hash) : line;
            for (String part : content.split(",")) {
                String spec = part.strip();
                if (!spec.isEmpty()) {
                    specs.add(validate(spec));
                }
            }
        }
        return List.copyOf(specs);
    }

    /** Reads a list from a file (see {@link #parse}). */
    public static List<String> readFile(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Checks one spec and returns it trimmed.
     *
     * @throws IllegalArgumentException when it is neither {@code dir:PATH}, an absolute http(s) URL, nor
     *                                  {@value BundledSample#SPEC} with the sample in reach
     */
    public static String validate(String spec) {
        String s = spec.strip();
        if (s.equalsIgnoreCase(BundledSample.SPEC)) {
            sampleFolder();
            return BundledSample.SPEC;
        }
        if (s.regionMatches(true, 0, DIR_PREFIX, 0, DIR_PREFIX.length())) {
            if (s.length() == DIR_PREFIX.length()) {
                throw new IllegalArgumentException("source '" + spec + "': dir: needs a path, e.g. dir:../shared/data/awsdocs");
            }
            return s;
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            try {
                URI uri = new URI(s);
                if (uri.getHost() == null) {
                    throw new IllegalArgumentException("source '" + spec + "': URL has no host");
                }
                return s;
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("source '" + spec + "': invalid URL: " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException("source '" + spec
                + "' is neither dir:PATH, an http(s):// sitemap URL, nor " + BundledSample.SPEC);
    }

    private static Path sampleFolder() {
        try {
            return BundledSample.folder(System.getenv());
        } catch (SourceException e) {
            throw new IllegalArgumentException("source '" + BundledSample.SPEC + "': " + e.getMessage(), e);
        }
    }

    /**
     * Opens a validated spec as a {@link Source}.
     *
     * @param fetcher         used by sitemap sources (shared, so per-host limits hold across them)
     * @param maxPageBytes    largest page accepted
     * @param maxSitemapBytes largest sitemap accepted (after decompression)
     */
    public static Source open(String spec, HttpFetcher fetcher, MarkdownPages markdown, HtmlExtractor html,
                              long maxPageBytes, long maxSitemapBytes) {
        String s = validate(spec);
        if (s.equals(BundledSample.SPEC)) {
            return new LocalFolderSource(sampleFolder(), markdown, html, maxPageBytes);
        }
        if (s.regionMatches(true, 0, DIR_PREFIX, 0, DIR_PREFIX.length())) {
            return new LocalFolderSource(Path.of(s.substring(DIR_PREFIX.length())), markdown, html, maxPageBytes);
        }
        return new SitemapSource(URI.create(s), fetcher, html, maxPageBytes, maxSitemapBytes);
    }
}

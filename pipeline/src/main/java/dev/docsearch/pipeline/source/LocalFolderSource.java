package dev.docsearch.pipeline.source;

import dev.docsearch.core.model.Page;
import dev.docsearch.pipeline.extract.HtmlExtractor;
import dev.docsearch.pipeline.extract.MarkdownPages;
import dev.docsearch.pipeline.http.Validators;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A folder of markdown ({@code .md}, {@code .markdown}) or HTML ({@code .html}, {@code .htm})
 * pages, named {@code dir:PATH}. A page's id is its path relative to the folder without extension
 * ({@code amazon-s3-userguide/Versioning}); its guide is the first path segment (the folder's own
 * name for files at the top). Pages of a known AWS guide link to their real docs URL, others to
 * their relative path. Hidden files and folders and repository furniture (README, LICENSE*,
 * CONTRIBUTING, CODE_OF_CONDUCT, CHANGELOG, NOTICE, SOURCES) are not pages. The file's mtime
 * serves as lastmod, so an unchanged file is not read again.
 */
public final class LocalFolderSource implements Source {

    private static final Logger log = LoggerFactory.getLogger(LocalFolderSource.class);

    private static final Set<String> MARKDOWN = Set.of("md", "markdown");
    private static final Set<String> HTML = Set.of("html", "htm");
    private static final Set<String> NOT_PAGES = Set.of(
            "readme", "license", "licence", "contributing", "code_of_conduct", "changelog", "notice", "sources");

    private final Path folder;
    private final MarkdownPages markdown;
    private final HtmlExtractor html;
    private final long maxPageBytes;

    public LocalFolderSource(Path folder, MarkdownPages markdown, HtmlExtractor html, long maxPageBytes) {
        this.folder = folder.toAbsolutePath().normalize();
        this.markdown = markdown;
        this.html = html;
        this.maxPageBytes = maxPageBytes;
    }

    @Override
    public String spec() {
        return "dir:" + folder;
    }

    public Path folder() {
        return folder;
    }

    @Override
    public List<SourceEntry> list() throws SourceException {
        if (!Files.exists(folder)) {
            throw new SourceException(spec() + ": folder does not exist");
        }
        if (!Files.isDirectory(folder)) {
            throw new SourceException(spec() + ": not a folder");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(this::isPageFile).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new SourceException(spec() + ": cannot list the folder: " + e.getMessage(), e);
        }
        Map<String, SourceEntry> entries = new LinkedHashMap<>();
        for (Path file : files) {
            String rel = relative(file);
            String id = stripExtension(rel);
            int slash = id.indexOf('/');
            String guide = slash > 0 ? id.substring(0, slash) : String.valueOf(folder.getFileName());
            BasicFileAttributes attrs;
            try {
                attrs = Files.readAttributes(file, BasicFileAttributes.class);
            } catch (IOException e) {
                throw new SourceException(spec() + ": cannot read attributes of " + rel + ": " + e.getMessage(), e);
            }
            SourceEntry entry = new SourceEntry(id, guide, file.toString(), attrs.lastModifiedTime().toInstant());
            SourceEntry previous = entries.putIfAbsent(id, entry);
            if (previous != null) {
                log.warn("{}: {} and {} both give page id {}; keeping the first", spec(),
                        relative(Path.of(previous.location())), rel, id);
            }
        }
        log.info("{}: {} pages", spec(), entries.size());
        return new ArrayList<>(entries.values());
    }

    @Override
    public FetchOutcome fetch(SourceEntry entry, Validators known) {
        Path file = Path.of(entry.location());
        try {
            long size = Files.size(file);
            if (size > maxPageBytes) {
                return new FetchOutcome.Failed(file + " is " + size + " bytes, over the limit of " + maxPageBytes);
            }
            byte[] bytes = Files.readAllBytes(file);
            String rel = relative(file);
            String ext = extension(rel);
            String url = urlOf(entry, rel);
            Page page = MARKDOWN.contains(ext)
                    ? markdown.toPage(entry.id(), url, entry.guide(), new String(bytes, StandardCharsets.UTF_8))
                    : html.extract(entry.id(), entry.guide(), url, bytes, null);
            return new FetchOutcome.Fetched(page, Validators.NONE, bytes.length);
        } catch (NoSuchFileException e) {
            return new FetchOutcome.Gone(file + " was deleted");
        } catch (IOException e) {
            return new FetchOutcome.Failed("cannot read " + file + ": " + e);
        } catch (RuntimeException e) {
            return new FetchOutcome.Failed("cannot extract " + file + ": " + e);
        }
    }

    private static String urlOf(SourceEntry entry, String rel) {
        String prefix = entry.guide() + "/";
        if (entry.id().startsWith(prefix)) {
            return AwsGuides.docsUrl(entry.guide(), entry.id().substring(prefix.length())).orElse(rel);
        }
        return rel;
    }

    private boolean isPageFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        for (Path part : folder.relativize(file)) {
            if (part.toString().startsWith(".")) {
                return false;
            }
        }
        String name = file.getFileName().toString();
        String ext = extension(name);
        if (!MARKDOWN.contains(ext) && !HTML.contains(ext)) {
            return false;
        }
        String stem = stripExtension(name).toLowerCase(Locale.ROOT);
        return !NOT_PAGES.contains(stem) && !stem.startsWith("license-") && !stem.startsWith("licence-");
    }

    private String relative(Path file) {
        return folder.relativize(file).toString().replace('\\', '/');
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        int slash = name.lastIndexOf('/');
        return dot > slash + 1 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        int slash = name.lastIndexOf('/');
        return dot > slash + 1 ? name.substring(0, dot) : name;
    }
}

package dev.docsearch.pipeline.corpus;

import dev.docsearch.core.io.Sha256;
import dev.docsearch.core.model.Page;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The content hash of an extracted page: SHA-256 over its id, URL, title, guide and sections
 * (heading paths, text and anchor), in a fixed separator-delimited form that does not depend on any JSON
 * library. Equal hashes mean the index would hold the same thing, so the page is "unchanged".
 */
public final class PageDigest {

    private PageDigest() {
    }

    /** The hex SHA-256 of the page's content. */
    public static String of(Page page) {
        MessageDigest md = Sha256.newDigest();
        field(md, page.id());
        field(md, page.url());
        field(md, page.title());
        field(md, page.guide());
        for (Page.Section s : page.sections()) {
            md.update((byte) 0x1e);
            for (String h : s.headingPath()) {
                field(md, h);
            }
            md.update((byte) 0x1d);
            field(md, s.text());
            field(md, s.anchor());
        }
        return Sha256.hex(md);
    }

    private static void field(MessageDigest md, String s) {
        md.update(s.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0x1f);
    }
}

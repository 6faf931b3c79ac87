package dev.docsearch.pipeline.build;

import java.util.Map;

/**
 * How a release's pages differ from its parent's.
 *
 * @param added     pages the parent did not have
 * @param changed   pages whose content hash differs from the parent's
 * @param removed   pages of the parent that are gone
 * @param unchanged pages with the parent's content
 */
public record PageChanges(int added, int changed, int removed, int unchanged) {

    /** Compares page hashes (id to content hash) with the parent's; every page is added when there is no parent. */
    public static PageChanges between(Map<String, String> parent, Map<String, String> now) {
        int added = 0;
        int changed = 0;
        int unchanged = 0;
        for (Map.Entry<String, String> e : now.entrySet()) {
            String before = parent.get(e.getKey());
            if (before == null) {
                added++;
            } else if (before.equals(e.getValue())) {
                unchanged++;
            } else {
                changed++;
            }
        }
        int removed = 0;
        for (String id : parent.keySet()) {
            if (!now.containsKey(id)) {
                removed++;
            }
        }
        return new PageChanges(added, changed, removed, unchanged);
    }

    /** {@code pages_added=N pages_changed=N pages_removed=N pages_unchanged=N} */
    public String summary() {
        return "pages_added=" + added + " pages_changed=" + changed + " pages_removed=" + removed
                + " pages_unchanged=" + unchanged;
    }
}

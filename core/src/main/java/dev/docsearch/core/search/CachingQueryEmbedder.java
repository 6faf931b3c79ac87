package dev.docsearch.core.search;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded LRU cache in front of a {@link QueryEmbedder}: popular queries skip the model. Thread-safe.
 */
public final class CachingQueryEmbedder implements QueryEmbedder {

    private final QueryEmbedder delegate;
    private final Map<String, float[]> cache;

    public CachingQueryEmbedder(QueryEmbedder delegate, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        this.delegate = delegate;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public float[] embed(String query) {
        float[] v;
        synchronized (cache) {
            v = cache.get(query);
        }
        if (v == null) {
            v = delegate.embed(query);
            synchronized (cache) {
                cache.put(query, v);
            }
        }
        return v.clone();
    }
}

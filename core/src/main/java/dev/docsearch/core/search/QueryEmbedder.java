package dev.docsearch.core.search;

/** Turns a query into a unit-length vector of the release's model. Must be thread-safe. */
@FunctionalInterface
public interface QueryEmbedder {
    float[] embed(String query);
}

/**
 * The pipeline: sources (sitemaps over HTTP, local folders) -> incremental crawl into the corpus
 * ({@link dev.docsearch.pipeline.crawl.Crawler}) -> build -> publish.
 *
 * <p>Sub-packages by concern: {@code source} (what pages exist and how to get one), {@code http}
 * (polite fetching: throttling, retries, robots.txt), {@code extract} (markdown and HTML to
 * {@link dev.docsearch.core.model.Page}), {@code corpus} (crash-safe crawl state under
 * {@code <root>/corpus/}) and {@code crawl} (the incremental crawl that ties them together).
 */
package dev.docsearch.pipeline;

package dev.docsearch.pipeline.crawl;

/**
 * A listed page the crawl could not fetch this time; a copy from an earlier crawl, if any, was kept.
 *
 * @param id       the page id
 * @param location its URL or file
 * @param reason   what went wrong, precisely
 */
public record CrawlFailure(String id, String location, String reason) {
}

/**
 * Announcing published releases: the {@code ReleasePublished} EventBridge event.
 */
package dev.docsearch.pipeline.events;

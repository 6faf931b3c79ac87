/**
 * Making a committed release live (verify, sink, {@code CURRENT}, announce) and pruning old ones.
 */
package dev.docsearch.pipeline.publish;

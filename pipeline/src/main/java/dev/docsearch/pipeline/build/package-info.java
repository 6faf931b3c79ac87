/**
 * The build step: the corpus's pages in, a committed release and its {@link dev.docsearch.pipeline.build.BuildRecord}
 * out; and whether a build would change anything at all.
 */
package dev.docsearch.pipeline.build;

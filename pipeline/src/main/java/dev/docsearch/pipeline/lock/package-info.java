/**
 * One run at a time per artifact root, over NFS: an exclusively created lock file with a heartbeat.
 */
package dev.docsearch.pipeline.lock;

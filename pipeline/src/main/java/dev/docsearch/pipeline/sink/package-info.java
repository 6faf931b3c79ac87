/**
 * Where releases go live: the artifact root itself, another directory, or an S3 bucket.
 */
package dev.docsearch.pipeline.sink;

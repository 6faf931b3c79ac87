package dev.docsearch.pipeline.sink;

import java.net.URI;

/**
 * How to reach S3.
 *
 * @param endpoint an S3-compatible endpoint (path-style addressing), or null for AWS's
 * @param region   the region, or null for the SDK's default chain ({@code AWS_REGION}, profile, instance
 *                 metadata); {@code us-east-1} when an endpoint is given without one
 */
public record S3Settings(URI endpoint, String region) {

    public static S3Settings defaults() {
        return new S3Settings(null, null);
    }
}

package dev.docsearch.pipeline.sink;

import java.nio.file.Path;

/** Opens the sink a {@code --sink} value names. */
public final class ReleaseSinks {

    private ReleaseSinks() {
    }

    /**
     * @param spec null or blank for the artifact root itself, {@code s3://bucket/prefix}, or a directory
     * @throws IllegalArgumentException for an unsupported scheme or an invalid S3 address
     */
    public static ReleaseSink open(String spec, Path artifactRoot, S3Settings s3) {
        if (spec == null || spec.isBlank()) {
            return new DirectorySink(artifactRoot, artifactRoot);
        }
        if (S3Location.isS3(spec)) {
            return S3Sink.open(S3Location.parse(spec.strip()), s3);
        }
        if (spec.contains("://")) {
            throw new IllegalArgumentException("unsupported sink '" + spec + "': use a directory or s3://bucket/prefix");
        }
        return new DirectorySink(Path.of(spec), artifactRoot);
    }
}

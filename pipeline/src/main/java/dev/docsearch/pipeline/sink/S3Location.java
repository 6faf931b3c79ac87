package dev.docsearch.pipeline.sink;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An {@code s3://bucket/prefix} address; the prefix plays the artifact root's part ({@code prefix/CURRENT},
 * {@code prefix/releases/<id>/...}, {@code prefix/models/...}).
 *
 * @param bucket the bucket name
 * @param prefix the key prefix, empty or ending in {@code /}
 */
public record S3Location(String bucket, String prefix) {

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public S3Location {
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("invalid S3 bucket name '" + bucket
                    + "' (3-63 lower-case letters, digits, dots and hyphens)");
        }
        if (prefix == null) {
            prefix = "";
        }
        while (prefix.startsWith("/")) {
            prefix = prefix.substring(1);
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
    }

    /** Whether {@code spec} is meant as an S3 address. */
    public static boolean isS3(String spec) {
        return spec != null && spec.toLowerCase(Locale.ROOT).startsWith("s3://");
    }

    /** Parses {@code s3://bucket} or {@code s3://bucket/prefix}. */
    public static S3Location parse(String spec) {
        if (!isS3(spec)) {
            throw new IllegalArgumentException("not an s3:// address: '" + spec + "'");
        }
        String rest = spec.substring("s3://".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? new S3Location(rest, "") : new S3Location(rest.substring(0, slash), rest.substring(slash + 1));
    }

    /** The key of a path relative to the prefix. */
    public String key(String relative) {
        return prefix + relative;
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + prefix;
    }
}

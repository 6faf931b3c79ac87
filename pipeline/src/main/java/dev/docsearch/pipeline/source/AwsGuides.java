package dev.docsearch.pipeline.source;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The AWS guides this project knows: each guide's id (the folder name of the awsdocs markdown
 * sources, e.g. {@code amazon-s3-userguide}) and its path on docs.aws.amazon.com (e.g.
 * {@code AmazonS3/latest/userguide}). Knowing both lets a crawled page and its markdown source get
 * the same page id, and lets a local page link to its real docs URL.
 */
public final class AwsGuides {

    /** The host of the AWS documentation. */
    public static final String DOCS_HOST = "docs.aws.amazon.com";

    private static final Map<String, String> PATH_BY_GUIDE = new LinkedHashMap<>();

    static {
        PATH_BY_GUIDE.put("amazon-s3-userguide", "AmazonS3/latest/userguide");
        PATH_BY_GUIDE.put("amazon-ecs-developer-guide", "AmazonECS/latest/developerguide");
        PATH_BY_GUIDE.put("amazon-ec2-user-guide", "AWSEC2/latest/UserGuide");
        PATH_BY_GUIDE.put("aws-lambda-developer-guide", "lambda/latest/dg");
        PATH_BY_GUIDE.put("iam-user-guide", "IAM/latest/UserGuide");
        PATH_BY_GUIDE.put("amazon-cloudwatch-user-guide", "AmazonCloudWatch/latest/monitoring");
        PATH_BY_GUIDE.put("amazon-dynamodb-developer-guide", "amazondynamodb/latest/developerguide");
        PATH_BY_GUIDE.put("amazon-vpc-user-guide", "vpc/latest/userguide");
        PATH_BY_GUIDE.put("aws-cdk-guide", "cdk/v2/guide");
        // In the awsdocs sources, not in the default crawl list.
        PATH_BY_GUIDE.put("amazon-ec2-user-guide-windows", "AWSEC2/latest/WindowsGuide");
        PATH_BY_GUIDE.put("amazon-cloudwatch-logs-user-guide", "AmazonCloudWatch/latest/logs");
    }

    /**
     * The sitemaps crawled when no source is given: the nine guides of the original prototype
     * (S3, ECS, EC2, Lambda, IAM, CloudWatch, DynamoDB, VPC, CDK v2).
     */
    public static final List<String> DEFAULT_SITEMAPS = PATH_BY_GUIDE.values().stream()
            .limit(9)
            .map(path -> "https://" + DOCS_HOST + "/" + path + "/sitemap.xml")
            .toList();

    private AwsGuides() {
    }

    /** Every known guide id, the nine default ones first. */
    public static List<String> guides() {
        return List.copyOf(PATH_BY_GUIDE.keySet());
    }

    /** The docs path of a known guide, e.g. {@code AmazonS3/latest/userguide}. */
    public static Optional<String> docsPath(String guide) {
        return Optional.ofNullable(PATH_BY_GUIDE.get(guide));
    }

    /** The guide whose docs path this is (case-insensitive, slashes at either end ignored). */
    public static Optional<String> guideForPath(String path) {
        String p = trimSlashes(path);
        for (Map.Entry<String, String> e : PATH_BY_GUIDE.entrySet()) {
            if (e.getValue().equalsIgnoreCase(p)) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    /**
     * The real docs URL of a page of a known guide, e.g. {@code amazon-s3-userguide} +
     * {@code Versioning} -> {@code https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html}.
     */
    public static Optional<String> docsUrl(String guide, String page) {
        return docsPath(guide).map(path -> "https://" + DOCS_HOST + "/" + path + "/" + page + ".html");
    }

    /**
     * The guide id for pages listed by a sitemap living at {@code basePath} (the sitemap's
     * folder): a known guide's id, else the folder path lower-cased with {@code /} turned into
     * {@code -}, else the host.
     */
    public static String guideForBase(URI base) {
        String path = base.getPath() == null ? "" : trimSlashes(base.getPath());
        Optional<String> known = guideForPath(path);
        if (known.isPresent()) {
            return known.get();
        }
        if (path.isEmpty()) {
            return base.getHost() == null ? "site" : base.getHost().toLowerCase(Locale.ROOT);
        }
        return path.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
    }

    static String trimSlashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '/') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(start, end);
    }
}

package dev.docsearch.service;

import dev.docsearch.core.cache.EmbeddingCache;
import dev.docsearch.core.chunk.Chunker;
import dev.docsearch.core.chunk.ChunkingParameters;
import dev.docsearch.core.embed.Embedder;
import dev.docsearch.core.embed.EmbedderOptions;
import dev.docsearch.core.embed.ModelInfo;
import dev.docsearch.core.embed.ModelStore;
import dev.docsearch.core.model.Page;
import dev.docsearch.core.release.Manifest;
import dev.docsearch.core.release.ReleaseBuilder;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.core.vector.VectorIndexOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Real releases for the service's tests, built with core's {@link ReleaseBuilder} (MiniLM over ONNX, FAISS,
 * Lucene) from a handful of short pages. The model is installed and loaded once per test JVM and shared;
 * each test gets its own artifact root whose {@code models/} is a link to the shared model directory (so a
 * root without that link is a root whose model is missing).
 */
public final class TestCorpus {

    private static Path home;
    private static Embedder embedder;
    private static EmbeddingCache cache;

    private TestCorpus() {
    }

    static Page page(String id, String title, String... sectionsAndTexts) {
        List<Page.Section> sections = new ArrayList<>();
        for (int i = 0; i < sectionsAndTexts.length; i += 2) {
            String heading = sectionsAndTexts[i];
            // a headed section links by its heading's slug, as the docs site's ids do
            sections.add(new Page.Section(heading.isEmpty() ? List.of() : List.of(heading), sectionsAndTexts[i + 1],
                    heading.toLowerCase(java.util.Locale.ROOT).replace(' ', '-')));
        }
        String guide = id.substring(0, id.indexOf('/'));
        return new Page(id, "https://docs.example.com/" + id + ".html", title, guide, sections);
    }

    /** Fourteen pages in six guides, in the voice of the AWS docs. */
    public static final List<Page> PAGES = List.of(
            page("amazon-s3-userguide/Versioning", "Using versioning in S3 buckets",
                    "", "Versioning in Amazon S3 is a means of keeping multiple variants of an object in the same bucket. "
                            + "You can use versioning to preserve, retrieve, and restore every version of every object.",
                    "Enabling versioning on buckets", "To enable versioning on a bucket, open the Amazon S3 console, "
                            + "choose the bucket, choose Properties, and under Bucket Versioning choose Edit, then Enable."),
            page("amazon-s3-userguide/Encryption", "Protecting data with server-side encryption",
                    "", "Amazon S3 encrypts objects with SSE-S3 by default. You can choose SSE-KMS keys instead, "
                            + "set with the x-amz-server-side-encryption header on each PutObject request."),
            page("amazon-s3-userguide/Lifecycle", "Managing your storage lifecycle",
                    "", "An S3 Lifecycle configuration is a set of rules that define actions that Amazon S3 applies "
                            + "to a group of objects, such as transitioning objects to another storage class or expiring "
                            + "noncurrent versions of a versioned bucket."),
            page("amazon-ec2-user-guide/InstanceTypes", "Amazon EC2 instance types",
                    "", "When you launch an instance, the instance type determines the hardware. A t3.medium has "
                            + "2 vCPUs and 4 GiB of memory and is a burstable performance instance."),
            page("amazon-ec2-user-guide/KeyPairs", "Amazon EC2 key pairs and Linux instances",
                    "", "A key pair, consisting of a public key and a private key, is a set of security credentials "
                            + "that you use to prove your identity when connecting to an Amazon EC2 instance over SSH."),
            page("iam-user-guide/Policies", "Policies and permissions in IAM",
                    "", "An identity-based policy can allow the s3:PutObject action on a bucket so that a role "
                            + "can upload objects. Use the principle of least privilege."),
            page("iam-user-guide/Roles", "IAM roles",
                    "", "An IAM role is an identity with permission policies that determine what the identity can "
                            + "and cannot do in AWS. A role is assumed by anyone who needs it, such as an EC2 instance."),
            page("amazon-dynamodb-developer-guide/Throughput", "Handling throttling in DynamoDB",
                    "", "If your requests exceed the provisioned capacity of a table, DynamoDB returns a "
                            + "ProvisionedThroughputExceededException. The AWS SDKs retry these automatically with "
                            + "exponential backoff."),
            page("amazon-dynamodb-developer-guide/Streams", "Change data capture for DynamoDB Streams",
                    "", "DynamoDB Streams captures a time-ordered sequence of item-level modifications in any "
                            + "DynamoDB table and stores this information in a log for up to 24 hours."),
            page("aws-lambda-developer-guide/Timeout", "Configuring Lambda function timeout",
                    "", "The timeout is the maximum amount of time in seconds that a Lambda function can run. "
                            + "The default is 3 seconds and the maximum is 900 seconds (15 minutes)."),
            page("aws-lambda-developer-guide/Permissions", "Lambda execution role permissions",
                    "", "A Lambda function's execution role is an IAM role that grants the function permission to "
                            + "access AWS services and resources, for example to write logs to CloudWatch Logs."),
            page("amazon-vpc-user-guide/SecurityGroups", "Control traffic with security groups",
                    "", "A security group acts as a virtual firewall for your EC2 instances to control incoming "
                            + "and outgoing traffic. Inbound rules control the incoming traffic to your instance."),
            // Hostile metadata: the page must show it as text and never make the URL clickable.
            new Page("amazon-vpc-user-guide/Hostile", "javascript:alert(1)", "Escaping <b>tags</b> & \"quotes\"",
                    "amazon-vpc-user-guide", List.of(new Page.Section(List.of("<script>alert('section')</script>"),
                    "This page about flow logs has a title with markup, a script in its section heading and a "
                            + "javascript URL, all of which must be shown as text."))),
            page("amazon-cloudwatch-user-guide/Alarms", "Using Amazon CloudWatch alarms",
                    "", "You can create metric and composite alarms in Amazon CloudWatch. An alarm watches a single "
                            + "metric over a time period and performs actions such as sending an SNS notification."));

    /** The shared model home (installed once) and the embedder used to build releases. */
    public static synchronized Embedder embedder() throws IOException {
        if (embedder == null) {
            home = Files.createTempDirectory("docsearch-service-test-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(home)));
            ModelInfo model = new ModelStore(home).installDefault();
            embedder = Embedder.open(model, EmbedderOptions.defaults());
            cache = EmbeddingCache.open(home, model);
        }
        return embedder;
    }

    /** Makes {@code root} an artifact root whose {@code models/} is the shared model directory. */
    public static Path linkModels(Path root) throws IOException {
        embedder();
        Files.createDirectories(root);
        Path link = root.resolve("models");
        if (!Files.exists(link)) {
            Files.createSymbolicLink(link, home.resolve("models"));
        }
        return root;
    }

    /** Builds (commits, does not publish) a release of {@code pages} into {@code root}. */
    public static Manifest build(Path root, List<Page> pages, String parent) throws IOException {
        Embedder e = embedder();
        ReleaseBuilder builder = new ReleaseBuilder(new ReleaseStore(root), e,
                new Chunker(new ChunkingParameters(40, 8, 0), e::countTokens), VectorIndexOptions.DEFAULT, cache, 2,
                null);
        return builder.build(pages, parent).manifest();
    }

    /** Builds and publishes a release of {@link #PAGES}; returns its id. */
    public static String publishDefault(Path root) throws Exception {
        linkModels(root);
        Manifest m = build(root, PAGES, null);
        new ReleaseStore(root).publish(m.id());
        return m.id();
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Best effort at JVM exit.
        }
    }
}

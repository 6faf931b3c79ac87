package dev.docsearch.pipeline.sink;

import dev.docsearch.core.embed.ModelInfo;
import dev.docsearch.core.embed.ModelStore;
import dev.docsearch.core.embed.TextEncoding;
import dev.docsearch.core.release.Manifest;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.core.release.VerifiedRelease;
import dev.docsearch.pipeline.cli.CliRun;
import dev.docsearch.pipeline.events.LoopbackEventBridge;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Publishing into S3 through the SDK v2, against S3Proxy on loopback: what lands in the bucket, byte for byte,
 * and in which order (model before release, files before manifest, CURRENT last); pruning; and a failed upload
 * that must leave CURRENT alone.
 */
class S3SinkTest {

    private static final String BUCKET = "docsearch-test";
    private static final String SINK = "s3://" + BUCKET + "/prod/artifacts";
    private static final String PREFIX = "prod/artifacts/";

    @TempDir
    static Path root;
    static LoopbackS3 s3;
    static S3Client client;
    static ModelInfo model;

    @BeforeAll
    static void start() throws Exception {
        LoopbackEventBridge.useTestCredentials(); // the CLI's SDK clients find them through the default chain
        System.setProperty("aws.accessKeyId", LoopbackS3.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", LoopbackS3.SECRET_KEY);
        s3 = new LoopbackS3();
        client = S3Client.builder().endpointOverride(s3.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LoopbackS3.ACCESS_KEY, LoopbackS3.SECRET_KEY)))
                .build();
        client.createBucket(b -> b.bucket(BUCKET));
        model = new ModelStore(root).installDefault();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        s3.close();
    }

    private static String[] cli(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--root", root.toString(), "--sink", SINK, "--s3-endpoint", s3.endpoint().toString(),
                "--aws-region", "us-east-1"));
        return all.toArray(String[]::new);
    }

    @Test
    void releasesGoToTheBucketModelFirstAndCurrentLastThenOldOnesArePruned() throws Exception {
        s3.clearStored(); // what other tests of this class stored before this one (the order is not fixed)
        ReleaseStore store = new ReleaseStore(root);
        Manifest first = writeRelease(store, 12, 1);

        CliRun.Result r1 = CliRun.run(cli("publish"));
        assertThat(r1.code()).as(r1.toString()).isZero();
        assertThat(r1.summary()).contains("release=" + first.id(), "sink=s3://" + BUCKET + "/" + PREFIX);
        List<String> order = s3.stored();
        String modelBase = PREFIX + "models/" + model.name() + "/" + model.sha256() + "/";
        String releaseBase = PREFIX + "releases/" + first.id() + "/";
        assertThat(order).startsWith(modelBase + "model.onnx", modelBase + "tokenizer.json", modelBase + "model.properties");
        assertThat(order).endsWith(releaseBase + "manifest.json", PREFIX + "CURRENT");
        assertThat(order).hasSize(3 + first.files().size() + 2);
        assertThat(object(PREFIX + "CURRENT")).isEqualTo((first.id() + "\n").getBytes());
        for (Manifest.FileEntry f : first.files()) {
            byte[] bytes = object(releaseBase + f.path());
            assertThat(bytes.length).as(f.path()).isEqualTo(f.bytes());
            assertThat(sha256(bytes)).as(f.path()).isEqualTo(f.sha256());
        }
        assertThat(sha256(object(modelBase + "model.onnx"))).isEqualTo(model.sha256());
        assertThat(object(releaseBase + "manifest.json")).isEqualTo(Files.readAllBytes(store.releaseDir(first.id()).resolve("manifest.json")));
        assertThat(store.current()).contains(first.id()); // the artifact root knows what is live too

        // A second release: the model is there already, so only the release and CURRENT are written.
        s3.clearStored();
        Manifest second = writeRelease(store, 9, 2);
        CliRun.Result r2 = CliRun.run(cli("publish"));
        assertThat(r2.code()).as(r2.toString()).isZero();
        assertThat(s3.stored()).noneMatch(k -> k.contains("/models/"))
                .hasSize(second.files().size() + 2)
                .endsWith(PREFIX + "releases/" + second.id() + "/manifest.json", PREFIX + "CURRENT");
        assertThat(object(PREFIX + "CURRENT")).isEqualTo((second.id() + "\n").getBytes());

        // gc keeps one release at the sink too, and never the live one. The artifact root would keep the newest
        // verified release before the live one as well (what a rollback goes to): damaged, it counts for nothing.
        dev.docsearch.core.fixture.Corruption.flipByte(store.releaseDir(first.id()).resolve("chunks.dat"));
        CliRun.Result gc = CliRun.run(cli("releases", "gc", "--keep", "1"));
        assertThat(gc.code()).as(gc.toString()).isZero();
        assertThat(keys(PREFIX + "releases/" + first.id() + "/")).isEmpty();
        assertThat(keys(PREFIX + "releases/" + second.id() + "/")).hasSize(second.files().size() + 1);
        assertThat(keys(modelBase)).hasSize(3);
        assertThat(store.ids()).containsExactly(second.id());

        // Rolling forward and back works through the sink as well.
        Manifest third = writeRelease(store, 5, 3);
        assertThat(CliRun.run(cli("publish", third.id())).code()).isZero();
        CliRun.Result back = CliRun.run(cli("releases", "rollback", second.id()));
        assertThat(back.code()).as(back.toString()).isZero();
        assertThat(object(PREFIX + "CURRENT")).isEqualTo((second.id() + "\n").getBytes());
        assertThat(store.current()).contains(second.id());
    }

    @Test
    void aFailedUploadNeverReachesTheManifestOrCurrent(@TempDir Path other) throws Exception {
        // The sink copies a model directory as it is; a small stand-in keeps this test quick.
        Path modelDir = Files.createDirectories(other.resolve("models/tiny-model/" + "ab".repeat(32)));
        Files.writeString(modelDir.resolve("model.onnx"), "not really a model");
        Files.writeString(modelDir.resolve("tokenizer.json"), "{}");
        Files.writeString(modelDir.resolve("model.properties"), "name=tiny-model\n");
        ModelInfo otherModel = new ModelInfo("tiny-model", "ab".repeat(32), 384, modelDir, TextEncoding.PLAIN_MEAN);
        ReleaseStore store = new ReleaseStore(other);
        Manifest m = writeRelease(store, 6, 4);
        VerifiedRelease verified = store.verified(m.id());
        // A file vanishes between verification and upload (a disk error, a concurrent cleanup).
        Manifest.FileEntry victim = m.files().stream().filter(f -> f.path().startsWith("keyword/")).findFirst().orElseThrow();
        Files.delete(store.releaseDir(m.id()).resolve(victim.path()));
        S3Location location = S3Location.parse("s3://" + BUCKET + "/failing");
        s3.clearStored();
        try (S3Sink sink = S3Sink.open(location, new S3Settings(s3.endpoint(), "us-east-1"))) {
            assertThatThrownBy(() -> sink.publish(store, verified, otherModel))
                    .hasMessageContaining("cannot upload").hasMessageContaining(victim.path());
            assertThat(sink.current()).isEmpty();
        }
        assertThat(s3.stored()).contains("failing/models/tiny-model/" + "ab".repeat(32) + "/model.properties")
                .noneMatch(k -> k.endsWith("manifest.json") || k.endsWith("CURRENT"));
        assertThat(keys("failing/CURRENT")).isEmpty();
    }

    @Test
    void s3AddressesAreParsedAndCheckedUpFront() {
        assertThat(S3Location.parse("s3://my-bucket")).isEqualTo(new S3Location("my-bucket", ""));
        assertThat(S3Location.parse("s3://my-bucket/a/b").key("CURRENT")).isEqualTo("a/b/CURRENT");
        assertThatThrownBy(() -> S3Location.parse("s3://Bad_Bucket/x")).hasMessageContaining("invalid S3 bucket name");
        CliRun.Result r = CliRun.run("publish", "--root", root.toString(), "--sink", "s3://Bad_Bucket/x");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("invalid S3 bucket name 'Bad_Bucket'");
        assertThat(CliRun.run("publish", "--root", root.toString(), "--sink", "ftp://host/x").err())
                .contains("unsupported sink");
    }

    private static Manifest writeRelease(ReleaseStore store, int chunks, long seed) throws Exception {
        return SmallReleases.write(store, model, chunks, seed);
    }

    private static byte[] object(String key) {
        return client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
    }

    private static List<String> keys(String prefix) {
        return client.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}

package dev.docsearch.infra;

import java.util.List;
import java.util.Optional;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The bucket behind the S3 Files file system: every release, model and crawl state of docsearch.
 *
 * <p>Versioned (S3 Files requires it), encrypted with SSE-S3 or a customer managed KMS key, private, TLS only, with
 * server access logs in a second bucket. Non-current versions expire after a set number of days, so weekly
 * releases do not pile up. Retained when the stack is deleted unless {@code retainData} is false.
 */
public final class ArtifactStorage extends Construct {

  /**
   * @param noncurrentVersionDays days after which non-current versions expire
   * @param retainData            keep the buckets (and the key) when the stack is deleted
   * @param useKms                SSE-KMS with a new customer managed key (rotation on) instead of SSE-S3
   */
  public record Props(int noncurrentVersionDays, boolean retainData, boolean useKms) {
  }

  private final Bucket bucket;
  private final Key key;

  public ArtifactStorage(Construct scope, String id, Props props) {
    super(scope, id);
    RemovalPolicy removal = props.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    Bucket accessLogs = Bucket.Builder.create(this, "AccessLogs")
        // Server access logging delivers only to SSE-S3 buckets.
        .encryption(BucketEncryption.S3_MANAGED)
        .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
        .enforceSsl(true)
        .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
        .lifecycleRules(List.of(LifecycleRule.builder().id("expire-access-logs")
            .expiration(Duration.days(365)).build()))
        .removalPolicy(removal)
        .autoDeleteObjects(!props.retainData())
        .build();

    key = props.useKms()
        ? Key.Builder.create(this, "Key")
            .description("docsearch artifacts (S3 bucket and S3 Files file system)")
            .enableKeyRotation(true)
            .removalPolicy(removal)
            .build()
        : null;

    Bucket.Builder artifacts = Bucket.Builder.create(this, "Bucket")
        .versioned(true)
        .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
        .enforceSsl(true)
        .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
        .serverAccessLogsBucket(accessLogs)
        .serverAccessLogsPrefix("artifacts/")
        .lifecycleRules(List.of(LifecycleRule.builder().id("expire-noncurrent-versions")
            .noncurrentVersionExpiration(Duration.days(props.noncurrentVersionDays()))
            .abortIncompleteMultipartUploadAfter(Duration.days(7))
            .build()))
        .removalPolicy(removal)
        .autoDeleteObjects(!props.retainData());
    if (key != null) {
      artifacts.encryption(BucketEncryption.KMS).encryptionKey(key).bucketKeyEnabled(true);
    } else {
      artifacts.encryption(BucketEncryption.S3_MANAGED);
    }
    bucket = artifacts.build();
  }

  /** The artifact bucket (the file system's contents). */
  public Bucket bucket() {
    return bucket;
  }

  /** The customer managed key, when {@code useKms}. */
  public Optional<Key> key() {
    return Optional.ofNullable(key);
  }
}

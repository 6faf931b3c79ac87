package dev.docsearch.infra.doctor;

import java.util.List;

/**
 * The few Amazon S3 Files API calls the doctor makes.
 *
 * <p>An interface because the Java SDK module for S3 Files ({@code software.amazon.awssdk:s3files}) is not
 * available here: {@link SignedS3FilesApi} makes the calls with the SDK's SigV4 signer and HTTP client, and a
 * future implementation over the SDK client can replace it without touching the checks.
 */
public interface S3FilesApi extends AutoCloseable {

  /** GetFileSystem. */
  FileSystem getFileSystem(String fileSystemId);

  /** ListMountTargets for one file system (all pages). */
  List<MountTarget> listMountTargets(String fileSystemId);

  /** GetMountTarget, which (unlike the list) carries the security groups. */
  MountTarget getMountTarget(String mountTargetId);

  @Override
  void close();

  /**
   * A file system as GetFileSystem describes it.
   *
   * @param fileSystemId  fs-...
   * @param bucketArn     the bucket it presents
   * @param roleArn       the role it assumes
   * @param status        e.g. available, creating, error
   * @param statusMessage why, when not available (may be empty)
   */
  record FileSystem(String fileSystemId, String bucketArn, String roleArn, String status, String statusMessage) {
  }

  /**
   * A mount target.
   *
   * @param mountTargetId  fsmt-...
   * @param subnetId       its subnet
   * @param status         e.g. available, creating
   * @param securityGroups its security groups (empty from ListMountTargets)
   */
  record MountTarget(String mountTargetId, String subnetId, String status, List<String> securityGroups) {
    public MountTarget {
      securityGroups = List.copyOf(securityGroups);
    }
  }

  /** An S3 Files API call that did not succeed. */
  final class S3FilesApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int statusCode;
    private final String errorCode;

    public S3FilesApiException(int statusCode, String errorCode, String message) {
      super("S3 Files API: HTTP " + statusCode + (errorCode.isEmpty() ? "" : " " + errorCode) + ": " + message);
      this.statusCode = statusCode;
      this.errorCode = errorCode;
    }

    public int statusCode() {
      return statusCode;
    }

    public String errorCode() {
      return errorCode;
    }
  }
}

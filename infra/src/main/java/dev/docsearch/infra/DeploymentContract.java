package dev.docsearch.infra;

import java.util.List;

/**
 * The names and values the stack creates and the doctor checks: one place, and free of CDK classes, so that the
 * doctor never starts the jsii runtime.
 */
public final class DeploymentContract {

  /** The service principal S3 Files file systems act as (S3 Files is built on EFS). */
  public static final String S3FILES_SERVICE_PRINCIPAL = "elasticfilesystem.amazonaws.com";
  /** Prefix of the EventBridge rules S3 Files manages for a file system. */
  public static final String S3FILES_RULE_PREFIX = "DO-NOT-DELETE-S3-Files";
  /** EventBridge actions S3 Files needs on its own rules (ListRules, which has no resource, comes on top). */
  public static final List<String> S3FILES_RULE_ACTIONS = List.of("events:PutRule", "events:DeleteRule",
      "events:DescribeRule", "events:EnableRule", "events:DisableRule", "events:PutTargets",
      "events:RemoveTargets", "events:ListTargetsByRule");
  public static final int NFS_PORT = 2049;

  /** AWS managed policy an S3 Files client (the host) needs. */
  public static final String S3FILES_CLIENT_POLICY = "AmazonS3FilesClientFullAccess";
  /** AWS managed policy for SSM Session Manager and Run Command. */
  public static final String SSM_CORE_POLICY = "AmazonSSMManagedInstanceCore";

  /** The universal target of the weekly schedule: Scheduler calls Auto Scaling's SetDesiredCapacity itself. */
  public static final String SET_DESIRED_CAPACITY_TARGET = "aws-sdk:autoscaling:setDesiredCapacity";

  /** Construct ids the doctor finds resources by (CloudFormation logical ids start with them). */
  public static final String STORAGE_ID = "Storage";
  public static final String FILES_ID = "Files";
  public static final String HOST_ID = "SearchHost";
  public static final String BUILDER_ID = "Builder";
  public static final String REINDEX_ID = "WeeklyReindex";
  /** The load balancer (its target group of the serving hosts is a child); DocsearchStack spells it out still. */
  public static final String LOAD_BALANCER_ID = "LoadBalancer";

  private DeploymentContract() {
  }
}

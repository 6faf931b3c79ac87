package dev.docsearch.service.api;

import java.util.Locale;
import java.util.Map;

/**
 * Readable names for guide ids: {@code amazon-s3-userguide} reads "Amazon S3 User Guide". Service acronyms
 * and product names keep their AWS spelling; any other word is capitalised.
 */
public final class GuideLabels {

    private static final Map<String, String> WORDS = Map.ofEntries(
            Map.entry("aws", "AWS"), Map.entry("s3", "S3"), Map.entry("ec2", "EC2"), Map.entry("ecs", "ECS"),
            Map.entry("vpc", "VPC"), Map.entry("iam", "IAM"), Map.entry("cdk", "CDK"), Map.entry("sns", "SNS"),
            Map.entry("sqs", "SQS"), Map.entry("kms", "KMS"), Map.entry("rds", "RDS"), Map.entry("eks", "EKS"),
            Map.entry("dynamodb", "DynamoDB"), Map.entry("cloudwatch", "CloudWatch"),
            Map.entry("cloudformation", "CloudFormation"), Map.entry("userguide", "User Guide"),
            Map.entry("devguide", "Developer Guide"));

    private GuideLabels() {
    }

    public static String label(String guide) {
        if (guide == null || guide.isBlank()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (String word : guide.split("[-_]+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            String known = WORDS.get(word.toLowerCase(Locale.ROOT));
            sb.append(known != null ? known : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        return sb.toString();
    }
}

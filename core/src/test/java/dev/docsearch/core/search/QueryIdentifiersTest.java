package dev.docsearch.core.search;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class QueryIdentifiersTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ProvisionedThroughputExceededException                 | ProvisionedThroughputExceededException",
            "why do I get AccessDenied on s3:PutObject              | AccessDenied,s3:PutObject",
            "iam:PassRole error                                     | iam:PassRole",
            "resize to t3.medium or mac1.metal                      | t3.medium,mac1.metal",
            "aws s3 sync --delete --exact-timestamps                | --delete,--exact-timestamps",
            "set AWS_REGION and OMP_NUM_THREADS                     | AWS_REGION,OMP_NUM_THREADS",
            "{ $.errorCode = 400 }                                  | $.errorCode",
            "\"bucket owner enforced\" setting                      | bucket owner enforced",
            "arn:aws:iam::123456789012:role/x                       | arn:aws:iam::123456789012:role/x",
            "maxConcurrency for the function                        | maxConcurrency",
            "aws s3api put-public-access-block --bucket b           | put-public-access-block,--bucket",
            "x-amz-server-side-encryption-customer-algorithm        | x-amz-server-side-encryption-customer-algorithm",
            "amazon-cloudwatch-agent-ctl -a fetch-config            | amazon-cloudwatch-agent-ctl",
    })
    void findsWhatPeoplePaste(String query, String expected) {
        assertThat(QueryIdentifiers.of(query)).containsExactlyElementsOf(Arrays.asList(expected.split(",")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "how do I turn on versioning for my bucket",
            "Lambda function timeout",
            "EC2 instance types",
            "what is a VPC endpoint",
            "S3 lifecycle rules",
            "cross-region replication",
            "keep my packages up-to-date with a step-by-step guide",
            "an end-to-end example of a real-time dashboard",
            "DynamoDB streams and CloudWatch alarms",
            "deploy with CloudFormation from GitHub",
    })
    void plainWordsAreNoIdentifiers(String query) {
        assertThat(QueryIdentifiers.of(query)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "s3:PutObject,AccessDenied | Returns AccessDenied when the role lacks S3:PutObject. | true",
            "s3:PutObject,AccessDenied | Returns AccessDenied when the role lacks s3:GetObject. | false",
    })
    void allInNeedsEveryIdentifierWhateverTheCase(String identifiers, String text, boolean expected) {
        assertThat(QueryIdentifiers.allIn(List.of(identifiers.split(",")), text)).isEqualTo(expected);
    }
}

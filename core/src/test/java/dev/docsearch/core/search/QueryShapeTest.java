package dev.docsearch.core.search;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Which queries fusion treats as questions in the user's own words, and which as pasted identifiers. */
class QueryShapeTest {

    static Stream<Arguments> queries() {
        return Stream.of(
                shaped(QueryShape.QUESTION,
                        "my function keeps getting killed after about 3 seconds, how do i let it run longer",
                        "how do I get old log entries deleted automatically after 30 days",
                        "can rows in my nosql table delete themselves after a certain date",
                        "I deleted a file from my bucket by mistake - is there any way to get the earlier copy back?",
                        "what IAM role does eventbridge need to start ecs tasks on a schedule",
                        "cheapest way to keep old backup files that we basically never open",
                        "Lambda cold start keeps timing out again?",
                        "we\u2019re unable to reach the instance over SSH"),
                // pasted identifiers with at most two other words
                shaped(QueryShape.IDENTIFIER,
                        "ProvisionedThroughputExceededException",
                        "aws:SecureTransport",
                        "{ $.errorCode = 400 }",
                        "iam:PassRole denied",
                        "ECS_ENABLE_TASK_IAM_ROLE ecs agent"),
                shaped(QueryShape.TERMS,
                        "s3 lifecycle expiration",
                        "ecs service auto scaling target tracking",
                        "how to cdk", // too short to say
                        "ProvisionedThroughputExceededException what does it mean for my table", // a pasted identifier
                        "my s3:PutObject call is denied",
                        // declarative statements, however long, are terms (SciFact's claims)
                        "A deficiency of vitamin B12 increases blood levels of homocysteine.",
                        "Converting apoE4 to apoE3 by gene editing prevents the pathology associated with apoE4.",
                        "install packages automatically the first time a new linux server boots up",
                        ""))
                .flatMap(Function.identity());
    }

    private static Stream<Arguments> shaped(QueryShape shape, String... queries) {
        return Stream.of(queries).map(query -> Arguments.of(query, shape));
    }

    @ParameterizedTest(name = "{1}: \"{0}\"")
    @MethodSource("queries")
    void eachQueryHasItsShape(String query, QueryShape shape) {
        assertThat(QueryShape.of(query)).isEqualTo(shape);
    }
}

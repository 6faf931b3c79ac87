package dev.docsearch.core.keyword;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AwsDocsAnalyzerTest {

    private static final Analyzer ANALYZER = new AwsDocsAnalyzer();

    @AfterAll
    static void close() {
        ANALYZER.close();
    }

    static List<String> terms(String text) throws IOException {
        List<String> terms = new ArrayList<>();
        try (TokenStream ts = ANALYZER.tokenStream(KeywordFields.BODY, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                terms.add(term.toString());
            }
            ts.end();
        }
        return terms;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "s3:PutObject | s3:putobject s3 putobject put object",
        "ProvisionedThroughputExceededException | provisionedthroughputexceededexcept provis throughput exceed except",
        "t3.medium | t3.medium t3 medium",
        "--dry-run | dry-run dry run",
        "--instance-ids | instance-ids instanc id",
        "arn:aws:iam::123456789012:role/x | arn:aws:iam::123456789012:role/x arn aw iam 123456789012 role x",
        "AWS::S3::Bucket | aws::s3::bucket aw s3 bucket",
        "x-amz-server-side-encryption | x-amz-server-side-encryption x amz server side encrypt",
        "DynamoDB | dynamodb dynamo db",
    })
    void identifiersAreKeptWholeAndSplitIntoParts(String identifier, String expected) throws IOException {
        assertThat(terms(identifier)).containsAll(List.of(expected.split(" ")));
    }

    @Test
    void sentencePunctuationIsNotPartOfAWord() throws IOException {
        assertThat(terms("(bucket).")).containsExactly("bucket");
        assertThat(terms("\"PutObject\",")).containsExactly("putobject", "put", "object");
        assertThat(terms("the bucket's policy")).containsExactly("bucket", "polici");
    }

    @Test
    void stopWordsGoButTheWordsAroundThemStay() throws IOException {
        assertThat(terms("the of and is")).isEmpty();
        assertThat(terms("Enable the versioning of a bucket")).containsExactly("enabl", "version", "bucket");
    }

    @Test
    void overlongTokensAreDroppedButTheirPartsAreKept() throws IOException {
        String blob = "a".repeat(300) + ":PutObject";
        List<String> terms = terms(blob);
        assertThat(terms).contains("putobject", "put", "object");
        assertThat(terms).allSatisfy(t -> assertThat(t.length()).isLessThanOrEqualTo(AwsDocsAnalyzer.MAX_TOKEN_CHARS));
    }

    /** Lucene's IndexWriter rejects offsets that go backwards; no text may produce them. */
    @Test
    void offsetsStayInOrderAndInsideTheTextForRandomUnicode() throws IOException {
        Random random = new Random(20240611L);
        List<String> texts = new ArrayList<>(HostileStrings.QUERIES);
        texts.add("Met\u00b9\u2074\u2079 receptor x\u00b2 \u00bd-life"); // Latin-1 superscripts once broke order
        for (int i = 0; i < 3000; i++) {
            texts.add(HostileStrings.random(random, 200));
        }
        for (String text : texts) {
            try (TokenStream ts = ANALYZER.tokenStream(KeywordFields.BODY, text)) {
                OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
                CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
                ts.reset();
                int lastStart = 0;
                while (ts.incrementToken()) {
                    assertThat(offset.startOffset()).as("start of %s in %s", term, text).isGreaterThanOrEqualTo(lastStart);
                    assertThat(offset.endOffset()).isBetween(offset.startOffset(), text.length());
                    assertThat(term.length()).isBetween(1, AwsDocsAnalyzer.MAX_TOKEN_CHARS);
                    lastStart = offset.startOffset();
                }
                ts.end();
            }
        }
    }
}

package dev.docsearch.core.search;

import dev.docsearch.core.keyword.KeywordIndex;
import dev.docsearch.core.keyword.KeywordIndexWriter;
import dev.docsearch.core.model.Chunk;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Typo tolerance over a real (small) keyword index: what is corrected, to what, and what never is. */
class QuerySpellingTest {

    static KeywordIndex index;

    @BeforeAll
    static void build(@TempDir Path tmp) throws IOException {
        List<Chunk> chunks = List.of(
                chunk("Using versioning in S3 buckets", "Enable versioning on a bucket to keep every version."),
                chunk("Configuring Lambda function timeout", "The timeout of a Lambda function is 3 seconds by default."),
                chunk("IAM policies", "Allow s3:PutObject for the role. Launch a t3.medium with --instance-ids."),
                chunk("Environment", "Set AWS_REGION and the errorCode filter before you deploy."));
        Path dir = tmp.resolve("keyword");
        try (KeywordIndexWriter writer = new KeywordIndexWriter(dir)) {
            for (int i = 0; i < chunks.size(); i++) {
                writer.add(i, chunks.get(i));
            }
        }
        index = KeywordIndex.open(dir);
    }

    @AfterAll
    static void close() throws IOException {
        index.close();
    }

    private static Chunk chunk(String title, String text) {
        String id = "p" + Math.abs(title.hashCode());
        return new Chunk(id + "#0", id, "https://docs.example/" + id, title, "guide", List.of(), text);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "bukcet versoning           | bucket versioning",    // a transposition, a missing letter
            "lamda timout               | lambda timeout",
            "Lamda function timout      | lambda function timeout",
            "how to enabel versioning   | how to enable versioning",
            "versoning for s3:PutObject | versioning for s3:PutObject",
    })
    void misspelledPlainWordsAreCorrected(String typed, String expected) {
        assertThat(QuerySpelling.corrected(typed.strip(), index)).hasValue(expected.strip());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "bucket versioning",          // every word is known
            "enabled versions",           // not in the text as written, but their stems are: other forms, not typos
            "s3:PutObjet", "PutObjet",    // identifiers are what the user meant, even misspelled
            "t3.medum", "--instanse-ids", "AWS_REGON", "errorCod", "\"bukcet versoning\"",
            "VERSONING",                  // an acronym or shouted word is left alone
            "lamd",                       // four letters: too short to correct
            "xyzzyplughwort",             // nothing near it
    })
    void identifiersKnownWordsAndFarWordsAreLeftAlone(String typed) {
        assertThat(QuerySpelling.corrected(typed, index)).isEmpty();
    }
}

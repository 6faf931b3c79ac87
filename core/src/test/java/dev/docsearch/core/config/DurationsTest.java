package dev.docsearch.core.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "250ms, PT0.25S", "5s, PT5S", "30, PT30S", "2m, PT2M", "15min, PT15M", "1h, PT1H", "7d, PT168H",
            "' 90S ', PT1M30S", "PT1M30S, PT1M30S", "pt2h, PT2H", "0, PT0S",
    })
    void readsEveryWayItIsWritten(String text, String expected) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({"5 seconds", "-1s", "1y", "''", "s", "1.5s", "9999999999999h"})
    void refusesWhatIsNoDurationWithExamples(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a duration").hasMessageContaining("250ms");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"PT0.01S, 10ms", "PT5S, 5s", "PT1.5S, 1500ms", "PT2M, 2m", "PT90S, 90s", "PT1H, 1h", "PT25H, 25h"})
    void formatsAsPeopleWriteIt(String duration, String expected) {
        assertThat(Durations.format(Duration.parse(duration))).isEqualTo(expected);
    }
}

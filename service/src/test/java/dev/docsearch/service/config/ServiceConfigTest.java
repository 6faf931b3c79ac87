package dev.docsearch.service.config;

import dev.docsearch.service.ServiceMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceConfigTest {

    @Test
    void defaultsMatchTheDocumentedTable() throws Exception {
        ServiceConfig c = ServiceConfig.parse(List.of(), Map.of());
        assertThat(c.artifactsDir()).isEqualTo(Path.of("/mnt/artifacts"));
        assertThat(c.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.retryMax()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.queryCacheSize()).isEqualTo(1024);
        assertThat(c.searchCandidates()).isEqualTo(100);
        assertThat(c.clientMaxInFlight()).isEqualTo(32);
        assertThat(c.trustedProxies()).isEmpty();
        ServiceConfig behind = ServiceConfig.parse(List.of("--trusted-proxies", "10.0.0.0/16, 10.1.0.0/16"),
                Map.of("CLIENT_MAX_INFLIGHT", "0"));
        assertThat(behind.trustedProxies()).containsExactly("10.0.0.0/16", "10.1.0.0/16");
        assertThat(behind.clientMaxInFlight()).isZero();
    }

    @Test
    void environmentOverridesDefaultsAndFlagsOverrideTheEnvironment(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("ARTIFACTS_DIR", dir.toString(), "PORT", "9000", "POLL_INTERVAL", "250ms",
                "BIND", "127.0.0.1", "QUERY_CACHE", "0", "RETRY_MAX", "30s", "CANDIDATES", "200");
        ServiceConfig fromEnv = ServiceConfig.parse(List.of(), env);
        assertThat(fromEnv.artifactsDir()).isEqualTo(dir.toAbsolutePath());
        assertThat(fromEnv.port()).isEqualTo(9000);
        assertThat(fromEnv.pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(fromEnv.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(fromEnv.queryCacheSize()).isZero();
        assertThat(fromEnv.retryMax()).isEqualTo(Duration.ofSeconds(30));
        assertThat(fromEnv.searchCandidates()).isEqualTo(200);

        ServiceConfig flags = ServiceConfig.parse(List.of("--port", "9100", "--poll-interval=2m", "--bind", "::1"), env);
        assertThat(flags.port()).isEqualTo(9100);
        assertThat(flags.pollInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(flags.bindAddress()).isEqualTo("::1");
        assertThat(flags.artifactsDir()).isEqualTo(dir.toAbsolutePath());
        assertThat(ServiceConfig.parse(List.of(), Map.of("POLL_INTERVAL", "7")).pollInterval()).isEqualTo(Duration.ofSeconds(7));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "PORT          | 80800        | PORT: 80800 is out of range (allowed 0..65535)",
            "PORT          | http         | PORT: 'http' is not a whole number",
            "PORT          | -1           | PORT: -1 is out of range",
            "POLL_INTERVAL | 5 seconds    | POLL_INTERVAL: '5 seconds' is not a duration",
            "POLL_INTERVAL | 1ms          | POLL_INTERVAL: 1ms is out of range (allowed 10ms..1h)",
            "POLL_INTERVAL | 2h           | POLL_INTERVAL: 2h is out of range",
            "BIND          | docs.example.com | BIND: 'docs.example.com' is not an IP address",
            "BIND          | 256.1.1.1    | BIND: '256.1.1.1' is not an IP address",
            "BIND          | ::zz         | BIND: '::zz' is not an IP address",
            "QUERY_CACHE   | lots         | QUERY_CACHE: 'lots' is not a whole number",
            "CANDIDATES    | 5            | CANDIDATES: 5 is out of range (allowed 10..1000)",
            "METRICS_PORT  | 8080         | METRICS_PORT: 8080 is the service port too",
            "METRICS_PORT  | on           | METRICS_PORT: 'on' is not a whole number",
            "METRICS_PORT  | 70000        | METRICS_PORT: 70000 is out of range (allowed 0..65535)",
            "METRICS_BIND  | metrics.local | METRICS_BIND: 'metrics.local' is not an IP address",
            "CLIENT_MAX_INFLIGHT | -1      | CLIENT_MAX_INFLIGHT: -1 is out of range (allowed 0..10000)",
            "TRUSTED_PROXIES | lb.internal | TRUSTED_PROXIES: 'lb.internal' is not an IP address or CIDR block",
    })
    void badValuesAreRefusedWithTheSettingTheValueAndTheRange(String variable, String value, String message) {
        assertThatThrownBy(() -> ServiceConfig.parse(List.of(), Map.of(variable, value)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @Test
    void theManagementListenerIsOffByDefaultAndTakesAPortAndAnAddress() throws Exception {
        ServiceConfig defaults = ServiceConfig.parse(List.of(), Map.of());
        assertThat(defaults.metricsPort()).isEqualTo(ServiceConfig.METRICS_ON_SERVICE_PORT);
        assertThat(defaults.metricsBind()).isEqualTo("127.0.0.1");
        ServiceConfig set = ServiceConfig.parse(List.of("--metrics-port", "9100"), Map.of("METRICS_BIND", "10.0.0.5"));
        assertThat(set.metricsPort()).isEqualTo(9100);
        assertThat(set.metricsBind()).isEqualTo("10.0.0.5");
        assertThat(ServiceConfig.parse(List.of("--metrics-port=OFF"), Map.of("METRICS_PORT", "9100")).metricsPort())
                .isEqualTo(ServiceConfig.METRICS_ON_SERVICE_PORT);
    }

    @Test
    void unknownFlagsMissingValuesAndAFileAsRootAreRefused(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ServiceConfig.parse(List.of("--prot", "1"), Map.of()))
                .hasMessageContaining("unknown argument '--prot'").hasMessageContaining("--port");
        assertThatThrownBy(() -> ServiceConfig.parse(List.of("--port"), Map.of()))
                .hasMessageContaining("Missing required parameter for option '--port'");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertThatThrownBy(() -> ServiceConfig.parse(List.of("--artifacts-dir", file.toString()), Map.of()))
                .hasMessageContaining("exists but is not a directory");
        // A root that does not exist yet is fine: the mount may come later.
        assertThat(ServiceConfig.parse(List.of("--artifacts-dir", dir.resolve("later").toString()), Map.of())
                .artifactsDir()).isEqualTo(dir.resolve("later"));
    }

    @Test
    void helpIsAskedForByTheOptionNotByAValue() {
        assertThat(ServiceConfig.helpRequested(List.of("--help"))).isTrue();
        assertThat(ServiceConfig.helpRequested(List.of("--port", "9000", "-h"))).isTrue();
        assertThat(ServiceConfig.helpRequested(List.of("--port", "9000"))).isFalse();
        // "-h" as the value of a flag is that value; a missing value is parse's to report.
        assertThat(ServiceConfig.helpRequested(List.of("--artifacts-dir=-h"))).isFalse();
        assertThat(ServiceConfig.helpRequested(List.of("--port"))).isFalse();
        // Beside a flag it does not know, help still wins (picocli skips validation when help is asked for).
        assertThat(ServiceConfig.helpRequested(List.of("--nope", "--help"))).isTrue();
    }

    @Test
    void usageListsEverySetting() {
        String usage = ServiceConfig.usage();
        int previous = -1;
        for (ServiceConfig.Setting s : ServiceConfig.SETTINGS) {
            assertThat(usage).contains(s.flag()).contains(s.env()).contains(s.defaultValue());
            int at = usage.indexOf(s.flag() + "=");
            assertThat(at).as("%s comes after the setting before it, as in the README table", s.flag())
                    .isGreaterThan(previous);
            previous = at;
        }
    }

    /** The real entry point in a real JVM: a bad setting ends it with exit status 2 and the reason on stderr. */
    @Test
    void theServiceRefusesToStartWithABadSettingAndExits2() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ServiceMain.class.getName(), "--port", "99999"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        // Only the settings this test gives: the machine's own (BIND, PORT...) must not decide the outcome.
        pb.environment().keySet().removeIf(k -> ServiceConfig.SETTINGS.stream().anyMatch(s -> s.env().equals(k)));
        pb.environment().put("ARTIFACTS_DIR", System.getProperty("java.io.tmpdir") + File.separator + "none");
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains("docsearch-service: --port / PORT: 99999 is out of range (allowed 0..65535)")
                .contains("--help");
    }
}

package dev.docsearch.service;

import dev.docsearch.service.config.ServiceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --metrics-port}: a management listener that alone serves {@code /metrics} (plus {@code /health}), so a
 * load balancer in front of the service port never exposes it; without the setting, {@code /metrics} stays on the
 * service port. Real servers on loopback, on an artifact root with no release yet (nothing here needs one).
 */
class ManagementListenerTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsAreServedOnTheManagementListenerOnly(@TempDir Path root) throws Exception {
        ServiceConfig config = ServiceConfig.of(root, "127.0.0.1", 0, Duration.ofMillis(100))
                .withMetricsListener("127.0.0.1", 0);
        try (SearchServer server = SearchServer.start(config)) {
            int service = server.port();
            int management = server.metricsPort();
            assertThat(management).isPositive().isNotEqualTo(service);

            HttpResponse<String> metrics = get(management, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("jetty_threads_busy");
            assertThat(get(management, "/health").statusCode()).isIn(200, 503);

            HttpResponse<String> hidden = get(service, "/metrics");
            assertThat(hidden.statusCode()).isEqualTo(404);
            assertThat(hidden.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(hidden.body()).contains("no such endpoint: GET /metrics");
            HttpResponse<String> search = get(management, "/api/search?q=s3");
            assertThat(search.statusCode()).isEqualTo(404);
            assertThat(get(management, "/").statusCode()).isEqualTo(404);
            // The service port still serves everything else.
            assertThat(get(service, "/health").statusCode()).isIn(200, 503);
            assertThat(get(service, "/").statusCode()).isNotEqualTo(404);
        }
    }

    @Test
    void withoutTheSettingMetricsStayOnTheServicePort(@TempDir Path root) throws Exception {
        try (SearchServer server = SearchServer.start(ServiceConfig.of(root, "127.0.0.1", 0, Duration.ofMillis(100)))) {
            assertThat(server.metricsPort()).isEqualTo(ServiceConfig.METRICS_ON_SERVICE_PORT);
            assertThat(get(server.port(), "/metrics").statusCode()).isEqualTo(200);
        }
    }
}

package dev.docsearch.service;

import dev.docsearch.service.config.ServiceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A service on a free loopback port serving {@link TestCorpus#publishDefault the default release}, started once
 * per test class and stopped after it: the fixture of the tests that only read from the service.
 */
abstract class ServedDefaultRelease {

    @TempDir
    static Path root;
    static SearchServer server;
    static HttpProbe http;
    static String releaseId;

    @BeforeAll
    static void start() throws Exception {
        releaseId = TestCorpus.publishDefault(root);
        server = SearchServer.start(ServiceConfig.of(root, "127.0.0.1", 0, Duration.ofMillis(100)));
        http = new HttpProbe(server.port());
        Awaiting.status(http, 200, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}

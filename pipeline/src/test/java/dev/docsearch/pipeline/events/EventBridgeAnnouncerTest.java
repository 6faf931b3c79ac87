package dev.docsearch.pipeline.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** The real SDK v2 EventBridge client against a loopback endpoint: what it sends, and failing without throwing. */
class EventBridgeAnnouncerTest {

    private static final ReleasePublished EVENT = new ReleasePublished("20260101T030000Z-1a2b3c",
            "20251225T030000Z-000001", "/mnt/artifacts", 4162, 35000, 3, 12, 1, 40, 34960, 61.5, false);

    @BeforeAll
    static void credentials() {
        LoopbackEventBridge.useTestCredentials();
    }

    @Test
    void putsOneReleasePublishedEventOnTheBus() throws Exception {
        try (LoopbackEventBridge bridge = new LoopbackEventBridge();
             EventBridgeAnnouncer announcer = EventBridgeAnnouncer.open("docsearch-bus", bridge.endpoint(), "eu-west-1")) {
            assertThat(announcer.announce(EVENT)).isTrue();

            assertThat(bridge.received()).hasSize(1);
            LoopbackEventBridge.Received r = bridge.received().get(0);
            assertThat(r.target()).isEqualTo("AWSEvents.PutEvents");
            assertThat(r.contentType()).startsWith("application/x-amz-json-1.1");
            assertThat(r.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=AKIDLOOPBACKTEST/")
                    .contains("/eu-west-1/events/aws4_request");
            JsonNode entry = new ObjectMapper().readTree(r.body()).path("Entries").get(0);
            assertThat(entry.path("EventBusName").asText()).isEqualTo("docsearch-bus");
            assertThat(entry.path("Source").asText()).isEqualTo("dev.docsearch.pipeline");
            assertThat(entry.path("DetailType").asText()).isEqualTo("ReleasePublished");
            JsonNode detail = new ObjectMapper().readTree(entry.path("Detail").asText());
            assertThat(detail.path("release").asText()).isEqualTo("20260101T030000Z-1a2b3c");
            assertThat(detail.path("previous").asText()).isEqualTo("20251225T030000Z-000001");
            assertThat(detail.path("pages").asInt()).isEqualTo(4162);
            assertThat(detail.path("chunks").asInt()).isEqualTo(35000);
            assertThat(detail.path("pagesAdded").asInt()).isEqualTo(3);
            assertThat(detail.path("pagesChanged").asInt()).isEqualTo(12);
            assertThat(detail.path("pagesRemoved").asInt()).isEqualTo(1);
            assertThat(detail.path("durationSeconds").asDouble()).isEqualTo(61.5);
            assertThat(detail.path("rollback").asBoolean()).isFalse();
        }
    }

    @Test
    void aServerErrorIsRetriedOnceThenReportedWithoutThrowing() throws Exception {
        try (LoopbackEventBridge bridge = new LoopbackEventBridge();
             EventBridgeAnnouncer announcer = EventBridgeAnnouncer.open("docsearch-bus", bridge.endpoint(), null)) {
            bridge.answerWith(500);
            long start = System.nanoTime();
            assertThat(announcer.announce(EVENT)).isFalse();
            assertThat((System.nanoTime() - start) / 1e9).isLessThan(15);
            assertThat(bridge.received()).hasSize(2); // two attempts, then give up
        }
    }

    @Test
    void aRejectedEntryIsAFailedAnnouncement() throws Exception {
        try (LoopbackEventBridge bridge = new LoopbackEventBridge();
             EventBridgeAnnouncer announcer = EventBridgeAnnouncer.open("docsearch-bus", bridge.endpoint(), null)) {
            bridge.rejectEntries();
            assertThat(announcer.announce(EVENT)).isFalse();
            assertThat(bridge.received()).hasSize(1);
        }
    }

    @Test
    void aRefusedConnectionIsReportedWithoutThrowing() throws Exception {
        // A port bound for the whole test but never listening: connections to it are refused, and no other
        // process can take it meanwhile (a port merely found free and closed again could be).
        try (Socket refusing = new Socket()) {
            refusing.setReuseAddress(false);
            refusing.bind(new InetSocketAddress("127.0.0.1", 0));
            try (EventBridgeAnnouncer announcer = EventBridgeAnnouncer.open("docsearch-bus",
                    URI.create("http://127.0.0.1:" + refusing.getLocalPort()), "us-east-1")) {
                assertThat(announcer.announce(EVENT)).isFalse();
            }
        }
    }
}

package dev.docsearch.pipeline.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClientBuilder;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Puts one {@code ReleasePublished} event on an EventBridge bus with the AWS SDK v2. Bounded: a few seconds of
 * timeouts and two attempts, then a warning and {@code false}; a publish never waits long on its announcement
 * nor fails because of it.
 */
public final class EventBridgeAnnouncer implements ReleaseAnnouncer {

    private static final Logger log = LoggerFactory.getLogger(EventBridgeAnnouncer.class);

    private final String bus;
    private final EventBridgeClient client;

    /** Uses {@code client}, which the announcer then owns (closes). */
    public EventBridgeAnnouncer(String bus, EventBridgeClient client) {
        if (bus == null || bus.isBlank()) {
            throw new IllegalArgumentException("the event bus name must not be blank");
        }
        this.bus = bus;
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * An announcer with its own client.
     *
     * @param bus      the bus name or ARN
     * @param endpoint an endpoint to use instead of AWS's (tests, VPC endpoints), or null
     * @param region   the region, or null for the SDK's default chain ({@code us-east-1} with an endpoint)
     */
    public static EventBridgeAnnouncer open(String bus, URI endpoint, String region) {
        EventBridgeClientBuilder b = EventBridgeClient.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(3))
                        .socketTimeout(Duration.ofSeconds(5))
                        .build())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(Duration.ofSeconds(15))
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(2).build())
                        .build());
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        if (region != null) {
            b.region(Region.of(region));
        } else if (endpoint != null) {
            b.region(Region.US_EAST_1);
        }
        try {
            return new EventBridgeAnnouncer(bus, b.build());
        } catch (SdkException e) {
            throw new IllegalArgumentException("cannot set up the EventBridge client for bus " + bus + ": "
                    + e.getMessage() + " (set --aws-region or AWS_REGION)", e);
        }
    }

    @Override
    public boolean announce(ReleasePublished event) {
        long start = System.nanoTime();
        try {
            PutEventsResponse response = client.putEvents(r -> r.entries(PutEventsRequestEntry.builder()
                    .eventBusName(bus)
                    .source(ReleasePublished.SOURCE)
                    .detailType(ReleasePublished.DETAIL_TYPE)
                    .detail(event.toJson())
                    .build()));
            if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                PutEventsResultEntry entry = response.entries().isEmpty() ? null : response.entries().get(0);
                log.warn("release announcement rejected bus={} release={} error={} message={}", bus, event.release(),
                        entry == null ? "?" : entry.errorCode(), entry == null ? "?" : entry.errorMessage());
                return false;
            }
            String eventId = response.entries().isEmpty() ? null : response.entries().get(0).eventId();
            log.info("release announced bus={} release={} eventId={} ms={}", bus, event.release(), eventId,
                    (System.nanoTime() - start) / 1_000_000);
            return true;
        } catch (RuntimeException e) { // SdkException included: an announcement never fails the publish
            log.warn("release announcement failed bus={} release={} ms={}: {} (the release is published all the same)",
                    bus, event.release(), (System.nanoTime() - start) / 1_000_000, e.getMessage());
            return false;
        }
    }

    @Override
    public String describe() {
        return "eventbridge:" + bus;
    }

    @Override
    public void close() {
        client.close();
    }
}

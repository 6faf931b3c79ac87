package dev.docsearch.pipeline.cli;

import dev.docsearch.pipeline.events.EventBridgeAnnouncer;
import dev.docsearch.pipeline.events.ReleaseAnnouncer;
import dev.docsearch.pipeline.sink.ReleaseSink;
import dev.docsearch.pipeline.sink.ReleaseSinks;
import dev.docsearch.pipeline.sink.S3Settings;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** Where a release goes live and who hears about it. */
final class PublishOptions {

    static final String SINK_VARIABLE = "DOCSEARCH_SINK";
    static final String EVENTS_BUS_VARIABLE = "DOCSEARCH_EVENTS_BUS";

    @Option(names = "--sink", paramLabel = "DIR|s3://BUCKET/PREFIX",
            description = "Where releases go live. Default: $" + SINK_VARIABLE + ", else the artifact root itself "
                    + "(on AWS, the S3 Files mount). A directory gets the model, then the release, then CURRENT; "
                    + "s3://bucket/prefix gets them through the S3 API in the same order (CURRENT last). The "
                    + "artifact root's own CURRENT is flipped as well, so it always knows what is live.")
    String sink;

    @Option(names = "--s3-endpoint", paramLabel = "URL",
            description = "An S3-compatible endpoint instead of AWS's (path-style addressing).")
    URI s3Endpoint;

    @Option(names = "--aws-region", paramLabel = "REGION",
            description = "AWS region for S3 and EventBridge (default: the SDK's chain: $AWS_REGION, profile, "
                    + "instance metadata).")
    String region;

    @Option(names = "--events-bus", paramLabel = "BUS",
            description = "EventBridge bus (name or ARN) that gets one ReleasePublished event per publish. "
                    + "Default: $" + EVENTS_BUS_VARIABLE + "; none: no event, only the log line. A failure to "
                    + "announce is a warning, never a failed publish.")
    String eventsBus;

    @Option(names = "--events-endpoint", paramLabel = "URL",
            description = "An EventBridge endpoint instead of AWS's (VPC endpoints, tests).")
    URI eventsEndpoint;

    ReleaseSink openSink(Path root, Map<String, String> env) {
        String spec = sink != null ? sink : env.get(SINK_VARIABLE);
        return ReleaseSinks.open(spec, root, new S3Settings(s3Endpoint, region));
    }

    ReleaseAnnouncer openAnnouncer(Map<String, String> env) {
        String bus = eventsBus != null ? eventsBus : env.get(EVENTS_BUS_VARIABLE);
        if (bus == null || bus.isBlank()) {
            return ReleaseAnnouncer.NONE;
        }
        return EventBridgeAnnouncer.open(bus.strip(), eventsEndpoint, region);
    }
}

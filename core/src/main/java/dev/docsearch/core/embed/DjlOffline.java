package dev.docsearch.core.embed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps DJL off the network. Without {@code ai.djl.offline} DJL's usage tracking probes the EC2
 * metadata address (four one-second timeouts) and calls home; the model zoo may try to download.
 * We only ever load models by path, so nothing legitimate needs the network.
 *
 * <p>DJL reads these properties when it acts, not when its classes load, but they are set before
 * the first DJL call anyway ({@link Embedder}'s static initialiser) so no code path sees them unset.
 */
final class DjlOffline {

    private static final Logger log = LoggerFactory.getLogger(DjlOffline.class);

    private DjlOffline() {
    }

    static void ensure() {
        setIfAbsent("ai.djl.offline", "true");
        // Telemetry is also skipped when opted out: a second lock in case DJL_OFFLINE=false wins.
        setIfAbsent("OPT_OUT_TRACKING", "true");
        // ONNX Runtime would otherwise borrow the default engine (the tokenizers' "Rust" engine) for
        // NDArray operations it lacks; we use none, and mixing engines must never happen silently.
        setIfAbsent("ai.djl.onnx.disable_alternative", "true");

        // DJL gives the environment variable precedence over the system property.
        String env = System.getenv("DJL_OFFLINE");
        String property = System.getProperty("ai.djl.offline");
        if (env != null && !Boolean.parseBoolean(env)) {
            log.warn("DJL_OFFLINE={} in the environment overrides ai.djl.offline: DJL may attempt network access", env);
        } else if (env == null && !Boolean.parseBoolean(property)) {
            log.warn("ai.djl.offline={} was set explicitly: DJL may attempt network access", property);
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}

package dev.docsearch.service.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The JSON of {@code GET /health}. While serving: status ok (or degraded, with the reason and the refused
 * release) and the live release's facts. Before any release is loaded: status starting or unavailable and the
 * reason, nothing else.
 *
 * @param status          ok, degraded, starting or unavailable
 * @param reason          why the status is not ok, or null
 * @param release         the live release id
 * @param created         when the live release was built
 * @param pages           pages in the live release
 * @param chunks          chunks in the live release
 * @param loadedAt        when this process started serving it
 * @param model           the embedding model it was built with
 * @param rejectedRelease the release that was refused, when degraded
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"status", "reason", "release", "created", "pages", "chunks", "loaded_at", "model", "rejected_release"})
public record HealthBody(String status, String reason, String release, String created, Integer pages, Integer chunks,
                         @JsonProperty("loaded_at") String loadedAt, Model model,
                         @JsonProperty("rejected_release") String rejectedRelease) {

    /** The model of the live release. */
    public record Model(String name, String sha256, int dimension) {
    }
}

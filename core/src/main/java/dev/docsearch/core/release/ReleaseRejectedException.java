package dev.docsearch.core.release;

/** A release that must not be used, with the precise reason (missing manifest, size or checksum mismatch, ...). */
public final class ReleaseRejectedException extends Exception {

    private final String releaseId;
    private final String reason;

    public ReleaseRejectedException(String releaseId, String reason) {
        this(releaseId, reason, null);
    }

    public ReleaseRejectedException(String releaseId, String reason, Throwable cause) {
        super("release " + releaseId + " rejected: " + reason, cause);
        this.releaseId = releaseId;
        this.reason = reason;
    }

    public String releaseId() {
        return releaseId;
    }

    public String reason() {
        return reason;
    }
}

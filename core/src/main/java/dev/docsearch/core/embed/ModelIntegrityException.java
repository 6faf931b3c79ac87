package dev.docsearch.core.embed;

import java.io.IOException;

/**
 * A model directory is missing, incomplete or does not match its checksums (truncated copy,
 * half-synced mount, tampering). The message names the directory, the file and what differs.
 */
public class ModelIntegrityException extends IOException {

    public ModelIntegrityException(String message) {
        super(message);
    }
}

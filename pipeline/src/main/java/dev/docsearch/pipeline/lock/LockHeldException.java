package dev.docsearch.pipeline.lock;

import java.nio.file.Path;
import java.time.Duration;

/** Another run holds the update lock of an artifact root, and it is not stale. */
public final class LockHeldException extends Exception {

    private final transient LockOwner holder;

    /**
     * @param holder         the holder, or null when its lock file could not be read (it is being written)
     * @param sinceHeartbeat time since the holder's last heartbeat
     * @param staleAfter     how long without a heartbeat before the lock may be taken over
     */
    public LockHeldException(Path file, LockOwner holder, Duration sinceHeartbeat, Duration staleAfter) {
        super("another run holds the update lock " + file + ": "
                + (holder == null ? "holder unknown (lock file incomplete)" : holder.describe())
                + ", last heartbeat " + sinceHeartbeat.toSeconds() + " s ago; it is taken over only after "
                + UpdateLock.format(staleAfter) + " without a heartbeat or when its process is gone");
        this.holder = holder;
    }

    /** The holder, or null when unknown. */
    public LockOwner holder() {
        return holder;
    }
}

package dev.docsearch.core.release;

import java.nio.file.Path;

/**
 * Child process for {@link ReleaseKillTest}: writes and publishes releases in a loop until killed,
 * printing a line after each publish so the parent knows it got going.
 */
public final class PublishLoopMain {

    private PublishLoopMain() {
    }

    public static void main(String[] args) throws Exception {
        ReleaseStore store = new ReleaseStore(Path.of(args[0]));
        int chunks = Integer.parseInt(args[1]);
        while (true) {
            String id = TestReleases.write(store, chunks).id();
            store.publish(id);
            System.out.println("published " + id);
            System.out.flush();
        }
    }
}

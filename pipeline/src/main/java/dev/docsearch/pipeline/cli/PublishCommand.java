package dev.docsearch.pipeline.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code docsearch publish [id]}: verify a built release and make it live. */
@Command(name = "publish", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Verify a built release (every file's size and SHA-256 against its manifest) and make it "
                + "live: through the sink (files, manifest, then CURRENT), then the artifact root's CURRENT "
                + "(an atomic rename). Announces it when an events bus is set. Exit code 3 when the release is "
                + "already live or none was built."})
final class PublishCommand extends CommandBase implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID",
            description = "The release to publish (default: the newest built release).")
    String id;

    @Mixin
    RootOption root;
    @Mixin
    LiveChange change;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        Path dir = root.resolve(env());
        if (id != null) {
            Inputs.releaseId(this, id);
        }
        return change.run(this, dir, "publish", held -> {
            List<String> ids = held.store().ids();
            String target = id;
            if (target == null) {
                if (ids.isEmpty()) {
                    SummaryLine.saying("nothing to publish (no release has been built under " + dir + ")")
                            .printTo(out());
                    return ExitCode.NOTHING_TO_PUBLISH;
                }
                target = ids.get(ids.size() - 1);
            }
            return ReleaseFlip.makeLive(this, held, target, start, false);
        });
    }
}

package dev.docsearch.pipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.docsearch.core.release.Manifest;
import dev.docsearch.core.release.ReleaseRejectedException;
import dev.docsearch.core.release.ReleaseStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code docsearch releases list|rollback|gc}. */
@Command(name = "releases", mixinStandardHelpOptions = true,
        description = "List the releases of an artifact root, roll back to an earlier one, delete old ones.",
        subcommands = {ReleasesCommand.ListReleases.class, ReleasesCommand.Rollback.class, ReleasesCommand.Gc.class})
final class ReleasesCommand extends CommandBase implements Callable<Integer> {

    @Override
    public Integer call() {
        err().println("docsearch releases: a subcommand is required: list, rollback or gc (see 'docsearch releases --help')");
        return ExitCode.USAGE;
    }

    /** {@code releases list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
            description = "List the complete releases, oldest first: id, created, pages, chunks, which is live, and "
                    + "whether each verifies (every file's size and SHA-256) or why not.")
    static final class ListReleases extends CommandBase implements Callable<Integer> {

        @Mixin
        RootOption root;
        @Option(names = "--json", description = "Print a JSON array (the summary line goes to stderr).")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Path dir = root.resolve(env());
            ReleaseStore store = new ReleaseStore(dir);
            List<String> ids = store.ids();
            String live = store.current().orElse(null);
            ObjectMapper mapper = new ObjectMapper();
            ArrayNode array = mapper.createArrayNode();
            if (!json) {
                out().printf(Locale.ROOT, "%-4s %-23s %-30s %7s %8s  %s%n", "live", "id", "created", "pages", "chunks",
                        "verified");
            }
            int corrupt = 0;
            for (String id : ids) {
                Manifest m = null;
                String problem = null;
                try {
                    m = store.manifest(id);
                    store.verify(id);
                } catch (ReleaseRejectedException e) {
                    problem = e.getMessage();
                    corrupt++;
                }
                boolean isLive = id.equals(live);
                if (json) {
                    ObjectNode o = array.addObject();
                    o.put("id", id);
                    o.put("live", isLive);
                    o.put("verified", problem == null ? "ok" : problem);
                    if (m != null) {
                        o.put("created", m.created());
                        o.put("parent", m.parent());
                        o.put("pages", m.pages());
                        o.put("chunks", m.chunks());
                        o.put("model", m.model().name());
                    }
                } else if (m != null) {
                    out().printf(Locale.ROOT, "%-4s %-23s %-30s %7d %8d  %s%n", isLive ? "*" : "", id, m.created(),
                            m.pages(), m.chunks(), problem == null ? "ok" : problem);
                } else {
                    out().printf(Locale.ROOT, "%-4s %-23s unreadable: %s%n", isLive ? "*" : "", id, problem);
                }
            }
            SummaryLine summary = SummaryLine.of().with("releases", ids.size()).with("corrupt", corrupt)
                    .with("live", live == null ? "none" : live);
            if (json) {
                out().println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array));
                summary.printTo(err());
            } else {
                summary.printTo(out());
            }
            return ExitCode.OK;
        }
    }

    /** {@code releases rollback <id>}. */
    @Command(name = "rollback", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Make an earlier release live again: verify it, then flip CURRENT (through the sink, "
                    + "then the artifact root). Announced like a publish, with rollback=true.",
                    "The next 'update' builds from the crawled pages again and publishes the corpus' current state."})
    static final class Rollback extends CommandBase implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "ID", description = "The release to make live.")
        String id;
        @Mixin
        RootOption root;
        @Mixin
        LiveChange change;

        @Override
        public Integer call() throws Exception {
            long start = System.nanoTime();
            Inputs.releaseId(this, id);
            return change.run(this, root.resolve(env()), "rollback",
                    held -> ReleaseFlip.makeLive(this, held, id, start, true));
        }
    }

    /** {@code releases gc --keep N}. */
    @Command(name = "gc", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Keep the live release, the newest verified one before it (what a rollback goes to) and "
                    + "the newest verified others up to N; delete the rest (a corrupt release counts for nothing), "
                    + "with their build records and abandoned staging directories. The sink is left the same "
                    + "releases.")
    static final class Gc extends CommandBase implements Callable<Integer> {

        @Mixin
        KeepOption keepOption;
        @Mixin
        RootOption root;
        @Mixin
        LiveChange change;

        @Override
        public Integer call() throws Exception {
            long start = System.nanoTime();
            int keep = keepOption.count(this);
            return change.runUnannounced(this, root.resolve(env()), "gc", held -> {
                ReleaseStore store = held.store();
                int staging = store.removeAbandonedStaging();
                held.lock().checkHeld();
                List<String> deleted = held.publisher().prune(keep);
                SummaryLine.of().with("deleted", deleted.size()).with("kept", store.ids().size())
                        .with("live", store.current().orElse("none")).with("staging_removed", staging).seconds(start)
                        .printTo(out());
                return ExitCode.OK;
            });
        }
    }
}

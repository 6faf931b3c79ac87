package dev.docsearch.pipeline.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line's contract: every flag documented in --help, bad usage is exit code 2 with one clear line. */
class CliUsageTest {

    @Test
    void everyCommandDocumentsEveryFlagAndTheExitCodes() {
        CommandLine cl = new CommandLine(new DocsearchSpecProbe());
        List<String> checked = new ArrayList<>();
        for (CommandLine command : all(cl)) {
            CommandSpec spec = command.getCommandSpec();
            String[] path = spec.qualifiedName(" ").replaceFirst("^docsearch ?", "").split(" ");
            List<String> args = new ArrayList<>();
            for (String p : path) {
                if (!p.isEmpty()) {
                    args.add(p);
                }
            }
            args.add("--help");
            CliRun.Result r = CliRun.run(args.toArray(String[]::new));
            assertThat(r.code()).as(String.join(" ", args)).isZero();
            for (OptionSpec o : spec.options()) {
                assertThat(r.out()).as(spec.qualifiedName() + " --help mentions " + o.longestName()).contains(o.longestName());
                assertThat(String.join(" ", o.description())).as(spec.qualifiedName() + " " + o.longestName()).isNotBlank();
            }
            assertThat(r.out()).contains("Exit codes:", "3   nothing to publish", "4   another run holds");
            checked.add(spec.qualifiedName());
        }
        assertThat(checked).contains("docsearch crawl", "docsearch build", "docsearch publish", "docsearch update",
                "docsearch releases list", "docsearch releases rollback", "docsearch releases gc", "docsearch search",
                "docsearch eval");
    }

    @Test
    void badUsageIsExitCodeTwoWithOneLineAndNoStackTrace(@TempDir Path root) {
        String r = root.toString();
        List<String[]> cases = List.of(
                new String[]{},
                new String[]{"frobnicate"},
                new String[]{"update", "--bogus"},
                new String[]{"update", "--root", r, "--source", "ftp://example.com/sitemap.xml"},
                new String[]{"update", "--root", r, "--source", "dir:"},
                new String[]{"update", "--root", r, "--keep", "0"},
                new String[]{"update", "--root", r, "--threads", "0"},
                new String[]{"update", "--root", r, "--exact-up-to", "-1"},
                new String[]{"build", "--root", r, "--threads", "0"},
                new String[]{"build", "--root", r, "--progress", "sparkles"},
                new String[]{"update", "--root", r, "--max-removed-share", "1.5"},
                new String[]{"update", "--root", r, "--polite-delay", "soon"},
                new String[]{"update", "--root", r, "--progress", "sparkles"},
                new String[]{"update", "--root", r, "--sink", "ftp://host/dir"},
                new String[]{"crawl", "--root", r, "--concurrency-per-host", "0"},
                new String[]{"publish", "not-a-release", "--root", r},
                new String[]{"releases"},
                new String[]{"releases", "rollback", "--root", r},
                new String[]{"releases", "rollback", "yesterday", "--root", r},
                new String[]{"releases", "gc", "--keep", "-1", "--root", r},
                new String[]{"search"},
                new String[]{"search", "s3", "--k", "0", "--root", r},
                new String[]{"search", "s3", "--k", "many", "--root", r},
                new String[]{"search", "s3", "--mode", "psychic", "--root", r},
                new String[]{"eval"},
                new String[]{"eval", r + "/missing-dataset"});
        for (String[] args : cases) {
            CliRun.Result res = CliRun.run(args);
            String what = String.join(" ", args);
            assertThat(res.code()).as(what + "\n" + res).isEqualTo(ExitCode.USAGE);
            assertThat(res.err().strip().lines()).as(what + ": one line\n" + res).hasSize(1);
            assertThat(res.err()).as(what).doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(res.out()).as(what).doesNotContain("summary: failed");
        }
        assertThat(CliRun.run("update", "--keep", "0", "--root", r).err()).contains("--keep must be >= 1");
        assertThat(CliRun.run("update", "--exact-up-to", "-1", "--root", r).err()).contains("--exact-up-to must be >= 0");
        assertThat(CliRun.run("update", "--bogus").err())
                .isEqualTo("docsearch update: Unknown option: '--bogus' (see 'docsearch update --help')\n");
        assertThat(CliRun.run("search", "s3", "--mode", "psychic", "--root", r).err())
                .contains("mode must be one of hybrid, keyword, semantic");
    }

    @Test
    void environmentVariablesSupplyTheDefaults(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("from-env");
        // DOCSEARCH_SOURCES names an empty folder: the crawl lists nothing, so the update fails as it should,
        // but under the root DOCSEARCH_ROOT names.
        Path empty = java.nio.file.Files.createDirectories(dir.resolve("empty-source"));
        CliRun.Result r = CliRun.run(Map.of("DOCSEARCH_ROOT", root.toString(), "DOCSEARCH_SOURCES", "dir:" + empty),
                "update", "--progress", "none");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).contains("the sources list no pages");
        assertThat(root.resolve("corpus")).isDirectory();

        CliRun.Result list = CliRun.run(Map.of("ARTIFACTS_DIR", root.toString()), "releases", "list");
        assertThat(list.code()).isZero();
        assertThat(list.summary()).isEqualTo("summary: releases=0 corrupt=0 live=none");

        CliRun.Result search = CliRun.run(Map.of("DOCSEARCH_ROOT", root.toString()), "search", "anything");
        assertThat(search.code()).isEqualTo(ExitCode.FAILED);
        assertThat(search.err()).contains("no live release under " + root).contains("run 'docsearch update' first");

        CliRun.Result publish = CliRun.run(Map.of("DOCSEARCH_ROOT", root.toString()), "publish");
        assertThat(publish.code()).isEqualTo(ExitCode.NOTHING_TO_PUBLISH);
        assertThat(publish.summary()).startsWith("summary: nothing to publish");
    }

    private static List<CommandLine> all(CommandLine cl) {
        List<CommandLine> out = new ArrayList<>();
        out.add(cl);
        for (CommandLine sub : cl.getSubcommands().values()) {
            out.addAll(all(sub));
        }
        return out;
    }

    /** The command tree as picocli builds it (the instance behind it is never run). */
    @CommandLine.Command(name = "docsearch", subcommands = {CrawlCommand.class, BuildCommand.class,
            PublishCommand.class, UpdateCommand.class, ReleasesCommand.class, SearchCommand.class, EvalCommand.class},
            mixinStandardHelpOptions = true)
    static final class DocsearchSpecProbe {
    }
}

package dev.docsearch.pipeline.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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

    /** Each a command line, split at spaces, with ROOT standing for the test's artifact root. */
    @ParameterizedTest(name = "docsearch {0}")
    @ValueSource(strings = {
            "",
            "frobnicate",
            "update --bogus",
            "update --root ROOT --source ftp://example.com/sitemap.xml",
            "update --root ROOT --source dir:",
            "update --root ROOT --keep 0",
            "update --root ROOT --threads 0",
            "update --root ROOT --exact-up-to -1",
            "build --root ROOT --threads 0",
            "build --root ROOT --progress sparkles",
            "update --root ROOT --max-removed-share 1.5",
            "update --root ROOT --polite-delay soon",
            "update --root ROOT --progress sparkles",
            "update --root ROOT --sink ftp://host/dir",
            "crawl --root ROOT --concurrency-per-host 0",
            "publish not-a-release --root ROOT",
            "releases",
            "releases rollback --root ROOT",
            "releases rollback yesterday --root ROOT",
            "releases gc --keep -1 --root ROOT",
            "search",
            "search s3 --k 0 --root ROOT",
            "search s3 --k many --root ROOT",
            "search s3 --mode psychic --root ROOT",
            "eval",
            "eval ROOT/missing-dataset"})
    void badUsageIsExitCodeTwoWithOneLineAndNoStackTrace(String commandLine, @TempDir Path root) {
        String[] args = commandLine.isEmpty() ? new String[0] : Stream.of(commandLine.split(" "))
                .map(arg -> arg.replace("ROOT", root.toString())).toArray(String[]::new);
        CliRun.Result res = CliRun.run(args);
        String what = String.join(" ", args);
        assertThat(res.code()).as(what + "\n" + res).isEqualTo(ExitCode.USAGE);
        assertThat(res.err().strip().lines()).as(what + ": one line\n" + res).hasSize(1);
        assertThat(res.err()).as(what).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(res.out()).as(what).doesNotContain("summary: failed");
    }

    @Test
    void badUsageSaysWhatIsWrong(@TempDir Path root) {
        String r = root.toString();
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

package dev.docsearch.pipeline.cli;

import dev.docsearch.pipeline.http.HttpSettings;
import dev.docsearch.pipeline.lock.LockHeldException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code docsearch}: the pipeline's command line. {@link #run} is the whole program (parse, execute, map every
 * outcome to an {@link ExitCode}); {@link Main} only adds the JVM around it.
 */
@Command(name = "docsearch", mixinStandardHelpOptions = true, versionProvider = Docsearch.Version.class,
        description = {"Crawl -> build -> publish releases of the docsearch index, and administer them.",
                "The weekly job is 'docsearch update'. 'docsearch <command> --help' documents every flag."},
        subcommands = {CrawlCommand.class, BuildCommand.class, PublishCommand.class, UpdateCommand.class,
                ReleasesCommand.class, SearchCommand.class, EvalCommand.class},
        sortOptions = false)
public final class Docsearch implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(Docsearch.class);

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    private Docsearch(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = Map.copyOf(env);
        this.out = out;
        this.err = err;
    }

    /**
     * Runs one command line.
     *
     * @param env the environment to read defaults from ({@code DOCSEARCH_ROOT}, {@code DOCSEARCH_SOURCES}, ...)
     * @param out results and summaries
     * @param err error messages and progress (log lines go wherever logging is configured: stderr for the CLI)
     * @return the exit code
     */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Docsearch app = new Docsearch(env, out, err);
        CommandLine cl = new CommandLine(app);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((e, a) -> {
            err.println(e.getCommandLine().getCommandSpec().qualifiedName() + ": " + oneLine(e.getMessage())
                    + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            String name = c.getCommandSpec().qualifiedName();
            int code = e instanceof LockHeldException ? ExitCode.LOCK_HELD : ExitCode.FAILED;
            log.debug("{} failed", name, e);
            err.println(name + ": " + (code == ExitCode.LOCK_HELD ? "" : "error: ") + oneLine(Failures.describe(e)));
            SummaryLine.saying("failed").with("exit", code).printTo(out);
            return code;
        });
        exitCodesInHelp(cl);
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        err.println("docsearch: a command is required (see 'docsearch --help')");
        return ExitCode.USAGE;
    }

    Map<String, String> env() {
        return env;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private static void exitCodesInHelp(CommandLine cl) {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("0", "ok");
        codes.put("1", "failed (the message says why; nothing half-done goes live)");
        codes.put("2", "bad usage (unknown flag, missing or invalid value)");
        codes.put("3", "nothing to publish (nothing changed, or the release is already live)");
        codes.put("4", "another run holds the artifact root's update lock");
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        for (CommandLine sub : cl.getSubcommands().values()) {
            exitCodesInHelp(sub);
        }
    }

    /** The project version, as the crawler's User-Agent carries it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"docsearch " + HttpSettings.version()};
        }
    }
}

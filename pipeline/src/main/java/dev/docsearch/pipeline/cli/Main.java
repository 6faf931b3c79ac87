package dev.docsearch.pipeline.cli;

/**
 * The entry point of {@code docsearch-pipeline.jar}. Sets the JVM up before anything logs (logging to stderr,
 * DJL offline), then runs {@link Docsearch}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // Before the first logger exists: stdout carries results and summaries only.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "dev/docsearch/pipeline/cli/logback-cli.xml");
        }
        int code = Docsearch.run(args, System.getenv(), System.out, System.err);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }
}

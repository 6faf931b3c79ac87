package dev.docsearch.service.config;

import dev.docsearch.core.config.Durations;
import dev.docsearch.service.http.ClientAddress;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything the service is told at start, validated once: each setting comes from a command-line flag
 * ({@code --artifacts-dir DIR}) or else its environment variable ({@code ARTIFACTS_DIR}) or else its default.
 *
 * @param artifactsDir    the artifact root holding {@code CURRENT}, {@code releases/} and {@code models/};
 *                        may be empty or missing at start (the service then waits for a release)
 * @param bindAddress     the address to listen on
 * @param port            the TCP port (0 picks a free one)
 * @param pollInterval    how often {@code CURRENT} is read
 * @param retryMax        the longest wait before a rejected release is tried again (waits double from
 *                        {@code pollInterval} up to this)
 * @param queryCacheSize  query vectors kept in an LRU cache (0 turns it off)
 * @param searchCandidates chunks taken from each retriever before fusion
 * @param logQueryChars   how much of each query the access log keeps (0: none); queries carry what users paste
 * @param metricsBind     the address of the management listener
 * @param metricsPort     the management listener's port, which then alone serves {@code /metrics} (0 picks a free
 *                        one), or {@link #METRICS_ON_SERVICE_PORT}: {@code /metrics} on the service port
 * @param clientMaxInFlight requests one client may have in flight at once (429 past it); 0: no cap
 * @param trustedProxies  addresses or CIDR blocks of the proxies in front, whose {@code X-Forwarded-For} names the
 *                        client ({@link dev.docsearch.service.http.ClientAddress}); empty: the TCP peer is the client
 */
public record ServiceConfig(Path artifactsDir, String bindAddress, int port, Duration pollInterval,
                            Duration retryMax, int queryCacheSize, int searchCandidates, int logQueryChars,
                            String metricsBind, int metricsPort, int clientMaxInFlight, List<String> trustedProxies) {

    /** {@link #metricsPort} when there is no management listener: {@code /metrics} is on the service port. */
    public static final int METRICS_ON_SERVICE_PORT = -1;

    /** The settings, in the order of the README's table: flag, variable, default, meaning. */
    public static final List<Setting> SETTINGS = List.of(
            new Setting("--artifacts-dir", "ARTIFACTS_DIR", "/mnt/artifacts",
                    "artifact root: CURRENT, releases/, models/ (read-only, plain file I/O)"),
            new Setting("--bind", "BIND", "0.0.0.0", "IP address to listen on (127.0.0.1: this host only)"),
            new Setting("--port", "PORT", "8080", "HTTP port, 0..65535 (0 = any free port)"),
            new Setting("--poll-interval", "POLL_INTERVAL", "5s", "how often CURRENT is read, 10ms..1h"),
            new Setting("--retry-max", "RETRY_MAX", "2m",
                    "longest wait before retrying a rejected release (doubles from the poll interval)"),
            new Setting("--query-cache", "QUERY_CACHE", "1024", "query vectors cached (LRU), 0 = off"),
            new Setting("--candidates", "CANDIDATES", "100", "chunks each retriever hands to fusion, 10..1000"),
            new Setting("--log-query-chars", "LOG_QUERY_CHARS", "100",
                    "characters of each query the access log keeps, 0..1000 (0 = queries are not logged)"),
            new Setting("--metrics-port", "METRICS_PORT", "off",
                    "port of a management listener that alone serves /metrics (and /health), 0..65535; "
                            + "off = /metrics on --port"),
            new Setting("--metrics-bind", "METRICS_BIND", "127.0.0.1",
                    "IP address of the management listener (127.0.0.1: a scraper on this host only)"),
            new Setting("--client-max-inflight", "CLIENT_MAX_INFLIGHT", "32",
                    "requests one client may have in flight at once, 0..10000 (429 past it; 0 = no cap)"),
            new Setting("--trusted-proxies", "TRUSTED_PROXIES", "none",
                    "comma-separated IPs or CIDR blocks of the load balancers in front: from them, the client is the "
                            + "right-most X-Forwarded-For address (what the balancer appended); none = the TCP peer"));

    /** One setting: its flag, its environment variable, its default and what it means. */
    public record Setting(String flag, String env, String defaultValue, String meaning) {
    }

    public ServiceConfig {
        Objects.requireNonNull(artifactsDir, "artifactsDir");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(retryMax, "retryMax");
        Objects.requireNonNull(metricsBind, "metricsBind");
        trustedProxies = List.copyOf(trustedProxies);
    }

    /**
     * The defaults with another artifact root, port and poll interval, and no per-client cap: what tests and tools
     * start from (their load comes from one loopback address).
     */
    public static ServiceConfig of(Path artifactsDir, String bindAddress, int port, Duration pollInterval) {
        return new ServiceConfig(artifactsDir, bindAddress, port, pollInterval, Duration.ofMinutes(2), 1024, 100, 100,
                "127.0.0.1", METRICS_ON_SERVICE_PORT, 0, List.of());
    }

    /** This configuration with a per-client cap of {@code max} requests in flight, behind these proxies. */
    public ServiceConfig withClientLimit(int max, List<String> proxies) {
        return new ServiceConfig(artifactsDir, bindAddress, port, pollInterval, retryMax, queryCacheSize,
                searchCandidates, logQueryChars, metricsBind, metricsPort, max, proxies);
    }

    /** This configuration with a management listener on {@code bind}:{@code port} (0: any free port). */
    public ServiceConfig withMetricsListener(String bind, int port) {
        return new ServiceConfig(artifactsDir, bindAddress, this.port, pollInterval, retryMax, queryCacheSize,
                searchCandidates, logQueryChars, bind, port, clientMaxInFlight, trustedProxies);
    }

    /**
     * Reads flags ({@code --name value} or {@code --name=value}, parsed by picocli) over environment variables over
     * defaults, and checks every value.
     *
     * @throws ConfigException naming the setting, the value and what is allowed
     */
    public static ServiceConfig parse(List<String> args, Map<String, String> env) throws ConfigException {
        CommandLine cli = commandLine(env);
        try {
            cli.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.UnmatchedArgumentException e) {
            String first = e.getUnmatched().isEmpty() ? "" : e.getUnmatched().get(0);
            throw new ConfigException("unknown argument '" + first + "' (known flags: "
                    + String.join(", ", SETTINGS.stream().map(Setting::flag).toList()) + ")");
        } catch (CommandLine.ParameterException e) {
            throw new ConfigException(e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Setting s : SETTINGS) {
            values.put(s.flag(), cli.getCommandSpec().findOption(s.flag()).<String>getValue().strip());
        }
        int port = (int) integer(values, "--port", 0, 65_535);
        int metricsPort = METRICS_ON_SERVICE_PORT;
        if (!values.get("--metrics-port").equalsIgnoreCase("off")) {
            metricsPort = (int) integer(values, "--metrics-port", 0, 65_535);
            if (metricsPort != 0 && metricsPort == port) {
                throw new ConfigException(name("--metrics-port") + ": " + metricsPort + " is the service port too ("
                        + name("--port") + "); give the management listener a port of its own, or off");
            }
        }
        return new ServiceConfig(
                artifactsDir(values.get("--artifacts-dir")),
                bindAddress("--bind", values.get("--bind")),
                port,
                duration(values, "--poll-interval", Duration.ofMillis(10), Duration.ofHours(1)),
                duration(values, "--retry-max", Duration.ofMillis(10), Duration.ofHours(24)),
                (int) integer(values, "--query-cache", 0, 1_000_000),
                (int) integer(values, "--candidates", 10, 1000),
                (int) integer(values, "--log-query-chars", 0, 1000),
                bindAddress("--metrics-bind", values.get("--metrics-bind")),
                metricsPort,
                (int) integer(values, "--client-max-inflight", 0, 10_000),
                trustedProxies(values.get("--trusted-proxies")));
    }

    /**
     * Whether these arguments ask for the usage text ({@code -h} or {@code --help} as an option, as picocli reads
     * them: not when it is the value of another flag). Arguments that do not parse do not ask; {@link #parse} says
     * what is wrong with them.
     */
    public static boolean helpRequested(List<String> args) {
        CommandLine cli = commandLine(Map.of());
        try {
            cli.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            return false;
        }
        return cli.isUsageHelpRequested();
    }

    /** The usage text: every flag with its variable, default and meaning. */
    public static String usage() {
        return commandLine(Map.of()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    /**
     * The service's command line: one string option per {@link #SETTINGS} row, each defaulting to its variable in
     * {@code env} (when not blank), else to the table's default; {@code -h}/{@code --help} is listed too
     * ({@link #helpRequested}). Values are checked after parsing, with the messages below.
     */
    private static CommandLine commandLine(Map<String, String> env) {
        CommandSpec spec = CommandSpec.create().name("java -jar docsearch-service.jar");
        spec.usageMessage().description("Each flag may be given as an environment variable instead; flags win.")
                .sortOptions(false).sortSynopsis(false); // in the order of SETTINGS, which is the README table's
        for (Setting s : SETTINGS) {
            spec.addOption(OptionSpec.builder(s.flag()).paramLabel(s.env()).type(String.class)
                    .description(s.meaning() + " (variable " + s.env() + ", default " + s.defaultValue() + ")")
                    .build());
        }
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("this text").build());
        spec.defaultValueProvider(arg -> {
            if (!(arg instanceof OptionSpec option) || option.usageHelp()) {
                return null;
            }
            Setting s = setting(option.longestName());
            String fromEnv = env.get(s.env());
            return fromEnv == null || fromEnv.isBlank() ? s.defaultValue() : fromEnv;
        });
        CommandLine cli = new CommandLine(spec);
        cli.setExpandAtFiles(false); // an @ in a value is the value, not a file of arguments
        cli.setOverwrittenOptionsAllowed(true); // the last of a repeated flag wins
        return cli;
    }

    private static Setting setting(String flag) {
        return SETTINGS.stream().filter(s -> s.flag().equals(flag)).findFirst().orElseThrow();
    }

    private static String name(String flag) {
        Setting s = setting(flag);
        return s.flag() + " / " + s.env();
    }

    private static Path artifactsDir(String value) throws ConfigException {
        Path p;
        try {
            p = Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException(name("--artifacts-dir") + ": '" + value + "' is not a valid path");
        }
        // A missing root is allowed (the mount may come later); a file where the root should be is a mistake.
        if (Files.exists(p) && !Files.isDirectory(p)) {
            throw new ConfigException(name("--artifacts-dir") + ": " + p + " exists but is not a directory");
        }
        return p;
    }

    /** "none", or addresses and CIDR blocks as {@link ClientAddress} takes them. */
    private static List<String> trustedProxies(String value) throws ConfigException {
        if (value.equalsIgnoreCase("none")) {
            return List.of();
        }
        List<String> proxies = java.util.Arrays.stream(value.split(",")).map(String::strip).filter(p -> !p.isEmpty())
                .toList();
        try {
            new ClientAddress(proxies);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name("--trusted-proxies") + ": " + e.getMessage() + " (example: 10.0.0.0/16)");
        }
        return proxies;
    }

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}");

    /** An IP literal or localhost: never a name that needs DNS, which may hang where there is no network. */
    private static String bindAddress(String flag, String value) throws ConfigException {
        boolean ok = value.equals("localhost") || IPV4.matcher(value).matches();
        if (!ok && value.contains(":")) {
            try {
                ok = InetAddress.getByName(value).getAddress().length == 16; // an IPv6 literal parses without DNS
            } catch (UnknownHostException | SecurityException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw new ConfigException(name(flag) + ": '" + value + "' is not an IP address (examples: 0.0.0.0, "
                    + "127.0.0.1, ::, localhost)");
        }
        return value;
    }

    private static long integer(Map<String, String> values, String flag, long min, long max) throws ConfigException {
        String v = values.get(flag);
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(name(flag) + ": '" + v + "' is not a whole number (allowed " + min + ".." + max + ")");
        }
        if (n < min || n > max) {
            throw new ConfigException(name(flag) + ": " + n + " is out of range (allowed " + min + ".." + max + ")");
        }
        return n;
    }

    /** In the grammar of every docsearch program: {@link Durations}. */
    static Duration duration(Map<String, String> values, String flag, Duration min, Duration max) throws ConfigException {
        String v = values.get(flag);
        Duration d;
        try {
            d = Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name(flag) + ": " + e.getMessage());
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new ConfigException(name(flag) + ": " + v + " is out of range (allowed " + Durations.format(min) + ".."
                    + Durations.format(max) + ")");
        }
        return d;
    }
}

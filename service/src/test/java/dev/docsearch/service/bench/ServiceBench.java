package dev.docsearch.service.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures the service jar against an artifact root, over HTTP on loopback, as issue 4 asks: start-up to the
 * first answered query, single-client hybrid latency (server-side {@code took_ms} and round trip), throughput
 * with concurrent clients over distinct queries (no cache hits), release-switch time under that load (flips
 * {@code CURRENT} to another release of the root and back), and the service's peak resident memory (VmHWM).
 *
 * <p>Uses only the JDK (with {@link BenchFlags}), so {@code scripts/bench-service} compiles and runs the two files
 * without Maven's classpath.
 */
public final class ServiceBench {

    private static final Pattern TOOK = Pattern.compile("\"took_ms\":([0-9.]+)");
    private static final Pattern RELEASE = Pattern.compile("\"release\":\"([^\"]+)\"");

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    private ServiceBench(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public static void main(String[] args) throws Exception {
        BenchFlags flags = BenchFlags.parse("bench-service", "ServiceBench --jar JAR --root DIR [--port 18080] "
                        + "[--clients 8] [--single 500] [--seconds 30] [--no-switch] [--java-options '-Xmx512m']",
                args, Set.of("--jar", "--root"), Map.of("--port", "18080", "--clients", "8", "--single", "500",
                        "--seconds", "30", "--java-options", ""), Set.of("--no-switch"));
        Path jar = flags.path("--jar");
        Path root = flags.path("--root");
        if (!Files.isRegularFile(jar)) {
            flags.fail("no service jar at " + jar + " (build it: mvn -pl service -am package -DskipTests)");
        }
        if (!Files.isRegularFile(root.resolve("CURRENT"))) {
            flags.fail(root + " has no CURRENT: build a release first (scripts/docsearch update --root " + root + ")");
        }
        int port = flags.integer("--port");
        new ServiceBench(port).run(jar, root, port, flags.integer("--clients"), flags.integer("--single"),
                Duration.ofSeconds(flags.integer("--seconds")), !flags.has("--no-switch"), flags.words("--java-options"));
    }

    private void run(Path jar, Path root, int port, int clients, int single, Duration duration, boolean switchTest,
                     List<String> javaOptions) throws Exception {
        String live = Files.readString(root.resolve("CURRENT")).strip();
        System.out.printf("machine: %d cores, %s; release %s%n", Runtime.getRuntime().availableProcessors(),
                cpuModel(), live);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Path.of(System.getProperty("java.io.tmpdir"), "bench-service.log").toFile());
        pb.environment().put("ARTIFACTS_DIR", root.toString());
        pb.environment().put("PORT", Integer.toString(port));
        pb.environment().put("BIND", "127.0.0.1");
        pb.environment().put("POLL_INTERVAL", "1s");
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("DJL_OFFLINE", "true");

        long started = System.nanoTime();
        Process service = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(service::destroy));
        try {
            QueryText queries = new QueryText(20_260_601L);
            // 1. Start-up: process start to the first answered hybrid query.
            while (true) {
                if (!service.isAlive()) {
                    throw new IllegalStateException("the service exited with " + service.exitValue()
                            + "; see " + System.getProperty("java.io.tmpdir") + "/bench-service.log");
                }
                try {
                    if (get("/api/search?q=" + enc("how do I enable versioning")).statusCode() == 200) {
                        break;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                if (System.nanoTime() - started > Duration.ofMinutes(3).toNanos()) {
                    throw new IllegalStateException("no answer within 3 minutes");
                }
                Thread.sleep(20);
            }
            double startupSeconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "startup to first answered query: %.2f s%n", startupSeconds);

            // Warm-up, not measured: the JIT needs a few thousand searches through every mode to settle.
            String[] modes = {"hybrid", "keyword", "semantic"};
            for (int i = 0; i < 1500; i++) {
                get("/api/search?q=" + enc(queries.next()) + "&mode=" + modes[i % 3]);
            }

            // 2. Single client, distinct hybrid queries.
            double[] server = new double[single];
            double[] roundTrip = new double[single];
            for (int i = 0; i < single; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = get("/api/search?q=" + enc(queries.next()));
                roundTrip[i] = (System.nanoTime() - t0) / 1e6;
                server[i] = took(r);
            }
            System.out.printf(Locale.ROOT, "single client, %d distinct hybrid queries: server took_ms %s; round trip ms %s%n",
                    single, summary(server), summary(roundTrip));

            // 3. Throughput with N clients.
            Load load = load(clients, duration, queries, null);
            System.out.printf(Locale.ROOT, "%d clients, %d s, distinct hybrid queries: %.1f queries/s, %d errors; "
                            + "round trip ms %s; server took_ms %s%n", clients, duration.toSeconds(), load.qps(),
                    load.errors(), summary(load.roundTrip()), summary(load.server()));

            // 4. Release switch under the same load.
            String switchLine = "release switch: skipped";
            if (switchTest) {
                switchLine = switchUnderLoad(root, live, clients, queries);
            }
            System.out.println(switchLine);

            // 5. Memory.
            String status = Files.readString(Path.of("/proc", Long.toString(service.pid()), "status"));
            System.out.printf("service memory: %s, %s%n", field(status, "VmHWM"), field(status, "VmRSS"));
        } finally {
            service.destroy();
            service.waitFor();
        }
    }

    /** Flips CURRENT to the previous complete release and back, under load; reports the time to serve each. */
    private String switchUnderLoad(Path root, String live, int clients, QueryText queries) throws Exception {
        List<String> ids = new ArrayList<>();
        try (var dirs = Files.list(root.resolve("releases"))) {
            dirs.filter(d -> Files.isRegularFile(d.resolve("manifest.json")))
                    .map(d -> d.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().forEach(ids::add);
        }
        ids.remove(live);
        if (ids.isEmpty()) {
            return "release switch: skipped (the root holds one release only; build a second to measure)";
        }
        String other = ids.get(ids.size() - 1);
        AtomicLong flippedAt = new AtomicLong();
        AtomicLong servedAt = new AtomicLong();
        Switch watch = new Switch(other, flippedAt, servedAt);
        Thread flipper = new Thread(() -> {
            try {
                Thread.sleep(3000);
                flippedAt.set(System.nanoTime());
                writeCurrent(root, other);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        flipper.start();
        Load there;
        try {
            there = load(clients, Duration.ofSeconds(20), queries, watch);
            flipper.join();
        } finally {
            writeCurrent(root, live); // put the root back as it was
        }
        double seconds = servedAt.get() == 0 ? Double.NaN : (servedAt.get() - flippedAt.get()) / 1e9;
        // Wait for the way back, so the service is left on the original release.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && !get("/health").body().contains(live)) {
            Thread.sleep(100);
        }
        return String.format(Locale.ROOT, "release switch %s -> %s under %d clients: serving after %.2f s "
                        + "(poll interval 1 s), %d errors among %d requests; round trip ms during %s", live, other, clients,
                seconds, there.errors(), there.roundTrip().length, summary(there.roundTrip()));
    }

    private static void writeCurrent(Path root, String id) throws IOException {
        Path tmp = root.resolve("CURRENT.tmp-bench");
        Files.writeString(tmp, id + "\n");
        Files.move(tmp, root.resolve("CURRENT"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Notes when responses first name the release switched to. */
    private record Switch(String target, AtomicLong flippedAt, AtomicLong servedAt) {
        void saw(String release) {
            if (flippedAt.get() != 0 && target.equals(release)) {
                servedAt.compareAndSet(0, System.nanoTime());
            }
        }
    }

    private record Load(double qps, int errors, double[] roundTrip, double[] server) {
    }

    private Load load(int clients, Duration duration, QueryText queries, Switch watch) throws InterruptedException {
        ConcurrentLinkedQueue<double[]> samples = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    String q;
                    synchronized (queries) {
                        q = queries.next();
                    }
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = get("/api/search?q=" + enc(q));
                        double rt = (System.nanoTime() - t0) / 1e6;
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                            continue;
                        }
                        samples.add(new double[]{rt, took(r)});
                        if (watch != null) {
                            Matcher m = RELEASE.matcher(r.body());
                            if (m.find()) {
                                watch.saw(m.group(1));
                            }
                        }
                    } catch (IOException | InterruptedException e) {
                        errors.incrementAndGet();
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        Thread.sleep(duration.toMillis());
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] rt = samples.stream().mapToDouble(s -> s[0]).toArray();
        double[] server = samples.stream().mapToDouble(s -> s[1]).toArray();
        return new Load(samples.size() / seconds, errors.get(), rt, server);
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(30)).GET()
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static double took(HttpResponse<String> r) {
        Matcher m = TOOK.matcher(r.body());
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String summary(double[] values) {
        if (values.length == 0) {
            return "(none)";
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return String.format(Locale.ROOT, "median %.2f p90 %.2f p99 %.2f max %.2f (n=%d)", pct(v, 0.5), pct(v, 0.9),
                pct(v, 0.99), v[v.length - 1], v.length);
    }

    private static double pct(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static String field(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name + ":")) {
                return line.replaceAll("\\s+", " ").trim();
            }
        }
        return name + ": ?";
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    /**
     * Distinct queries in the docs' vocabulary: a topic, a concern and a phrasing, shuffled; ~30,000
     * combinations, so a benchmark run never repeats one (the query-vector cache never hits).
     */
    static final class QueryText {
        private static final String[] TOPICS = {"s3 bucket versioning", "s3 lifecycle rules", "s3 server-side encryption",
                "s3 presigned urls", "s3 replication", "ec2 instance types", "ec2 key pairs", "ec2 spot instances",
                "ec2 security groups", "ebs volume snapshots", "lambda function timeout", "lambda environment variables",
                "lambda layers", "lambda concurrency limits", "iam role trust policy", "iam policy conditions",
                "iam access keys", "dynamodb global secondary index", "dynamodb streams", "dynamodb throttling",
                "dynamodb on-demand capacity", "cloudwatch alarms", "cloudwatch logs insights", "cloudwatch metrics math",
                "ecs task definitions", "ecs fargate networking", "vpc subnets", "vpc peering", "nat gateway",
                "cdk stacks", "cdk constructs", "sns permission issue"};
        private static final String[] CONCERNS = {"permissions", "pricing", "limits", "errors", "troubleshooting",
                "best practices", "cli example", "console steps", "encryption", "monitoring", "cross account",
                "terraform alternative", "sdk for java", "python boto3", "quotas", "latency", "logging", "tags",
                "deletion", "backup", "regions", "migration", "security", "automation", "cost"};
        private static final String[] PHRASINGS = {"how to", "what is", "why does", "configure", "example of",
                "fix", "set up", "compare", "enable", "disable", "", "guide to", "when to use", "default",
                "maximum", "update", "delete", "list", "rotate", "audit", "restrict", "grant", "debug", "explain",
                "tutorial", "checklist", "faq", "steps for", "recommended", "minimum", "avoid", "limit", "tune",
                "secure", "test"};
        private final List<String> all = new ArrayList<>();
        private int next;

        QueryText(long seed) {
            for (String p : PHRASINGS) {
                for (String t : TOPICS) {
                    for (String c : CONCERNS) {
                        all.add((p.isEmpty() ? "" : p + " ") + t + " " + c);
                    }
                }
            }
            Collections.shuffle(all, new Random(seed));
        }

        String next() {
            if (next >= all.size()) {
                throw new IllegalStateException("ran out of distinct queries after " + all.size());
            }
            return all.get(next++);
        }
    }
}

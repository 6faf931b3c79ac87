package dev.docsearch.service.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scale-out shape on one machine (issue 12): N service processes on one artifact root, as N hosts on one
 * S3 Files mount, behind a loopback round-robin front, with concurrent clients while the pipeline publishes new
 * releases into the same root. Reports failed requests, the time from each {@code CURRENT} flip until every
 * replica serves the new release, and whether any response mixed releases.
 *
 * <p>Mixing is detected, not assumed away: every release holds a marker page whose title names that release's
 * round ("Scale-out marker 07"), written into the source folder before the round's {@code docsearch update}. A
 * client searching for the marker gets the round's title only from the round's release; a response that names
 * release R but shows another round's marker mixed two releases. Every replica must also never go back to an
 * older release.
 *
 * <p>Run by {@code scripts/bench-scaleout} (see its header), from {@code service/target/test-classes}.
 */
public final class ScaleOutBench {

    private static final Pattern RELEASE = Pattern.compile("\"release\":\"([^\"]+)\"");
    private static final Pattern MARKER = Pattern.compile("Scale-out marker ([0-9]+)");
    private static final String MARKER_QUERY = "/api/search?mode=keyword&k=3&q=scale-out+marker+release+round";

    /** One answered request, as a client saw it: sent at {@code startNanos}, answered at {@code atNanos}. */
    private record Answer(int replica, String release, int marker, long startNanos, long atNanos) {
    }

    /** The front's request threads: daemons, so the bench ends when its report is printed. */
    private final ExecutorService frontThreads = Executors.newFixedThreadPool(32, r -> {
        Thread t = new Thread(r, "front");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        BenchFlags flags = BenchFlags.parse("bench-scaleout", "ScaleOutBench --jar JAR --root DIR --source DIR "
                        + "--docsearch SCRIPT [--replicas 3] [--clients 8] [--releases 10] [--port 18180] "
                        + "[--poll-interval 1s] [--java-options '-Xmx512m']",
                args, Set.of("--jar", "--root", "--source", "--docsearch"), Map.of("--replicas", "3", "--clients", "8",
                        "--releases", "10", "--port", "18180", "--poll-interval", "1s", "--java-options", ""), Set.of());
        Path root = flags.path("--root");
        if (!Files.isRegularFile(root.resolve("CURRENT"))) {
            flags.fail(root + " has no CURRENT: build a release of --source first");
        }
        new ScaleOutBench().run(flags.path("--jar"), root, flags.path("--source"), flags.path("--docsearch"),
                flags.integer("--replicas"), flags.integer("--clients"), flags.integer("--releases"),
                flags.integer("--port"), flags.text("--poll-interval"), flags.words("--java-options"));
    }

    private void run(Path jar, Path root, Path source, Path docsearch, int replicas, int clients, int releases,
                     int port, String pollInterval, List<String> javaOptions) throws Exception {
        System.out.printf("machine: %d cores, %s; %d replicas on %s, poll interval %s%n",
                Runtime.getRuntime().availableProcessors(), ServiceBench.cpuModel(), replicas, root, pollInterval);
        List<Process> services = new ArrayList<>();
        List<String> backends = new ArrayList<>();
        HttpServer front = null;
        try {
            for (int r = 0; r < replicas; r++) {
                int backendPort = port + 1 + r;
                services.add(startService(jar, root, backendPort, pollInterval, javaOptions, r));
                backends.add("http://127.0.0.1:" + backendPort);
            }
            for (int r = 0; r < replicas; r++) {
                awaitAnswer(services.get(r), backends.get(r), r);
            }
            front = roundRobin(port, backends);
            String frontBase = "http://127.0.0.1:" + port;
            System.out.println("replicas answering; front on " + frontBase);

            ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger requests = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            ServiceBench.QueryText queries = new ServiceBench.QueryText(20_261_201L);
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                boolean markerClient = c % 2 == 0; // half watch the marker, half search as users do
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        String path;
                        if (markerClient) {
                            path = MARKER_QUERY;
                        } else {
                            synchronized (queries) {
                                path = "/api/search?q=" + ServiceBench.enc(queries.next());
                            }
                        }
                        requests.incrementAndGet();
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<String> resp = get(frontBase + path);
                            if (resp.statusCode() != 200) {
                                failures.add(resp.statusCode() + " " + path);
                                continue;
                            }
                            Matcher rel = RELEASE.matcher(resp.body());
                            Matcher marker = MARKER.matcher(resp.body());
                            int replica = Integer.parseInt(resp.headers().firstValue("X-Replica").orElse("-1"));
                            answers.add(new Answer(replica, rel.find() ? rel.group(1) : "?",
                                    markerClient && marker.find() ? Integer.parseInt(marker.group(1)) : -1,
                                    sent, System.nanoTime()));
                        } catch (IOException | InterruptedException e) {
                            failures.add(e + " " + path);
                        }
                    }
                }, "client-" + c);
                t.start();
                threads.add(t);
            }

            // The pipeline: one round per release, each with its own marker page, published into the live root.
            Map<String, Integer> roundOf = new ConcurrentHashMap<>();
            roundOf.put(Files.readString(root.resolve("CURRENT")).strip(), currentMarker(source));
            List<long[]> flips = new ArrayList<>(); // {round, flippedAtNanos}
            List<String> ids = new ArrayList<>();
            for (int round = currentMarker(source) + 1, done = 0; done < releases; round++, done++) {
                writeMarker(source, round);
                String before = Files.readString(root.resolve("CURRENT")).strip();
                long[] flip = {round, 0};
                Thread watcher = new Thread(() -> watchFlip(root, before, flip));
                watcher.start();
                Process update = new ProcessBuilder(docsearch.toString(), "update", "--root", root.toString(),
                        "--source", "dir:" + source, "--progress", "none", "--keep", "3")
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of(System.getProperty("java.io.tmpdir"),
                                "bench-scaleout-update.log").toFile()))
                        .start();
                int code = update.waitFor();
                watcher.join();
                String after = Files.readString(root.resolve("CURRENT")).strip();
                if (code != 0 || after.equals(before)) {
                    throw new IllegalStateException("update of round " + round + " exited " + code + " and left "
                            + "CURRENT at " + after + "; see bench-scaleout-update.log in java.io.tmpdir");
                }
                roundOf.put(after, round);
                ids.add(after);
                flips.add(flip);
                System.out.printf("round %d: published %s%n", round, after);
            }
            // Let the last release reach every replica before the clients stop.
            String last = ids.get(ids.size() - 1);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < deadline && !allServe(answers, replicas, last)) {
                Thread.sleep(50);
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            report(answers, failures, requests.get(), flips, ids, roundOf, replicas);
        } finally {
            if (front != null) {
                front.stop(0);
            }
            frontThreads.shutdownNow();
            for (Process p : services) {
                p.destroy();
            }
            for (Process p : services) {
                p.waitFor();
            }
        }
    }

    private void report(ConcurrentLinkedQueue<Answer> answers, ConcurrentLinkedQueue<String> failures, int requests,
                        List<long[]> flips, List<String> ids, Map<String, Integer> roundOf, int replicas) {
        int mixed = 0;
        int markerAnswers = 0;
        for (Answer a : answers) {
            if (a.marker() >= 0) {
                markerAnswers++;
                Integer round = roundOf.get(a.release());
                if (round == null || round != a.marker()) {
                    mixed++;
                }
            }
        }
        int backwards = 0;
        for (int r = 0; r < replicas; r++) {
            backwards += wentBack(answers, r, roundOf);
        }
        List<Double> lags = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            long flippedAt = flips.get(i)[1];
            long allAt = 0;
            for (int r = 0; r < replicas; r++) {
                long first = Long.MAX_VALUE;
                for (Answer a : answers) {
                    if (a.replica() == r && a.release().equals(ids.get(i)) && a.atNanos() < first) {
                        first = a.atNanos();
                    }
                }
                allAt = Math.max(allAt, first);
            }
            lags.add(allAt == Long.MAX_VALUE || flippedAt == 0 ? Double.NaN : (allAt - flippedAt) / 1e9);
        }
        double[] lagArray = lags.stream().mapToDouble(Double::doubleValue).toArray();
        System.out.printf(Locale.ROOT, "%d requests through the front, %d failed%s%n", requests, failures.size(),
                failures.isEmpty() ? "" : " (first: " + failures.peek() + ")");
        System.out.printf(Locale.ROOT, "%d releases published; CURRENT flip to every replica serving it, s: %s%n",
                ids.size(), ServiceBench.summary(lagArray));
        System.out.printf(Locale.ROOT, "per release, s: %s%n", lags.stream()
                .map(l -> String.format(Locale.ROOT, "%.2f", l)).toList());
        System.out.printf(Locale.ROOT, "%d marker answers, %d mixed releases; %d answers went back to an older "
                + "release%n", markerAnswers, mixed, backwards);
        if (!failures.isEmpty() || mixed > 0 || backwards > 0 || lags.stream().anyMatch(l -> l.isNaN())) {
            System.out.println("bench-scaleout: FAILED");
            System.exit(1);
        }
    }

    /**
     * Answers of one replica that came from an older release than an answer of that replica completed before the
     * request was sent. Overlapping requests may see either release of a flip; a request sent after the replica
     * answered from round n must never see a round before n.
     */
    private static int wentBack(ConcurrentLinkedQueue<Answer> answers, int replica, Map<String, Integer> roundOf) {
        List<Answer> mine = answers.stream().filter(a -> a.replica() == replica && roundOf.containsKey(a.release()))
                .toList();
        List<Answer> byEnd = mine.stream().sorted(Comparator.comparingLong(Answer::atNanos)).toList();
        List<Answer> byStart = mine.stream().sorted(Comparator.comparingLong(Answer::startNanos)).toList();
        int back = 0;
        int ended = 0;
        int newest = Integer.MIN_VALUE;
        for (Answer a : byStart) {
            while (ended < byEnd.size() && byEnd.get(ended).atNanos() < a.startNanos()) {
                newest = Math.max(newest, roundOf.get(byEnd.get(ended).release()));
                ended++;
            }
            if (roundOf.get(a.release()) < newest) {
                back++;
            }
        }
        return back;
    }

    /** Whether every replica has answered from {@code release}. */
    private static boolean allServe(ConcurrentLinkedQueue<Answer> answers, int replicas, String release) {
        boolean[] seen = new boolean[replicas];
        for (Answer a : answers) {
            if (a.release().equals(release) && a.replica() >= 0 && a.replica() < replicas) {
                seen[a.replica()] = true;
            }
        }
        for (boolean s : seen) {
            if (!s) {
                return false;
            }
        }
        return true;
    }

    /** Notes when CURRENT first names something other than {@code before}, polling every 5 ms. */
    private static void watchFlip(Path root, String before, long[] flip) {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (!Files.readString(root.resolve("CURRENT")).strip().equals(before)) {
                    flip[1] = System.nanoTime();
                    return;
                }
                Thread.sleep(5);
            } catch (IOException e) {
                // CURRENT is replaced by a rename; a read between the two never happens, but retry anyway
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Path markerPage(Path source) {
        return source.resolve("scaleout-marker").resolve("marker.md");
    }

    private static void writeMarker(Path source, int round) throws IOException {
        Files.createDirectories(markerPage(source).getParent());
        String r = String.format(Locale.ROOT, "%02d", round);
        Files.writeString(markerPage(source), "# Scale-out marker " + r + "\n\nThis page marks release round " + r
                + " of the scale-out simulation: each release the pipeline publishes holds its own round.\n");
    }

    private static int currentMarker(Path source) throws IOException {
        if (!Files.isRegularFile(markerPage(source))) {
            throw new IllegalStateException("no marker page in " + source + " (scripts/bench-scaleout writes round 0 "
                    + "before the first release)");
        }
        Matcher m = MARKER.matcher(Files.readString(markerPage(source)));
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static Process startService(Path jar, Path root, int port, String pollInterval, List<String> javaOptions,
                                        int replica) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(
                Path.of(System.getProperty("java.io.tmpdir"), "bench-scaleout-replica-" + replica + ".log").toFile());
        pb.environment().put("ARTIFACTS_DIR", root.toString());
        pb.environment().put("PORT", Integer.toString(port));
        pb.environment().put("BIND", "127.0.0.1");
        pb.environment().put("POLL_INTERVAL", pollInterval);
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("DJL_OFFLINE", "true");
        Process p = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        return p;
    }

    private void awaitAnswer(Process service, String base, int replica) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("replica " + replica + " exited with " + service.exitValue()
                        + "; see bench-scaleout-replica-" + replica + ".log in java.io.tmpdir");
            }
            try {
                if (get(base + MARKER_QUERY).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("replica " + replica + " did not answer within 3 minutes");
    }

    /**
     * The load balancer: a JDK HTTP server passing each GET to the next backend in turn, with the backend's
     * status and body, and {@code X-Replica} naming which one answered.
     */
    private HttpServer roundRobin(int port, List<String> backends) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        AtomicInteger next = new AtomicInteger();
        server.setExecutor(frontThreads);
        server.createContext("/", exchange -> {
            int replica = Math.floorMod(next.getAndIncrement(), backends.size());
            try {
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(backends.get(replica)
                                + exchange.getRequestURI())).timeout(Duration.ofSeconds(30)).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                r.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().set("Content-Type", v));
                exchange.getResponseHeaders().set("X-Replica", Integer.toString(replica));
                send(exchange, r.statusCode(), r.body());
            } catch (IOException | InterruptedException e) {
                send(exchange, 502, ("{\"error\":\"backend " + replica + ": " + e + "\"}").getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
        return server;
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}

package dev.docsearch.core.embed;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Throwaway measurement, not a test: query latency on one thread and passage throughput
 * (~250-token chunks of the S3 user guide) with different thread layouts.
 *
 * <pre>java -cp ... dev.docsearch.core.embed.EmbedderBenchmark [artifactRoot] [sharedData]</pre>
 */
public final class EmbedderBenchmark {

    private EmbedderBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("embed-bench");
        Path data = Path.of(args.length > 1 ? args[1] : System.getProperty("docsearch.shared.data", "/work/shared/data"));
        long t0 = System.nanoTime();
        ModelInfo model = new ModelStore(root).installDefault();
        System.out.printf("install/verify: %d ms%n", (System.nanoTime() - t0) / 1_000_000);

        t0 = System.nanoTime();
        try (Embedder embedder = Embedder.open(model, EmbedderOptions.defaults().withConcurrency(2))) {
            System.out.printf("open: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            queryLatency(embedder);
            List<String> passages = passages(embedder, data.resolve("awsdocs/amazon-s3-userguide"), 256);
            double avgTokens = passages.stream().mapToInt(embedder::countTokens).average().orElse(0);
            System.out.printf("passages: %d, mean text tokens %.1f (+2 special)%n", passages.size(), avgTokens);
            throughput("1 caller, intraOp=1", embedder, passages, 1);
            throughput("2 callers, intraOp=1", embedder, passages, 2);
        }
        try (Embedder embedder = Embedder.open(model, EmbedderOptions.defaults().withIntraOpThreads(2).withConcurrency(1))) {
            queryLatency(embedder);
            List<String> passages = passages(embedder, data.resolve("awsdocs/amazon-s3-userguide"), 256);
            throughput("1 caller, intraOp=2", embedder, passages, 1);
        }
    }

    private static void queryLatency(Embedder embedder) {
        List<String> queries = List.of("How do I enable versioning on an S3 bucket?",
                "lambda function timeout maximum", "restrict bucket access to a VPC endpoint",
                "DynamoDB global secondary index throughput", "ECS task role vs execution role",
                "CloudWatch alarm on EC2 CPU utilization", "cdk deploy bootstrap error");
        for (int i = 0; i < 100; i++) {
            embedder.embed(queries.get(i % queries.size()));
        }
        int n = 1000;
        long[] nanos = new long[n];
        long[] cpu = new long[n];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < n; i++) {
            String q = queries.get(i % queries.size()) + " " + (i % 13); // vary text, keep ~12-16 tokens
            long c = threads.getCurrentThreadCpuTime();
            long s = System.nanoTime();
            embedder.embed(q);
            nanos[i] = System.nanoTime() - s;
            cpu[i] = threads.getCurrentThreadCpuTime() - c;
        }
        Arrays.sort(nanos);
        Arrays.sort(cpu);
        // With intraOp=1 the ONNX run happens on the calling thread, so its CPU time is the work
        // itself, less disturbed than wall time when other processes compete for the cores.
        System.out.printf("query latency (%s, %d queries, ~%d tokens): wall median %.2f ms, p90 %.2f ms, p99 %.2f ms;"
                        + " calling-thread CPU median %.2f ms%n",
                "intraOp=" + embedder.options().intraOpThreads(), n, embedder.countTokens(queries.get(0) + " 7"),
                nanos[n / 2] / 1e6, nanos[n * 9 / 10] / 1e6, nanos[n * 99 / 100] / 1e6, cpu[n / 2] / 1e6);
    }

    private static void throughput(String label, Embedder embedder, List<String> passages, int callers) throws Exception {
        embedder.embedAll(passages.subList(0, 32)); // warm-up
        int perCaller = passages.size() / callers;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try {
            long s = System.nanoTime();
            List<Future<Long>> futures = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                List<String> slice = passages.subList(c * perCaller, (c + 1) * perCaller);
                futures.add(pool.submit(() -> {
                    long c0 = threads.getCurrentThreadCpuTime();
                    embedder.embedAll(slice);
                    return threads.getCurrentThreadCpuTime() - c0;
                }));
            }
            long cpu = 0;
            for (Future<Long> f : futures) {
                cpu += f.get();
            }
            double seconds = (System.nanoTime() - s) / 1e9;
            int total = perCaller * callers;
            System.out.printf("throughput %s: %d passages in %.1f s = %.1f passages/s wall;"
                            + " calling threads' CPU %.1f ms/passage%n",
                    label, total, seconds, total / seconds, cpu / 1e6 / total);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Word-boundary chunks of at most {@code maxTokens} tokens, the tail of a page dropped if short. */
    private static List<String> passages(Embedder embedder, Path guide, int maxTokens) throws IOException {
        List<String> result = new ArrayList<>();
        List<Path> pages;
        try (Stream<Path> files = Files.list(guide)) {
            pages = files.filter(p -> p.toString().endsWith(".md")).sorted().limit(60).toList();
        }
        for (Path page : pages) {
            String[] words = Files.readString(page).replace("\\", "").split("\\s+");
            StringBuilder chunk = new StringBuilder();
            int approx = 0;
            for (String w : words) {
                chunk.append(w).append(' ');
                if (++approx % 10 == 0 && embedder.countTokens(chunk.toString()) >= maxTokens - 12) {
                    result.add(chunk.toString().trim());
                    chunk.setLength(0);
                }
            }
            if (result.size() >= 320) {
                break;
            }
        }
        return result.subList(0, Math.min(320, result.size()));
    }
}

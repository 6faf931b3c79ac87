package dev.docsearch.faiss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files cross between this library and Debian's python3-faiss in both directions. */
class PythonInteropTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final int D = 24;
    private static final int K = 7;
    /** Python statement printing search results D, I: one line per query of {@code id:score} pairs, best first. */
    private static final String PRINT_HITS = "for ids, scores in zip(I, D): print(' '.join('%d:%r' % (int(i), float(s))"
            + " for i, s in zip(ids, scores)))";

    @TempDir
    Path dir;

    @BeforeAll
    static void pythonFaissIsInstalled() throws Exception {
        Result probe = python("import faiss, numpy; print(faiss.__version__)");
        assumeTrue(probe.exitCode == 0, "skipped: " + PYTHON + " cannot import faiss and numpy"
                + " (install python3-faiss via scripts/install-deps): " + probe.output);
    }

    @Test
    void pythonReadsOurFlatIndexAndFindsTheSameNeighbours() throws Exception {
        float[] database = TestVectors.gaussian(2000, D, 31);
        float[] queries = TestVectors.gaussian(10, D, 32);
        Path index = dir.resolve("flat-ip.faiss");
        SearchResult[] ours;
        try (FaissIndex flat = FaissIndex.create(D, "Flat", Metric.INNER_PRODUCT)) {
            flat.add(database);
            flat.write(index);
            ours = flat.searchBatch(queries, K);
        }
        assertThat(new String(Files.readAllBytes(index), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("IxFI");
        Path queryFile = writeFloats(dir.resolve("queries.f32"), queries);

        Result python = python(String.join("\n",
                "import faiss, numpy, sys",
                "index = faiss.read_index(sys.argv[1])",
                "assert index.d == " + D + " and index.ntotal == 2000 and index.metric_type == faiss.METRIC_INNER_PRODUCT",
                "q = numpy.fromfile(sys.argv[2], dtype='<f4').reshape(-1, " + D + ")",
                "D, I = index.search(q, " + K + ")",
                PRINT_HITS),
                index.toString(), queryFile.toString());
        assertThat(python.exitCode).as(python.output).isZero();

        // Python's FAISS scores with its own BLAS (or its AVX2 scan below 20 queries) and ours with OpenBLAS's
        // CPU-selected sgemm: equal up to float rounding, so near-tied hits may swap places.
        List<NearTies.Ranking> theirs = rankings(python.output);
        assertThat(theirs).hasSize(ours.length);
        for (int q = 0; q < ours.length; q++) {
            NearTies.assertSameRanking("query " + q, theirs.get(q), ours[q]);
        }
    }

    @Test
    void weReadAnIvfIndexWrittenByPython() throws Exception {
        float[] database = TestVectors.clustered(3000, D, 30, 33);
        Path vectors = writeFloats(dir.resolve("db.f32"), database);
        Path index = dir.resolve("python-ivf.faiss");
        Result python = python(String.join("\n",
                "import faiss, numpy, sys",
                "x = numpy.fromfile(sys.argv[1], dtype='<f4').reshape(-1, " + D + ")",
                "index = faiss.index_factory(" + D + ", 'IVF16,Flat', faiss.METRIC_INNER_PRODUCT)",
                "index.train(x)",
                "index.add(x)",
                "index.nprobe = 16",
                "faiss.write_index(index, sys.argv[2])",
                "D, I = index.search(x[:5], " + K + ")",
                PRINT_HITS),
                vectors.toString(), index.toString());
        assertThat(python.exitCode).as(python.output).isZero();
        List<NearTies.Ranking> theirs = rankings(python.output);
        assertThat(theirs).hasSize(5);

        try (FaissIndex read = FaissIndex.read(index, true)) {
            assertThat(read.ntotal()).isEqualTo(3000);
            read.setParameter("nprobe", 16);
            SearchResult[] ours = read.searchBatch(Arrays.copyOf(database, 5 * D), K);
            // nprobe 16 of 16 lists: both scan everything, with their own float code (Python's may be FAISS's
            // AVX2 build, chosen by CPU), so only near-tied hits may differ in order.
            for (int q = 0; q < 5; q++) {
                NearTies.assertSameRanking("query " + q, theirs.get(q), ours[q]);
            }
        }
    }

    /**
     * Parses the lines {@link #PRINT_HITS} printed: per query, {@code id:score} pairs best first. Python's
     * {@code repr} of a float32 widened to double round-trips exactly through {@link Double#parseDouble}.
     */
    private static List<NearTies.Ranking> rankings(String output) {
        List<NearTies.Ranking> rankings = new ArrayList<>();
        for (String line : output.strip().lines().toList()) {
            String[] hits = line.strip().split(" ");
            long[] ids = new long[hits.length];
            double[] scores = new double[hits.length];
            for (int i = 0; i < hits.length; i++) {
                int colon = hits[i].indexOf(':');
                assertThat(colon).as("hit %s in line %s", hits[i], line).isPositive();
                ids[i] = Long.parseLong(hits[i].substring(0, colon));
                scores[i] = Double.parseDouble(hits[i].substring(colon + 1));
            }
            rankings.add(new NearTies.Ranking(ids, scores));
        }
        return rankings;
    }

    private static Path writeFloats(Path file, float[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return Files.write(file, buffer.array());
    }

    private record Result(int exitCode, String output) {
    }

    /** Runs a Python script; one that hangs is killed after two minutes and fails the test (it is not skipped). */
    private static Result python(String script, String... args) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return new Result(-1, PYTHON + " does not exist");
        }
        List<String> command = new ArrayList<>(List.of(PYTHON, "-c", script));
        command.addAll(List.of(args));
        // stderr apart: FAISS may print warnings there, and stdout must hold only the hits.
        ChildProcess.Output child = ChildProcess.run(Duration.ofMinutes(2), false, command);
        int exitCode = child.exitCode();
        return new Result(exitCode, exitCode == 0 ? child.stdout() : child.stdout() + child.stderr());
    }
}

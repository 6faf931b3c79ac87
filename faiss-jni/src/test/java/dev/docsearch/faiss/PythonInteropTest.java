package dev.docsearch.faiss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files cross between this library and Debian's python3-faiss in both directions. */
class PythonInteropTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final int D = 24;
    private static final int K = 7;

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
                "for row in I: print(' '.join(str(i) for i in row))"),
                index.toString(), queryFile.toString());
        assertThat(python.exitCode).as(python.output).isZero();

        List<String> expected = new ArrayList<>();
        for (SearchResult result : ours) {
            StringBuilder line = new StringBuilder();
            for (long id : result.ids()) {
                line.append(line.length() == 0 ? "" : " ").append(id);
            }
            expected.add(line.toString());
        }
        assertThat(python.output.strip().lines().toList()).containsExactlyElementsOf(expected);
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
                "for row in I: print(' '.join(str(i) for i in row))"),
                vectors.toString(), index.toString());
        assertThat(python.exitCode).as(python.output).isZero();
        List<String> pythonIds = python.output.strip().lines().toList();

        try (FaissIndex read = FaissIndex.read(index, true)) {
            assertThat(read.ntotal()).isEqualTo(3000);
            read.setParameter("nprobe", 16);
            SearchResult[] ours = read.searchBatch(Arrays.copyOf(database, 5 * D), K);
            for (int q = 0; q < 5; q++) {
                String[] ids = pythonIds.get(q).split(" ");
                assertThat(ours[q].ids()).as("query %d", q)
                        .containsExactly(Arrays.stream(ids).mapToLong(Long::parseLong).toArray());
            }
        }
    }

    private static Path writeFloats(Path file, float[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return Files.write(file, buffer.array());
    }

    private record Result(int exitCode, String output) {
    }

    private static Result python(String script, String... args) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return new Result(-1, PYTHON + " does not exist");
        }
        List<String> command = new ArrayList<>(List.of(PYTHON, "-c", script));
        command.addAll(List.of(args));
        // stderr apart: FAISS may print warnings there, and stdout must hold only the ids.
        Path stderr = Files.createTempFile("python-faiss", ".stderr");
        try {
            Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return new Result(-1, "timed out: " + output + Files.readString(stderr));
            }
            int exitCode = process.exitValue();
            return new Result(exitCode, exitCode == 0 ? output : output + Files.readString(stderr));
        } finally {
            Files.deleteIfExists(stderr);
        }
    }
}

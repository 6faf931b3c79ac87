package dev.docsearch.faiss;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built library must load on any glibc >= 2.35 x86-64 Linux with libgomp1 (Ubuntu 22.04 and
 * later, Debian 12): no shared FAISS, BLAS, Fortran or C++ runtime, and only JNI symbols exported.
 */
class NativeLibraryLinkageTest {
    private static final Set<String> ALLOWED_NEEDED = Set.of(
            "libc.so.6", "libm.so.6", "libgomp.so.1", "libdl.so.2", "libpthread.so.0", "ld-linux-x86-64.so.2");
    private static final Pattern GLIBC_VERSION = Pattern.compile("GLIBC_(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    private static Path library;

    @BeforeAll
    static void findTheBuiltLibrary() throws URISyntaxException {
        URL url = NativeLibraryLinkageTest.class.getResource(NativeLibrary.RESOURCE);
        assertThat(url).as(NativeLibrary.RESOURCE + " on the test classpath").isNotNull();
        assertThat(url.getProtocol()).as("tests run against target/classes").isEqualTo("file");
        library = Path.of(url.toURI());
    }

    @Test
    void needsOnlyLibcLibmAndLibgomp() throws Exception {
        List<String> needed = new ArrayList<>();
        for (String line : run("objdump", "-p", library.toString())) {
            String trimmed = line.trim();
            if (trimmed.startsWith("NEEDED")) {
                needed.add(trimmed.split("\\s+")[1]);
            }
        }
        assertThat(needed).contains("libc.so.6", "libgomp.so.1");
        assertThat(needed).allMatch(ALLOWED_NEEDED::contains, "one of " + ALLOWED_NEEDED);
    }

    @Test
    void everyDependencyResolvesOnThisHost() throws Exception {
        List<String> ldd = run("ldd", library.toString());
        assertThat(ldd).noneMatch(line -> line.contains("not found"));
        assertThat(String.join("\n", ldd)).doesNotContain("libstdc++", "libgfortran", "libopenblas", "libblas",
                "liblapack", "libquadmath", "libfaiss");
    }

    @Test
    void symbolVersionsStayWithinGlibc235() throws Exception {
        Set<String> versions = new TreeSet<>();
        int[] highest = {0, 0};
        for (String line : run("objdump", "-T", library.toString())) {
            Matcher m = GLIBC_VERSION.matcher(line);
            while (m.find()) {
                versions.add(m.group());
                int major = Integer.parseInt(m.group(1));
                int minor = Integer.parseInt(m.group(2));
                if (major > highest[0] || (major == highest[0] && minor > highest[1])) {
                    highest[0] = major;
                    highest[1] = minor;
                }
            }
            assertThat(line).doesNotContain("GLIBCXX_", "CXXABI_", "GFORTRAN_", "GCC_");
        }
        assertThat(versions).isNotEmpty();
        assertThat(highest[0] * 1000 + highest[1]).as("highest of %s", versions).isLessThanOrEqualTo(2035);
    }

    @Test
    void exportsOnlyTheJniEntryPoints() throws Exception {
        List<String> exported = new ArrayList<>();
        for (String line : run("objdump", "-T", library.toString())) {
            // Defined dynamic symbols: a section other than *UND*, name last.
            if (line.matches("^[0-9a-f]{16} .*") && !line.contains("*UND*")) {
                String[] fields = line.trim().split("\\s+");
                exported.add(fields[fields.length - 1]);
            }
        }
        assertThat(exported).contains("JNI_OnLoad", "Java_dev_docsearch_faiss_FaissNative_search");
        assertThat(exported).allMatch(name -> name.equals("JNI_OnLoad")
                || name.startsWith("Java_dev_docsearch_faiss_FaissNative_"));
    }

    @Test
    void shippedChecksumMatchesTheLibraryAndTheLoadedCopy() throws Exception {
        String shipped;
        try (InputStream in = NativeLibraryLinkageTest.class.getResourceAsStream(NativeLibrary.RESOURCE + ".sha256")) {
            shipped = new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\\s+")[0];
        }
        assertThat(sha256(library)).isEqualTo(shipped);
        FaissIndex.create(4, "Flat", Metric.L2).close(); // loads the library
        Path loaded = NativeLibrary.cachedLibrary();
        assertThat(loaded.getParent().getFileName().toString()).isEqualTo("faissjni-" + shipped.substring(0, 16));
        assertThat(sha256(loaded)).isEqualTo(shipped);
        assertThat(FaissNative.faissVersion()).isEqualTo("1.7.3");
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** Runs a tool, stderr merged into stdout; a tool that hangs is killed after a minute and fails the test. */
    private static List<String> run(String... command) throws IOException, InterruptedException {
        ChildProcess.Output result = ChildProcess.run(Duration.ofMinutes(1), true, List.of(command));
        assertThat(result.exitCode()).as(String.join(" ", command) + ":\n" + result.stdout()).isZero();
        return result.stdout().lines().toList();
    }
}

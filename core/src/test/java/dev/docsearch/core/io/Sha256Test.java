package dev.docsearch.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class Sha256Test {

    /** FIPS 180-2's test vector: SHA-256("abc"). */
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @TempDir
    Path dir;

    @Test
    void textFileAndDigestAgreeWithTheStandardVectors() throws IOException {
        assertThat(Sha256.of("abc")).isEqualTo(ABC);
        assertThat(Sha256.of(Files.writeString(dir.resolve("abc"), "abc"))).isEqualTo(ABC);
        assertThat(Sha256.of(Files.createFile(dir.resolve("empty")))).isEqualTo(EMPTY);
        MessageDigest md = Sha256.newDigest();
        md.update("a".getBytes(StandardCharsets.UTF_8));
        md.update("bc".getBytes(StandardCharsets.UTF_8));
        assertThat(Sha256.hex(md)).isEqualTo(ABC);
    }

    @Test
    void aFileLargerThanTheBufferHashesAsAWhole() throws IOException {
        byte[] data = new byte[(1 << 16) * 3 + 17];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        Path file = Files.write(dir.resolve("big"), data);
        String expected = HexFormat.of().formatHex(Sha256.newDigest().digest(data));
        assertThat(Sha256.of(file)).isEqualTo(expected).hasSize(64).matches("[0-9a-f]{64}");
    }

    @Test
    void copyPassesEveryByteOnAndHashesThem() throws IOException {
        byte[] data = new byte[200_000];
        Arrays.fill(data, (byte) 7);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Sha256.Copied copied = Sha256.copy(new ByteArrayInputStream(data), out);
        assertThat(out.toByteArray()).isEqualTo(data);
        assertThat(copied.bytes()).isEqualTo(data.length);
        assertThat(copied.sha256()).isEqualTo(HexFormat.of().formatHex(Sha256.newDigest().digest(data)));
    }
}

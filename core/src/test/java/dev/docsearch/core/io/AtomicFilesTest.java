package dev.docsearch.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writeCreatesAndReplacesAFileAndLeavesNoTemporary() throws IOException {
        Path target = dir.resolve("CURRENT");
        AtomicFiles.write(target, "one\n".getBytes(StandardCharsets.UTF_8));
        assertThat(target).hasContent("one");
        AtomicFiles.write(target, "two\n".getBytes(StandardCharsets.UTF_8));
        assertThat(target).hasContent("two");
        assertThat(names()).containsExactly("CURRENT");
    }

    @Test
    void aFailingWriterLeavesTheOldFileAndNoTemporary() throws IOException {
        Path target = dir.resolve("index.json");
        AtomicFiles.write(target, "old".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("half of the new".getBytes(StandardCharsets.UTF_8));
            throw new IOException("No space left on device");
        })).hasMessage("No space left on device");
        assertThat(target).hasContent("old");
        assertThat(names()).containsExactly("index.json");
    }

    @Test
    void temporaryFilesAreHiddenSiblingsCarryingTheMark() throws IOException {
        Path target = dir.resolve("seg-1.bin");
        Path[] seen = new Path[1];
        AtomicFiles.write(target, out -> {
            try (Stream<Path> files = Files.list(dir)) {
                seen[0] = files.findFirst().orElseThrow();
            }
        });
        String name = seen[0].getFileName().toString();
        assertThat(name).startsWith(".seg-1.bin" + AtomicFiles.TEMP_MARK);
        assertThat(target).isEmptyFile();
    }

    @Test
    void renameMovesADirectoryWholeAndRefusesAMissingSource() throws IOException {
        Path staging = Files.createDirectories(dir.resolve(".staging-x/keyword"));
        Files.writeString(staging.resolve("segments_1"), "lucene");
        Path release = dir.resolve("release");
        AtomicFiles.rename(dir.resolve(".staging-x"), release);
        assertThat(release.resolve("keyword/segments_1")).hasContent("lucene");
        assertThat(dir.resolve(".staging-x")).doesNotExist();
        assertThatThrownBy(() -> AtomicFiles.rename(dir.resolve(".staging-x"), dir.resolve("again")))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void renameOntoANonEmptyDirectoryFailsAndKeepsIt() throws IOException {
        Path winner = Files.createDirectories(dir.resolve("model"));
        Files.writeString(winner.resolve("model.onnx"), "theirs");
        Path loser = Files.createDirectories(dir.resolve(".tmp-1"));
        Files.writeString(loser.resolve("model.onnx"), "ours");
        assertThatThrownBy(() -> AtomicFiles.rename(loser, winner)).isInstanceOf(IOException.class);
        assertThat(winner.resolve("model.onnx")).hasContent("theirs");
    }

    @Test
    void fsyncSyncsFilesAndDirectoriesAndToleratesWhatCannotBeSynced() throws IOException {
        Path file = Files.writeString(dir.resolve("chunks.dat"), "x");
        AtomicFiles.fsync(file);
        AtomicFiles.fsyncDirectory(dir);
        AtomicFiles.fsyncDirectory(dir.resolve("missing")); // best effort: never fails
        assertThatThrownBy(() -> AtomicFiles.fsync(dir.resolve("missing"))).isInstanceOf(IOException.class);
    }

    @Test
    void deleteTreeDeletesFilesAndTreesAndIgnoresWhatIsNotThere() throws IOException {
        Path tree = Files.createDirectories(dir.resolve("a/b/c"));
        Files.writeString(tree.resolve("f"), "x");
        Files.writeString(dir.resolve("a/g"), "y");
        Path file = Files.writeString(dir.resolve("lone"), "z");
        AtomicFiles.deleteTree(dir.resolve("a"));
        AtomicFiles.deleteTree(file);
        AtomicFiles.deleteTree(dir.resolve("never-was"));
        assertThat(names()).isEmpty();
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}

package dev.docsearch.core.release;

import dev.docsearch.core.model.Chunk;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The release's chunk metadata and texts, read by ordinal (the id shared by the FAISS and Lucene indexes).
 *
 * <p>Two files: {@code chunks.dat} holds the records back to back (length-prefixed UTF-8 strings) and
 * {@code chunks.idx} a header plus one offset per chunk. Both are memory-mapped read-only, so opening costs
 * nothing and only the chunks a query touches are decoded. Thread-safe: readers use absolute gets only.
 */
public final class ChunkStore implements AutoCloseable {

    public static final String DATA_FILE = "chunks.dat";
    public static final String INDEX_FILE = "chunks.idx";
    private static final int MAGIC = 0x44534348; // "DSCH"
    private static final int VERSION = 1;
    private static final int HEADER_BYTES = 16;

    private final ByteBuffer data;
    private final ByteBuffer index;
    private final int size;
    private volatile boolean closed;

    private ChunkStore(ByteBuffer data, ByteBuffer index, int size) {
        this.data = data;
        this.index = index;
        this.size = size;
    }

    /** Opens the store in a release directory; refuses files that are not a complete chunk store. */
    public static ChunkStore open(Path dir) throws IOException {
        ByteBuffer index = map(dir.resolve(INDEX_FILE));
        ByteBuffer data = map(dir.resolve(DATA_FILE));
        if (index.capacity() < HEADER_BYTES || index.getInt(0) != MAGIC) {
            throw new IOException(INDEX_FILE + " is not a docsearch chunk index (bad magic)");
        }
        if (index.getInt(4) != VERSION) {
            throw new IOException(INDEX_FILE + " has unsupported version " + index.getInt(4));
        }
        long count = index.getLong(8);
        if (count < 0 || HEADER_BYTES + (count + 1) * 8 != index.capacity()) {
            throw new IOException(INDEX_FILE + " is truncated or corrupt: header says " + count + " chunks, file has "
                    + index.capacity() + " bytes");
        }
        int n = (int) count;
        long end = index.getLong(HEADER_BYTES + n * 8);
        if (end != data.capacity()) {
            throw new IOException(DATA_FILE + " is truncated or corrupt: expected " + end + " bytes, found " + data.capacity());
        }
        return new ChunkStore(data, index, n);
    }

    private static ByteBuffer map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    public int size() {
        return size;
    }

    /** The chunk at an ordinal in [0, size). */
    public Chunk get(int ordinal) {
        Reader r = new Reader(data, position(ordinal));
        String id = r.string();
        String pageId = r.string();
        String url = r.string();
        String title = r.string();
        String guide = r.string();
        int sections = r.varint();
        List<String> path = new ArrayList<>(sections);
        for (int i = 0; i < sections; i++) {
            path.add(r.string());
        }
        String text = r.string();
        return new Chunk(id, pageId, url, title, guide, path, text);
    }

    /**
     * The page and guide of the chunk at an ordinal, without decoding the rest of it: what ranking needs to
     * fold a few hundred candidate chunks into pages, at a fraction of the cost of {@link #get}.
     */
    public ChunkPage page(int ordinal) {
        Reader r = new Reader(data, position(ordinal));
        r.skip(); // id
        String pageId = r.string();
        r.skip(); // url
        r.skip(); // title
        return new ChunkPage(pageId, r.string());
    }

    /** Where the chunk at an ordinal starts in the data file. */
    private int position(int ordinal) {
        if (closed) {
            throw new IllegalStateException("chunk store is closed");
        }
        if (ordinal < 0 || ordinal >= size) {
            throw new IndexOutOfBoundsException("chunk ordinal " + ordinal + " outside [0, " + size + ")");
        }
        return (int) index.getLong(HEADER_BYTES + ordinal * 8);
    }

    /** The page a chunk belongs to, and that page's guide. */
    public record ChunkPage(String pageId, String guide) {
    }

    /**
     * Unmaps both files now rather than at some later GC, so a release that was swapped out lets go of its
     * files (on NFS an open mapping pins the old file). The caller guarantees no reader is still inside
     * {@link #get} (the service closes a release only when its last request is done).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        unmap(data);
        unmap(index);
    }

    private static void unmap(ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            return;
        }
        try {
            var unsafeClass = Class.forName("sun.misc.Unsafe");
            var field = unsafeClass.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            Object unsafe = field.get(null);
            unsafeClass.getMethod("invokeCleaner", ByteBuffer.class).invoke(unsafe, buffer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Without jdk.unsupported the mapping is released by the GC instead; nothing is lost but time.
        }
    }

    /** Writes a chunk store; chunks must be appended in ordinal order. */
    public static final class Writer implements AutoCloseable {
        private final Path dir;
        private final DataOutputStream out;
        private final List<Long> offsets = new ArrayList<>();
        private long position;

        public Writer(Path dir) throws IOException {
            this.dir = dir;
            this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve(DATA_FILE)), 1 << 16));
        }

        public void add(Chunk c) throws IOException {
            offsets.add(position);
            string(c.id());
            string(c.pageId());
            string(c.url());
            string(c.title());
            string(c.guide());
            varint(c.sectionPath().size());
            for (String s : c.sectionPath()) {
                string(s);
            }
            string(c.text());
        }

        public int count() {
            return offsets.size();
        }

        private void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length);
            out.write(b);
            position += b.length;
        }

        private void varint(int v) throws IOException {
            while ((v & ~0x7F) != 0) {
                out.write((v & 0x7F) | 0x80);
                v >>>= 7;
                position++;
            }
            out.write(v);
            position++;
        }

        @Override
        public void close() throws IOException {
            out.close();
            ByteBuffer idx = ByteBuffer.allocate(HEADER_BYTES + (offsets.size() + 1) * 8).order(ByteOrder.LITTLE_ENDIAN);
            idx.putInt(MAGIC).putInt(VERSION).putLong(offsets.size());
            for (long o : offsets) {
                idx.putLong(o);
            }
            idx.putLong(position);
            try (OutputStream o = Files.newOutputStream(dir.resolve(INDEX_FILE))) {
                o.write(idx.array());
            }
        }
    }

    private static final class Reader {
        private final ByteBuffer buf;
        private int pos;

        Reader(ByteBuffer buf, int pos) {
            this.buf = buf;
            this.pos = pos;
        }

        int varint() {
            int shift = 0;
            int v = 0;
            while (true) {
                byte b = buf.get(pos++);
                v |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
                shift += 7;
            }
        }

        void skip() {
            int len = varint();
            pos += len;
        }

        String string() {
            int len = varint();
            byte[] b = new byte[len];
            buf.get(pos, b);
            pos += len;
            return new String(b, StandardCharsets.UTF_8);
        }
    }
}

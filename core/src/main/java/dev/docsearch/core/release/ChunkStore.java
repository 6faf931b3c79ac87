package dev.docsearch.core.release;

import dev.docsearch.core.model.Chunk;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.store.ChecksumIndexInput;
import org.apache.lucene.store.DataInput;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.store.NIOFSDirectory;
import org.apache.lucene.util.IOUtils;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The release's chunk metadata and texts, read by ordinal (the id shared by the FAISS and Lucene indexes).
 *
 * <p>Two files, each with a Lucene {@link CodecUtil} header (codec name and format version) and checksum footer:
 * {@code chunks.dat} holds the records back to back ({@code DataOutput} strings and vInts), {@code chunks.idx} the
 * chunk count and one offset per chunk, plus the end. The data file is memory-mapped ({@link MMapDirectory}), so
 * opening costs nothing and only the chunks a query touches are decoded; the offsets (8 bytes a chunk) are read
 * onto the heap at open, with their checksum verified. Thread-safe: each read works on its own clone of the
 * mapped input.
 *
 * <p>Format 2 added each chunk's section anchor. A release written in format 1 (which had no codec header) is refused
 * with a {@link CorruptIndexException} ("codec header mismatch"), and one of a newer format with
 * {@link org.apache.lucene.index.IndexFormatTooNewException}: rebuild it ({@code docsearch update}; the embedding
 * cache keeps that from re-embedding).
 */
public final class ChunkStore implements Closeable {

    public static final String DATA_FILE = "chunks.dat";
    public static final String INDEX_FILE = "chunks.idx";
    private static final String DATA_CODEC = "DocsearchChunkData";
    private static final String INDEX_CODEC = "DocsearchChunkIndex";
    static final int VERSION = 2;

    private final IndexInput data;
    private final long[] offsets;
    private volatile boolean closed;

    private ChunkStore(IndexInput data, long[] offsets) {
        this.data = data;
        this.offsets = offsets;
    }

    /**
     * Opens the store in a release directory.
     *
     * @throws IOException if either file is missing, of another format or version, truncated, or (the offsets)
     *                     fails its checksum; the data's checksum is left to the release's SHA-256 verification
     */
    public static ChunkStore open(Path dir) throws IOException {
        try (MMapDirectory directory = new MMapDirectory(dir)) {
            long[] offsets = readOffsets(directory);
            IndexInput data = directory.openInput(DATA_FILE, IOContext.DEFAULT);
            boolean opened = false;
            try {
                CodecUtil.checkHeader(data, DATA_CODEC, VERSION, VERSION);
                CodecUtil.retrieveChecksum(data); // a footer where it belongs, or "file truncated?"
                long end = data.length() - CodecUtil.footerLength();
                if (offsets[offsets.length - 1] != end) {
                    throw new CorruptIndexException("truncated or corrupt: " + INDEX_FILE + " says the chunks end at "
                            + offsets[offsets.length - 1] + ", they end at " + end, data);
                }
                opened = true;
                return new ChunkStore(data, offsets);
            } finally {
                if (!opened) {
                    IOUtils.closeWhileHandlingException(data);
                }
            }
        }
    }

    private static long[] readOffsets(FSDirectory directory) throws IOException {
        try (ChecksumIndexInput in = directory.openChecksumInput(INDEX_FILE, IOContext.READONCE)) {
            CodecUtil.checkHeader(in, INDEX_CODEC, VERSION, VERSION);
            long count = in.readVLong();
            if (count < 0 || count >= Integer.MAX_VALUE
                    || in.getFilePointer() + (count + 1) * Long.BYTES + CodecUtil.footerLength() != in.length()) {
                throw new CorruptIndexException("truncated or corrupt: the header says " + count + " chunks, the file"
                        + " has " + in.length() + " bytes", in);
            }
            long[] offsets = new long[(int) count + 1];
            for (int i = 0; i < offsets.length; i++) {
                offsets[i] = in.readLong();
            }
            CodecUtil.checkFooter(in);
            return offsets;
        }
    }

    public int size() {
        return offsets.length - 1;
    }

    /** The chunk at an ordinal in [0, size). */
    public Chunk get(int ordinal) {
        try {
            IndexInput in = at(ordinal);
            String id = in.readString();
            String pageId = in.readString();
            String url = in.readString();
            String title = in.readString();
            String guide = in.readString();
            int sections = in.readVInt();
            List<String> path = new ArrayList<>(sections);
            for (int i = 0; i < sections; i++) {
                path.add(in.readString());
            }
            String text = in.readString();
            String anchor = in.readString();
            return new Chunk(id, pageId, url, title, guide, path, text, anchor);
        } catch (IOException e) {
            throw new IllegalStateException("chunk " + ordinal + " cannot be read from " + DATA_FILE + ": " + e, e);
        }
    }

    /**
     * The page and guide of the chunk at an ordinal, without decoding the rest of it: what ranking needs to
     * fold a few hundred candidate chunks into pages, at a fraction of the cost of {@link #get}.
     */
    public ChunkPage page(int ordinal) {
        try {
            IndexInput in = at(ordinal);
            skipString(in); // id
            String pageId = in.readString();
            skipString(in); // url
            skipString(in); // title
            return new ChunkPage(pageId, in.readString());
        } catch (IOException e) {
            throw new IllegalStateException("chunk " + ordinal + " cannot be read from " + DATA_FILE + ": " + e, e);
        }
    }

    private static void skipString(DataInput in) throws IOException {
        in.skipBytes(in.readVInt());
    }

    /** A clone of the mapped data (inputs are not thread-safe; clones are cheap) positioned at a chunk. */
    private IndexInput at(int ordinal) throws IOException {
        if (closed) {
            throw new IllegalStateException("chunk store is closed");
        }
        if (ordinal < 0 || ordinal >= size()) {
            throw new IndexOutOfBoundsException("chunk ordinal " + ordinal + " outside [0, " + size() + ")");
        }
        IndexInput in = data.clone();
        in.seek(offsets[ordinal]);
        return in;
    }

    /** The page a chunk belongs to, and that page's guide. */
    public record ChunkPage(String pageId, String guide) {
    }

    /**
     * Unmaps the data now rather than at some later GC, so a release that was swapped out lets go of its files
     * (on NFS an open mapping pins the old file). The caller guarantees no reader is still inside {@link #get}
     * (the service closes a release only when its last request is done).
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        data.close();
    }

    /** Writes a chunk store; chunks must be appended in ordinal order. */
    public static final class Writer implements AutoCloseable {
        private final FSDirectory directory;
        private final IndexOutput data;
        private final List<Long> offsets = new ArrayList<>();
        private boolean closed;

        public Writer(Path dir) throws IOException {
            this.directory = new NIOFSDirectory(dir);
            IndexOutput out = null;
            try {
                out = directory.createOutput(DATA_FILE, IOContext.DEFAULT);
                CodecUtil.writeHeader(out, DATA_CODEC, VERSION);
            } catch (IOException | RuntimeException e) {
                IOUtils.closeWhileHandlingException(out, directory);
                throw e;
            }
            this.data = out;
        }

        public void add(Chunk c) throws IOException {
            offsets.add(data.getFilePointer());
            data.writeString(c.id());
            data.writeString(c.pageId());
            data.writeString(c.url());
            data.writeString(c.title());
            data.writeString(c.guide());
            data.writeVInt(c.sectionPath().size());
            for (String s : c.sectionPath()) {
                data.writeString(s);
            }
            data.writeString(c.text());
            data.writeString(c.anchor());
        }

        public int count() {
            return offsets.size();
        }

        /** Writes the footer and the offsets; later calls do nothing. */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try (directory; data) {
                long end = data.getFilePointer();
                CodecUtil.writeFooter(data);
                try (IndexOutput index = directory.createOutput(INDEX_FILE, IOContext.DEFAULT)) {
                    CodecUtil.writeHeader(index, INDEX_CODEC, VERSION);
                    index.writeVLong(offsets.size());
                    for (long o : offsets) {
                        index.writeLong(o);
                    }
                    index.writeLong(end);
                    CodecUtil.writeFooter(index);
                }
            }
        }
    }
}

package dev.docsearch.pipeline.sink;

import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real S3-compatible server on loopback: S3Proxy (Jetty, the S3 REST API with SigV4) over jclouds' in-memory
 * blob store. Every object the server stores is noted, in the order it was stored, so tests can check what a
 * client wrote when.
 */
public final class LoopbackS3 implements AutoCloseable {

    public static final String ACCESS_KEY = "AKIDLOOPBACKTEST";
    public static final String SECRET_KEY = "loopback-secret";

    private final BlobStoreContext context;
    private final S3Proxy proxy;
    private final List<String> stored = new CopyOnWriteArrayList<>();

    public LoopbackS3() throws Exception {
        context = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .buildView(BlobStoreContext.class);
        BlobStore real = context.getBlobStore();
        BlobStore observed = (BlobStore) Proxy.newProxyInstance(BlobStore.class.getClassLoader(),
                new Class<?>[]{BlobStore.class}, (self, method, args) -> {
                    try {
                        Object result = method.invoke(real, args);
                        if (method.getName().equals("putBlob") && args != null && args.length >= 2
                                && args[1] instanceof Blob blob) {
                            stored.add(blob.getMetadata().getName());
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        proxy = S3Proxy.builder().blobStore(observed).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .v4MaxNonChunkedRequestSize(512L * 1024 * 1024)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!AbstractLifeCycle.STARTED.equals(proxy.getState()) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** Keys stored so far, in order. */
    public List<String> stored() {
        return List.copyOf(stored);
    }

    public void clearStored() {
        stored.clear();
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop: " + e, e);
        } finally {
            context.close();
        }
    }
}

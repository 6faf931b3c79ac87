/**
 * FAISS for Java: {@link dev.docsearch.faiss.FaissIndex} over a small JNI shim linked statically
 * against Debian's FAISS 1.7.3 and OpenBLAS, shipped inside this jar as
 * {@code native/linux-x86_64/libfaissjni.so} and loaded at first use.
 *
 * <p>Values crossing the boundary are plain arrays: vectors are row-major {@code float[]},
 * results are {@link dev.docsearch.faiss.SearchResult}s of scores and sequential ids.
 * FAISS's own errors arrive as {@link dev.docsearch.faiss.FaissException}.
 */
package dev.docsearch.faiss;

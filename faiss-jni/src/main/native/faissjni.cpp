// JNI shim over the FAISS C++ API for dev.docsearch.faiss.FaissNative.
//
// Every entry point runs its body inside guard(): any C++ exception (faiss::FaissException,
// std::bad_alloc from a corrupt size field, ...) becomes a pending Java FaissException, because an
// exception unwinding into the JVM kills it. Lengths that Java already checked are checked again
// here: a wrong length would otherwise be an out-of-bounds read, not an exception.

#include "dev_docsearch_faiss_FaissNative.h"

#include <faiss/AutoTune.h>
#include <faiss/IVFlib.h>
#include <faiss/IndexIVF.h>
#include <faiss/Index.h>
#include <faiss/impl/FaissException.h>
#include <faiss/index_factory.h>
#include <faiss/index_io.h>
#include <faiss/invlists/OnDiskInvertedLists.h>
#include <faiss/utils/distances.h>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <limits>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

static_assert(sizeof(jlong) == sizeof(faiss::Index::idx_t), "FAISS ids must be 64-bit like jlong");

// Added vectors cross from the Java array in chunks of this many floats (16 MB), so a large add
// needs neither a full native copy nor a GC-blocking critical section.
constexpr int64_t kAddChunkFloats = int64_t(4) << 20;

jclass faissExceptionClass = nullptr;

// Indexes handed to Java and not yet freed; lets tests prove that close and the Cleaner free each
// index exactly once.
std::atomic<int64_t> liveIndexes{0};

void throwFaissException(JNIEnv* env, const std::string& message) {
    if (env->ExceptionCheck()) {
        return;  // a Java exception is already pending and says more
    }
    env->ThrowNew(faissExceptionClass, message.c_str());
}

template <typename Body>
void guard(JNIEnv* env, const std::string& operation, Body&& body) {
    try {
        body();
    } catch (const faiss::FaissException& e) {
        throwFaissException(env, operation + ": " + e.what());
    } catch (const std::bad_alloc& e) {
        throwFaissException(env, operation + ": out of native memory (std::bad_alloc)");
    } catch (const std::exception& e) {
        throwFaissException(env, operation + ": " + e.what());
    } catch (...) {
        throwFaissException(env, operation + ": unknown C++ exception");
    }
}

faiss::Index* indexOf(jlong handle) {
    if (handle == 0) {
        throw std::invalid_argument("null index handle");
    }
    return reinterpret_cast<faiss::Index*>(handle);
}

std::string stringOf(JNIEnv* env, jbyteArray bytes) {
    if (bytes == nullptr) {
        throw std::invalid_argument("null string");
    }
    jsize length = env->GetArrayLength(bytes);
    std::string text(static_cast<size_t>(length), '\0');
    env->GetByteArrayRegion(bytes, 0, length, reinterpret_cast<jbyte*>(text.data()));
    return text;
}

int64_t rowsOf(JNIEnv* env, jfloatArray vectors, const faiss::Index* index) {
    if (vectors == nullptr) {
        throw std::invalid_argument("null vector array");
    }
    int64_t length = env->GetArrayLength(vectors);
    if (length % index->d != 0) {
        throw std::invalid_argument(std::to_string(length) + " floats is not a multiple of dimension " +
                                    std::to_string(index->d));
    }
    return length / index->d;
}

// The inverted lists of an IVF index read with IO_FLAG_MMAP (a read-only mapping of the file), or null.
faiss::OnDiskInvertedLists* mappedListsOf(faiss::Index* index) {
    faiss::IndexIVF* ivf = faiss::ivflib::try_extract_index_ivf(index);
    if (ivf == nullptr) {
        return nullptr;
    }
    auto* onDisk = dynamic_cast<faiss::OnDiskInvertedLists*>(ivf->invlists);
    return onDisk != nullptr && onDisk->read_only ? onDisk : nullptr;
}

// FAISS 1.7.3 maps the file without checking that the lists fit in it; a truncated file would
// read past the mapping at search time (SIGBUS). Each list holds size codes then size ids.
void requireMappedListsInsideFile(faiss::Index* index) {
    faiss::OnDiskInvertedLists* lists = mappedListsOf(index);
    if (lists == nullptr) {
        return;
    }
    const size_t entryBytes = lists->code_size + sizeof(faiss::Index::idx_t);
    size_t end = 0;
    for (const faiss::OnDiskOneList& list : lists->lists) {
        size_t listBytes = 0;
        size_t listEnd = 0;
        // A corrupt size field must not wrap around and pass the check.
        if (__builtin_mul_overflow(list.size, entryBytes, &listBytes) ||
            __builtin_add_overflow(list.offset, listBytes, &listEnd)) {
            throw std::runtime_error("corrupt file: an inverted list size overflows");
        }
        end = std::max(end, listEnd);
    }
    if (end > lists->totsize) {
        throw std::runtime_error("truncated file: its inverted lists end at byte " + std::to_string(end) +
                                 " but the file has " + std::to_string(lists->totsize) + " bytes");
    }
}

// Checked here because FAISS 1.7.3 does not check it before an IVF search: the empty coarse
// quantizer yields uninitialised list numbers (its BLAS path writes nothing for an empty index), FAISS throws inside an OpenMP region, and std::terminate
// ends the JVM.
void requireTrained(const faiss::Index* index) {
    if (!index->is_trained) {
        throw std::runtime_error("the index is not trained (is_trained is false): train it first");
    }
}

void useThreads(jint threads) {
    omp_set_num_threads(std::max<jint>(1, threads));
}

}  // namespace

extern "C" {

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM* vm, void*) {
    JNIEnv* env = nullptr;
    if (vm->GetEnv(reinterpret_cast<void**>(&env), JNI_VERSION_1_8) != JNI_OK) {
        return JNI_ERR;
    }
    jclass local = env->FindClass("dev/docsearch/faiss/FaissException");
    if (local == nullptr) {
        return JNI_ERR;
    }
    faissExceptionClass = static_cast<jclass>(env->NewGlobalRef(local));
    env->DeleteLocalRef(local);
    // Debian's libfaiss.a is the generic (non-AVX2) build; only its BLAS path reaches OpenBLAS's
    // run-time selected AVX2 kernels. Threshold 1 sends every query, even a single one, that way.
    faiss::distance_compute_blas_threshold = 1;
    return JNI_VERSION_1_8;
}

JNIEXPORT jstring JNICALL Java_dev_docsearch_faiss_FaissNative_faissVersion(JNIEnv* env, jclass) {
    std::string version = std::to_string(FAISS_VERSION_MAJOR) + "." + std::to_string(FAISS_VERSION_MINOR) + "." +
                          std::to_string(FAISS_VERSION_PATCH);
    return env->NewStringUTF(version.c_str());
}

JNIEXPORT jint JNICALL Java_dev_docsearch_faiss_FaissNative_distanceComputeBlasThreshold(JNIEnv*, jclass) {
    return faiss::distance_compute_blas_threshold;
}

JNIEXPORT jint JNICALL Java_dev_docsearch_faiss_FaissNative_ompMaxThreads(JNIEnv*, jclass) {
    return omp_get_max_threads();
}

JNIEXPORT jlong JNICALL Java_dev_docsearch_faiss_FaissNative_liveIndexes(JNIEnv*, jclass) {
    return liveIndexes.load();
}

JNIEXPORT jlong JNICALL Java_dev_docsearch_faiss_FaissNative_create(JNIEnv* env, jclass, jint dimension,
                                                                     jbyteArray factory, jint metric) {
    std::string description;
    guard(env, "index_factory", [&] { description = stringOf(env, factory); });
    if (env->ExceptionCheck()) {
        return 0;
    }
    jlong handle = 0;
    guard(env, "index_factory(" + std::to_string(dimension) + ", \"" + description + "\")", [&] {
        handle = reinterpret_cast<jlong>(
                faiss::index_factory(dimension, description.c_str(), static_cast<faiss::MetricType>(metric)));
        ++liveIndexes;
    });
    return handle;
}

JNIEXPORT jlong JNICALL Java_dev_docsearch_faiss_FaissNative_read(JNIEnv* env, jclass, jbyteArray path,
                                                                   jboolean mmap) {
    std::string file;
    guard(env, "read_index", [&] { file = stringOf(env, path); });
    if (env->ExceptionCheck()) {
        return 0;
    }
    jlong handle = 0;
    guard(env, "read_index(" + file + ")", [&] {
        std::unique_ptr<faiss::Index> index(faiss::read_index(file.c_str(), mmap ? faiss::IO_FLAG_MMAP : 0));
        requireMappedListsInsideFile(index.get());
        if (faiss::OnDiskInvertedLists* mapped = mappedListsOf(index.get())) {
            // By default every IVF search on mapped lists starts up to 32 threads to pre-read the
            // probed lists, serialised by one mutex across concurrent searches; a server's
            // concurrent queries do better faulting in the pages themselves.
            mapped->prefetch_nthread = 0;
        }
        handle = reinterpret_cast<jlong>(index.release());
        ++liveIndexes;
    });
    return handle;
}

JNIEXPORT void JNICALL Java_dev_docsearch_faiss_FaissNative_free(JNIEnv* env, jclass, jlong handle) {
    guard(env, "free", [&] {
        delete indexOf(handle);
        --liveIndexes;
    });
}

JNIEXPORT jint JNICALL Java_dev_docsearch_faiss_FaissNative_dimension(JNIEnv* env, jclass, jlong handle) {
    jint d = 0;
    guard(env, "dimension", [&] { d = static_cast<jint>(indexOf(handle)->d); });
    return d;
}

JNIEXPORT jint JNICALL Java_dev_docsearch_faiss_FaissNative_metric(JNIEnv* env, jclass, jlong handle) {
    jint metric = 0;
    guard(env, "metric", [&] { metric = static_cast<jint>(indexOf(handle)->metric_type); });
    return metric;
}

JNIEXPORT jlong JNICALL Java_dev_docsearch_faiss_FaissNative_ntotal(JNIEnv* env, jclass, jlong handle) {
    jlong ntotal = 0;
    guard(env, "ntotal", [&] { ntotal = static_cast<jlong>(indexOf(handle)->ntotal); });
    return ntotal;
}

JNIEXPORT jboolean JNICALL Java_dev_docsearch_faiss_FaissNative_isTrained(JNIEnv* env, jclass, jlong handle) {
    jboolean trained = JNI_FALSE;
    guard(env, "is_trained", [&] { trained = indexOf(handle)->is_trained ? JNI_TRUE : JNI_FALSE; });
    return trained;
}

JNIEXPORT void JNICALL Java_dev_docsearch_faiss_FaissNative_train(JNIEnv* env, jclass, jlong handle,
                                                                   jfloatArray vectors, jint threads) {
    guard(env, "train", [&] {
        faiss::Index* index = indexOf(handle);
        int64_t n = rowsOf(env, vectors, index);
        // Training needs every vector at once; copy rather than pin the array for the whole run.
        std::vector<float> copy(static_cast<size_t>(n * index->d));
        env->GetFloatArrayRegion(vectors, 0, static_cast<jsize>(copy.size()), copy.data());
        useThreads(threads);
        index->train(n, copy.data());
    });
}

JNIEXPORT void JNICALL Java_dev_docsearch_faiss_FaissNative_add(JNIEnv* env, jclass, jlong handle,
                                                                 jfloatArray vectors, jint threads) {
    guard(env, "add", [&] {
        faiss::Index* index = indexOf(handle);
        // FAISS checks this too, but inside an OpenMP region, where its exception cannot be caught
        // and std::terminate ends the JVM.
        if (mappedListsOf(index) != nullptr) {
            throw std::runtime_error(
                    "the index was read with mmap=true, so its inverted lists are a read-only mapping of the "
                    "file; read it with mmap=false to add vectors");
        }
        requireTrained(index);
        const int64_t d = index->d;
        const int64_t n = rowsOf(env, vectors, index);
        const int64_t chunkRows = std::max<int64_t>(1, kAddChunkFloats / d);
        std::vector<float> chunk(static_cast<size_t>(std::min(n, chunkRows) * d));
        useThreads(threads);
        for (int64_t first = 0; first < n; first += chunkRows) {
            const int64_t rows = std::min(chunkRows, n - first);
            env->GetFloatArrayRegion(vectors, static_cast<jsize>(first * d), static_cast<jsize>(rows * d),
                                     chunk.data());
            index->add(rows, chunk.data());
        }
    });
}

JNIEXPORT void JNICALL Java_dev_docsearch_faiss_FaissNative_search(JNIEnv* env, jclass, jlong handle,
                                                                    jfloatArray queries, jint n, jint k,
                                                                    jfloatArray scores, jlongArray ids,
                                                                    jint threads) {
    guard(env, "search", [&] {
        faiss::Index* index = indexOf(handle);
        if (n < 0 || k < 1 || queries == nullptr || scores == nullptr || ids == nullptr) {
            throw std::invalid_argument("invalid search arguments");
        }
        const int64_t queryFloats = int64_t(n) * index->d;
        const int64_t hits = int64_t(n) * k;
        if (env->GetArrayLength(queries) < queryFloats || env->GetArrayLength(scores) < hits ||
            env->GetArrayLength(ids) < hits) {
            throw std::invalid_argument("search arrays are shorter than n*d and n*k");
        }
        std::vector<float> q(static_cast<size_t>(queryFloats));
        env->GetFloatArrayRegion(queries, 0, static_cast<jsize>(queryFloats), q.data());
        // Pre-filled with FAISS's own "no hit" values: on an empty index the BLAS path returns
        // without touching the output at all, which would otherwise leave zeros (id 0) behind.
        const float noHit = index->metric_type == faiss::METRIC_INNER_PRODUCT ? -std::numeric_limits<float>::max()
                                                                              : std::numeric_limits<float>::max();
        std::vector<float> distances(static_cast<size_t>(hits), noHit);
        std::vector<faiss::Index::idx_t> labels(static_cast<size_t>(hits), -1);
        requireTrained(index);
        // Skipping an empty index is not only quicker: FAISS's BLAS path leaves results unwritten.
        if (index->ntotal > 0 && n > 0) {
            useThreads(threads);
            index->search(n, q.data(), k, distances.data(), labels.data());
        }
        env->SetFloatArrayRegion(scores, 0, static_cast<jsize>(hits), distances.data());
        env->SetLongArrayRegion(ids, 0, static_cast<jsize>(hits), reinterpret_cast<const jlong*>(labels.data()));
    });
}

JNIEXPORT void JNICALL Java_dev_docsearch_faiss_FaissNative_setParameter(JNIEnv* env, jclass, jlong handle,
                                                                          jbyteArray name, jdouble value) {
    std::string parameter;
    guard(env, "set_index_parameter", [&] { parameter = stringOf(env, name); });
    if (env->ExceptionCheck()) {
        return;
    }
    guard(env, "set_index_parameter(" + parameter + ", " + std::to_string(value) + ")", [&] {
        faiss::ParameterSpace().set_index_parameter(indexOf(handle), parameter, value);
    });
}

JNIEXPORT void JNICALL Java_dev_docsearch_faiss_FaissNative_write(JNIEnv* env, jclass, jlong handle,
                                                                   jbyteArray path) {
    std::string file;
    guard(env, "write_index", [&] { file = stringOf(env, path); });
    if (env->ExceptionCheck()) {
        return;
    }
    guard(env, "write_index(" + file + ")", [&] {
        faiss::Index* index = indexOf(handle);
        // FAISS would write a small file that points at the mapped original instead of holding the lists.
        if (mappedListsOf(index) != nullptr) {
            throw std::runtime_error(
                    "the index was read with mmap=true, so its inverted lists stay in the original file; "
                    "copy that file, or read it with mmap=false to write it");
        }
        faiss::write_index(index, file.c_str());
    });
}

}  // extern "C"

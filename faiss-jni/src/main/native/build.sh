#!/usr/bin/env bash
# Builds libfaissjni.so: the JNI shim linked against Debian's static FAISS and static OpenBLAS, so
# that a host needs nothing but glibc >= 2.17 (<= 2.35 symbol versions) and libgomp1.
# Called by Maven (exec-maven-plugin, process-classes) after javac has written the JNI header.
#
# usage: build.sh <java-home> <jni-header-dir> <output-dir> <work-dir>
#   output-dir receives libfaissjni.so and libfaissjni.so.sha256 (packed into the jar)
#   work-dir holds objects and the inputs stamp that makes a rebuild with unchanged inputs a no-op
set -euo pipefail

if [ $# -ne 4 ]; then
  echo "usage: $0 <java-home> <jni-header-dir> <output-dir> <work-dir>" >&2
  exit 2
fi
java_home=$1
header_dir=$2
output_dir=$3
work_dir=$4
source_dir=$(cd "$(dirname "$0")" && pwd)

log() { echo "faiss-jni native: $*"; }
fail() {
  echo "faiss-jni native build FAILED: $*" >&2
  echo "faiss-jni native build: install the build dependencies with scripts/install-deps" \
    "(Debian 12 packages libfaiss-dev, libopenblas-openmp-dev, g++)" >&2
  exit 1
}

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) fail "only linux-x86_64 is supported, this host is $(uname -s)-$(uname -m)" ;;
esac

command -v g++ >/dev/null || fail "g++ not found"
multiarch_lib=/usr/lib/x86_64-linux-gnu
faiss_a=$multiarch_lib/libfaiss.a
openblas_a=$multiarch_lib/openblas-openmp/libopenblas.a
jni_h=$java_home/include/jni.h
generated_h=$header_dir/dev_docsearch_faiss_FaissNative.h

[ -f "$faiss_a" ] || fail "$faiss_a is missing (package libfaiss-dev)"
[ -f /usr/include/faiss/Index.h ] || fail "/usr/include/faiss/Index.h is missing (package libfaiss-dev)"
[ -f "$openblas_a" ] || fail "$openblas_a is missing (package libopenblas-openmp-dev)"
[ -f "$jni_h" ] || fail "$jni_h is missing: java.home $java_home is not a JDK"
[ -f "$generated_h" ] || fail "$generated_h is missing: javac -h did not run (compile the module first)"

sources=("$source_dir/faissjni.cpp" "$source_dir/arc4random.c" "$source_dir/gfortran_concat_string.c"
  "$source_dir/exports.map" "$source_dir/build.sh")
library=$output_dir/libfaissjni.so
stamp=$work_dir/inputs.sha256

# Everything that can change the output: our sources, the generated header, the static libraries
# (path, size, mtime) and the compiler. The static link is slow, so unchanged inputs skip it.
inputs=$( {
  sha256sum "${sources[@]}" "$generated_h" | awk '{print $1}'
  stat -c '%n %s %Y' "$faiss_a" "$openblas_a" "$jni_h"
  g++ --version | head -1
} | sha256sum | awk '{print $1}')

if [ -f "$library" ] && [ -f "$library.sha256" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$inputs" ]; then
  log "libfaissjni.so is up to date ($(stat -c %s "$library") bytes), skipping the native build"
  exit 0
fi

start=$(date +%s)
mkdir -p "$work_dir" "$output_dir"
rm -f "$stamp"

cxxflags=(-std=c++17 -O2 -fPIC -fopenmp -fvisibility=hidden -Wall -Wextra
  -I"$header_dir" -I"$java_home/include" -I"$java_home/include/linux")
g++ "${cxxflags[@]}" -c "$source_dir/faissjni.cpp" -o "$work_dir/faissjni.o"
for c_source in arc4random gfortran_concat_string; do
  gcc -std=gnu11 -O2 -fPIC -fvisibility=hidden -Wall -Wextra -c "$source_dir/$c_source.c" -o "$work_dir/$c_source.o"
done

# Static FAISS, OpenBLAS (with its LAPACK; its one libgfortran need is gfortran_concat_string.c),
# libstdc++ and libgcc; only libgomp stays shared (it cannot be linked statically into a .so).
# --exclude-libs and the version script keep every symbol of those archives private.
g++ -shared -o "$work_dir/libfaissjni.so" \
  "$work_dir/faissjni.o" "$work_dir/arc4random.o" "$work_dir/gfortran_concat_string.o" \
  -Wl,--version-script="$source_dir/exports.map" \
  -Wl,--exclude-libs,ALL \
  -Wl,--no-undefined \
  -Wl,--as-needed \
  -Wl,-O1 \
  -Wl,--strip-all \
  "$faiss_a" "$openblas_a" \
  -static-libstdc++ -static-libgcc -fopenmp -lm -lpthread -ldl

needed=$(objdump -p "$work_dir/libfaissjni.so" | awk '/NEEDED/ {print $2}' | tr '\n' ' ')
max_glibc=$(objdump -T "$work_dir/libfaissjni.so" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)

# Publish atomically: a half-copied library in target/classes would be packed into the jar.
cp "$work_dir/libfaissjni.so" "$library.part"
mv -f "$library.part" "$library"
(cd "$output_dir" && sha256sum libfaissjni.so > libfaissjni.so.sha256)
echo "$inputs" > "$stamp"

log "built libfaissjni.so ($(stat -c %s "$library") bytes) in $(($(date +%s) - start)) s;" \
  "NEEDED: ${needed}; highest symbol version: ${max_glibc}"

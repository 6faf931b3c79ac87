// Static OpenBLAS's LAPACK (Fortran) calls one libgfortran helper, _gfortran_concat_string, for
// string concatenation in its error paths. libgfortran.a cannot go into a shared object (its TLS
// uses the local-exec model), and linking the shared libgfortran would put libgfortran and
// libquadmath on every host; so the helper is defined here, hidden, with libgfortran's semantics
// (GCC >= 8 ABI: lengths are size_t): dest = s1 // s2, truncated or blank-padded to destlen.
#include <stddef.h>
#include <string.h>

__attribute__((visibility("hidden"))) void _gfortran_concat_string(size_t destlen, char* dest, size_t len1,
                                                                    const char* s1, size_t len2, const char* s2) {
    if (len1 >= destlen) {
        memcpy(dest, s1, destlen);
        return;
    }
    memcpy(dest, s1, len1);
    dest += len1;
    destlen -= len1;
    if (len2 >= destlen) {
        memcpy(dest, s2, destlen);
        return;
    }
    memcpy(dest, s2, len2);
    memset(dest + len2, ' ', destlen - len2);
}

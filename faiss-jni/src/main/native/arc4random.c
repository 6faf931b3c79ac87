// GCC 12's static libstdc++ (std::random_device) calls arc4random, which glibc added in 2.36.
// Linked statically, that reference would make the whole library need GLIBC_2.36; this hidden
// definition satisfies it inside the library, so hosts with glibc 2.35 (Ubuntu 22.04) can load it.
// stdlib.h is deliberately not included: glibc 2.36 declares arc4random there with default visibility.
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/random.h>
#include <unistd.h>

static int read_urandom(void* buffer, size_t length) {
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    size_t done = 0;
    while (done < length) {
        ssize_t got = read(fd, (char*)buffer + done, length - done);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            close(fd);
            return -1;
        }
        done += (size_t)got;
    }
    close(fd);
    return 0;
}

__attribute__((visibility("hidden"))) uint32_t arc4random(void) {
    uint32_t value = 0;
    size_t done = 0;
    while (done < sizeof value) {
        ssize_t got = getrandom((char*)&value + done, sizeof value - done, 0);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {  // kernel without getrandom (before 3.17)
            if (read_urandom(&value, sizeof value) != 0) {
                __builtin_trap();
            }
            return value;
        }
        done += (size_t)got;
    }
    return value;
}

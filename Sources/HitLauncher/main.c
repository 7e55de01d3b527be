// `hit`: the first instant of the process. A load tester promises that Ctrl-C or SIGTERM, whenever
// it comes, ends the run with its partial report and status 130. The Swift program takes several
// milliseconds to load its libraries before it can catch a signal, and a signal in that window
// would kill it outright. This launcher, which loads nothing but the C library, blocks those
// signals at once and runs `hit-core` beside it: a blocked signal stays pending across exec, and
// hit-core catches it as soon as it unblocks them.
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static sigset_t stop_signals;

/// Runs before any other initialiser of this (statically linked) program: the earliest moment a
/// process can act on its signals.
__attribute__((constructor(101))) static void block_stop_signals(void) {
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGHUP);
    sigaddset(&stop_signals, SIGQUIT);
    sigprocmask(SIG_BLOCK, &stop_signals, NULL);
}

int main(int argc, char **argv) {
    static const char core[] = "hit-core";
    char path[PATH_MAX];
    ssize_t length = readlink("/proc/self/exe", path, sizeof path - sizeof core - 1);
    if (length > 0) {
        path[length] = '\0';
        char *slash = strrchr(path, '/');
        if (slash != NULL) {
            strcpy(slash + 1, core);
            execv(path, argv);
        }
    }
    int error = errno;
    sigprocmask(SIG_UNBLOCK, &stop_signals, NULL);
    fprintf(stderr, "hit: cannot run %s: %s (hit-core must be installed beside hit)\n", length > 0 ? path : core, strerror(error));
    return 70;
}

/// The launcher is linked statically, and the Swift runtime that the build links into every
/// executable refers to dlopen, which a static program cannot use. No Swift code runs here: this
/// stands in for it (linked with --wrap=dlopen), so that nothing is ever loaded.
void *__wrap_dlopen(const char *file, int mode) {
    (void)file;
    (void)mode;
    return NULL;
}

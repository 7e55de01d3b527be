#define _GNU_SOURCE
#include "CHitSignals.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int signal_pipe[2] = {-1, -1};
static volatile sig_atomic_t signals_caught = 0;
static volatile sig_atomic_t reporting = 0;

static void on_signal(int number) {
    int saved = errno;
    signals_caught += 1;
    if (signals_caught >= 2 && !reporting) _exit(130);
    unsigned char byte = (unsigned char)number;
    (void)!write(signal_pipe[1], &byte, 1);
    errno = saved;
}

int hit_signals_install(void) {
    if (pipe2(signal_pipe, O_CLOEXEC) != 0) return -1;
    static const int numbers[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    action.sa_flags = SA_RESTART;
    sigfillset(&action.sa_mask);
    sigset_t set;
    sigemptyset(&set);
    for (unsigned i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        if (sigaction(numbers[i], &action, NULL) != 0) return -1;
        sigaddset(&set, numbers[i]);
    }
    return pthread_sigmask(SIG_UNBLOCK, &set, NULL) == 0 ? 0 : -1;
}

int hit_signals_next(void) {
    if (signal_pipe[0] < 0) return -1;
    unsigned char byte;
    for (;;) {
        ssize_t n = read(signal_pipe[0], &byte, 1);
        if (n == 1) return byte;
        if (n < 0 && errno == EINTR) continue;
        return -1;
    }
}


void hit_signals_begin_report(void) {
    reporting = 1;
}

int hit_signals_others_at_work(long long *cpu_ns) {
    DIR *tasks = opendir("/proc/self/task");
    if (tasks == NULL) return -1;
    long self = (long)syscall(SYS_gettid);
    int runnable = 0;
    long long cpu = 0;
    struct dirent *entry;
    while ((entry = readdir(tasks)) != NULL) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
        if (strtol(entry->d_name, NULL, 10) == self) continue;
        char path[64], text[512];
        snprintf(path, sizeof path, "/proc/self/task/%s/stat", entry->d_name);
        FILE *file = fopen(path, "re");
        if (file == NULL) continue;  // a thread that has just ended
        size_t length = fread(text, 1, sizeof text - 1, file);
        fclose(file);
        text[length] = 0;
        // "TID (NAME) STATE ...": the name may hold spaces and parentheses, the state follows the last ')'.
        char *close = strrchr(text, ')');
        if (close != NULL && close[1] == ' ' && close[2] == 'R') runnable += 1;
        snprintf(path, sizeof path, "/proc/self/task/%s/schedstat", entry->d_name);
        file = fopen(path, "re");
        if (file == NULL) continue;
        unsigned long long running = 0;
        if (fscanf(file, "%llu", &running) == 1) cpu += (long long)running;
        fclose(file);
    }
    closedir(tasks);
    *cpu_ns = cpu;
    return runnable;
}

void hit_signals_name_thread(void) {
    pthread_setname_np(pthread_self(), "hit.signals");
}

/*
 * The floor of the engine's own shape: N requests from C connections through libcurl on one
 * thread, the transfers split over multi handles of at most PER_HANDLE each (default 100), every
 * socket of every handle in one epoll through CURLMOPT_SOCKETFUNCTION, each handle's own timer
 * through CURLMOPT_TIMERFUNCTION, and curl_multi_socket_action on readiness and on each timer.
 * libcurl 7.88 walks a multi handle's connections at every transfer's end, so the cost per request
 * grows with the transfers one handle holds; small handles keep that walk short. It asks libcurl for
 * the same work as curl-floor.c (HTTP/1.1, a 20 s timeout, compressed responses, web protocols),
 * the URL parsed once and no proxy, as curl-floor.c does.
 *
 *   curl-small-handles URL CONCURRENCY REQUESTS [PER_HANDLE]
 *
 * Prints the line curl-floor prints: requests, failed, seconds, rps, bytes.
 */
#include <curl/curl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <time.h>

struct group {
    CURLM *multi;
    int64_t deadline_ns;  /* when its timer fires; -1: not armed */
    int touched;          /* something happened: read its messages */
};

static int epoll_fd;
static struct group *groups;

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static size_t discard(char *data, size_t size, size_t count, void *counter) {
    (void)data;
    *(size_t *)counter += size * count;
    return size * count;
}

/* libcurl says which events a socket of this group's handle waits for. */
static int on_socket(CURL *easy, curl_socket_t socket, int what, void *group_pointer, void *registered) {
    (void)easy;
    struct group *group = group_pointer;
    if (what == CURL_POLL_REMOVE) {
        epoll_ctl(epoll_fd, EPOLL_CTL_DEL, socket, NULL);
        return 0;
    }
    struct epoll_event event = {0};
    event.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0);
    event.data.u64 = ((uint64_t)(group - groups) << 32) | (uint32_t)socket;
    if (registered == NULL) {
        curl_multi_assign(group->multi, socket, (void *)1);
        if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, socket, &event) == 0) return 0;
    }
    epoll_ctl(epoll_fd, EPOLL_CTL_MOD, socket, &event);
    return 0;
}

/* libcurl asks to be called again for this group's handle in `timeout_ms` (-1: never). */
static int on_timer(CURLM *multi, long timeout_ms, void *group_pointer) {
    (void)multi;
    struct group *group = group_pointer;
    group->deadline_ns = timeout_ms < 0 ? -1 : now_ns() + (int64_t)timeout_ms * 1000000;
    return 0;
}

static CURL *make_easy(CURLU *url, size_t *bytes) {
    CURL *easy = curl_easy_init();
    curl_easy_setopt(easy, CURLOPT_CURLU, url);
    curl_easy_setopt(easy, CURLOPT_PROXY, "");
    curl_easy_setopt(easy, CURLOPT_NOPROXY, "");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, bytes);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "curl-small-handles");
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 20000L);
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "gzip");  /* what hit asks for by default */
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    return easy;
}

int main(int argc, char **argv) {
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: curl-small-handles URL CONCURRENCY REQUESTS [PER_HANDLE]\n");
        return 64;
    }
    const char *url = argv[1];
    int concurrency = atoi(argv[2]);
    long requests = atol(argv[3]);
    int per_handle = argc == 5 ? atoi(argv[4]) : 100;
    if (concurrency < 1 || requests < concurrency || per_handle < 1) return 64;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURLU *parsed = curl_url();
    if (!parsed || curl_url_set(parsed, CURLUPART_URL, url, 0) != CURLUE_OK) return 64;
    epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    int group_count = (concurrency + per_handle - 1) / per_handle;
    groups = calloc((size_t)group_count, sizeof *groups);
    for (int g = 0; g < group_count; g++) {
        groups[g].multi = curl_multi_init();
        groups[g].deadline_ns = -1;
        curl_multi_setopt(groups[g].multi, CURLMOPT_SOCKETFUNCTION, on_socket);
        curl_multi_setopt(groups[g].multi, CURLMOPT_SOCKETDATA, &groups[g]);
        curl_multi_setopt(groups[g].multi, CURLMOPT_TIMERFUNCTION, on_timer);
        curl_multi_setopt(groups[g].multi, CURLMOPT_TIMERDATA, &groups[g]);
        curl_multi_setopt(groups[g].multi, CURLMOPT_MAXCONNECTS, (long)per_handle);
    }
    size_t bytes = 0;
    long started = 0, completed = 0, failed = 0;
    int64_t begin = now_ns();
    for (int i = 0; i < concurrency; i++) {
        curl_multi_add_handle(groups[i / per_handle].multi, make_easy(parsed, &bytes));
        started++;
    }
    struct epoll_event events[1024];
    int running = 0;
    while (completed < requests) {
        int64_t now = now_ns(), next = now + 1000000000;
        for (int g = 0; g < group_count; g++) {
            if (groups[g].deadline_ns >= 0 && groups[g].deadline_ns < next) next = groups[g].deadline_ns;
        }
        int timeout_ms = next <= now ? 0 : (int)((next - now + 999999) / 1000000);
        int ready = epoll_wait(epoll_fd, events, 1024, timeout_ms);
        for (int e = 0; e < ready; e++) {
            struct group *group = &groups[events[e].data.u64 >> 32];
            curl_socket_t socket = (curl_socket_t)(uint32_t)events[e].data.u64;
            int flags = ((events[e].events & EPOLLIN) ? CURL_CSELECT_IN : 0) | ((events[e].events & EPOLLOUT) ? CURL_CSELECT_OUT : 0)
                | ((events[e].events & (EPOLLERR | EPOLLHUP)) ? CURL_CSELECT_ERR : 0);
            curl_multi_socket_action(group->multi, socket, flags, &running);
            group->touched = 1;
        }
        now = now_ns();
        for (int g = 0; g < group_count; g++) {
            if (groups[g].deadline_ns >= 0 && groups[g].deadline_ns <= now) {
                groups[g].deadline_ns = -1;
                curl_multi_socket_action(groups[g].multi, CURL_SOCKET_TIMEOUT, 0, &running);
                groups[g].touched = 1;
            }
        }
        for (int g = 0; g < group_count; g++) {
            if (!groups[g].touched) continue;
            groups[g].touched = 0;
            CURLMsg *message;
            int queued;
            while ((message = curl_multi_info_read(groups[g].multi, &queued))) {
                if (message->msg != CURLMSG_DONE) continue;
                CURL *easy = message->easy_handle;
                long status = 0;
                curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
                if (message->data.result != CURLE_OK || status >= 400) failed++;
                completed++;
                curl_multi_remove_handle(groups[g].multi, easy);
                if (started < requests) {
                    curl_multi_add_handle(groups[g].multi, easy);  /* arms its timer: driven on the next turn */
                    started++;
                } else {
                    curl_easy_cleanup(easy);
                }
            }
        }
    }
    double seconds = (now_ns() - begin) / 1e9;
    printf("requests %ld failed %ld seconds %.3f rps %.1f bytes %zu\n", completed, failed, seconds, completed / seconds, bytes);
    for (int g = 0; g < group_count; g++) curl_multi_cleanup(groups[g].multi);
    free(groups);
    curl_url_cleanup(parsed);
    curl_global_cleanup();
    return failed == 0 ? 0 : 1;
}

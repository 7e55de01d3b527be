/*
 * The floor of hit's stack: the least a program can do to send N requests from C connections
 * through libcurl's multi interface, on one thread, bodies counted and discarded. It asks libcurl
 * for the same work hit asks for by default (a 20 s timeout, compressed responses, HTTP/1.1, web
 * protocols only), so that scripts/bench, comparing the two, measures what hit's Swift layers add.
 * As hit does, it parses the URL once (CURLOPT_CURLU: a transfer given the URL as a string parses
 * it again each time, some 10,000 instructions) and decides on no proxy once (libcurl would read
 * the proxy variables of the environment at every transfer).
 *
 *   curl-floor URL CONCURRENCY REQUESTS [h2c]
 *
 * With h2c: HTTP/2 with prior knowledge, every transfer multiplexed on one connection (the
 * CONCURRENCY streams of scripts/bench h2's 1 × 100 row). The first request opens it alone; the
 * others join once it has answered, asking for plain HTTP/2: libcurl 7.88 cannot reuse a
 * connection made with prior knowledge for a transfer that asks for prior knowledge again.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static size_t discard(char *data, size_t size, size_t count, void *counter) {
    (void)data;
    *(size_t *)counter += size * count;
    return size * count;
}

int main(int argc, char **argv) {
    if (argc != 4 && !(argc == 5 && strcmp(argv[4], "h2c") == 0)) {
        fprintf(stderr, "usage: curl-floor URL CONCURRENCY REQUESTS [h2c]\n");
        return 64;
    }
    int h2c = argc == 5;
    const char *url = argv[1];
    int concurrency = atoi(argv[2]);
    long requests = atol(argv[3]);
    if (concurrency < 1 || requests < concurrency) return 64;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURLU *parsed = curl_url();
    if (!parsed || curl_url_set(parsed, CURLUPART_URL, url, 0) != CURLUE_OK) return 64;
    CURLM *multi = curl_multi_init();
    if (h2c) curl_multi_setopt(multi, CURLMOPT_MAX_CONCURRENT_STREAMS, 1L << 20);
    CURL **waiting = calloc((size_t)concurrency, sizeof *waiting);
    int waiting_count = 0;
    size_t bytes = 0;
    long started = 0, completed = 0, failed = 0;
    struct timespec begin, end;
    clock_gettime(CLOCK_MONOTONIC, &begin);
    for (int i = 0; i < concurrency; i++) {
        CURL *easy = curl_easy_init();
        curl_easy_setopt(easy, CURLOPT_CURLU, parsed);
        curl_easy_setopt(easy, CURLOPT_PROXY, "");
        curl_easy_setopt(easy, CURLOPT_NOPROXY, "");
        curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(easy, CURLOPT_WRITEDATA, &bytes);
        curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(easy, CURLOPT_USERAGENT, "curl-floor");
        curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 20000L);
        curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "gzip");  /* what hit asks for by default */
        curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, (long)(h2c ? (i == 0 ? CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE : CURL_HTTP_VERSION_2_0)
                                                                 : CURL_HTTP_VERSION_1_1));
        if (h2c) curl_easy_setopt(easy, CURLOPT_PIPEWAIT, 1L);
        if (h2c && i > 0) waiting[waiting_count++] = easy;  // until the connection has answered
        else curl_multi_add_handle(multi, easy);
        started++;
    }
    int running = 1;
    while (completed < requests) {
        curl_multi_perform(multi, &running);
        CURLMsg *message;
        int queued;
        while ((message = curl_multi_info_read(multi, &queued))) {
            if (message->msg != CURLMSG_DONE) continue;
            CURL *easy = message->easy_handle;
            long status = 0;
            curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
            if (message->data.result != CURLE_OK || status >= 400) failed++;
            completed++;
            curl_multi_remove_handle(multi, easy);
            if (h2c && waiting_count > 0) {
                curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2_0);
                for (int i = 0; i < waiting_count; i++) curl_multi_add_handle(multi, waiting[i]);
                waiting_count = 0;
            }
            if (started < requests) {
                curl_multi_add_handle(multi, easy);
                started++;
            } else {
                curl_easy_cleanup(easy);
            }
        }
        if (completed < requests) curl_multi_poll(multi, NULL, 0, 1000, NULL);
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (end.tv_sec - begin.tv_sec) + (end.tv_nsec - begin.tv_nsec) / 1e9;
    printf("requests %ld failed %ld seconds %.3f rps %.1f bytes %zu\n", completed, failed, seconds, completed / seconds, bytes);
    curl_multi_cleanup(multi);
    free(waiting);
    curl_url_cleanup(parsed);
    curl_global_cleanup();
    return failed == 0 ? 0 : 1;
}

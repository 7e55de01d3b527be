/*
 * One request's phases over HTTP/3 as libcurl times them, the reference for hit's: what
 * `curl --http3-only -w` prints, from the same libcurl hit's HTTP/3 build links (Debian's curl
 * binary links the OpenSSL flavour of libcurl, which has no HTTP/3). One easy handle sends COUNT
 * requests, each on a connection of its own (FRESH_CONNECT, FORBID_REUSE), so every one has a QUIC
 * handshake, as `hit -disable-keepalive` sends them; one more goes first, as a warm-up (the CA
 * store read, the TLS library's set-up), and is not printed. Prints, per request, microseconds:
 * connect (until the server's first QUIC packet), TLS (until the handshake is complete), first
 * byte, transfer, total.
 *
 *   curl-h3-phases URL COUNT [CAFILE]
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>

static size_t discard(char *data, size_t size, size_t count, void *unused) {
    (void)data;
    (void)unused;
    return size * count;
}

int main(int argc, char **argv) {
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: curl-h3-phases URL COUNT [CAFILE]\n");
        return 64;
    }
    int count = atoi(argv[2]);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *handle = curl_easy_init();
    curl_easy_setopt(handle, CURLOPT_URL, argv[1]);
    curl_easy_setopt(handle, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_3ONLY);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, 20000L);
    curl_easy_setopt(handle, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(handle, CURLOPT_FORBID_REUSE, 1L);
    if (argc == 4) curl_easy_setopt(handle, CURLOPT_CAINFO, argv[3]);
    else curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 0L);
    for (int i = 0; i <= count; i++) {
        CURLcode code = curl_easy_perform(handle);
        long version = 0;
        curl_off_t connect = 0, app = 0, start = 0, total = 0;
        curl_easy_getinfo(handle, CURLINFO_HTTP_VERSION, &version);
        curl_easy_getinfo(handle, CURLINFO_CONNECT_TIME_T, &connect);
        curl_easy_getinfo(handle, CURLINFO_APPCONNECT_TIME_T, &app);
        curl_easy_getinfo(handle, CURLINFO_STARTTRANSFER_TIME_T, &start);
        curl_easy_getinfo(handle, CURLINFO_TOTAL_TIME_T, &total);
        if (code != CURLE_OK || version != CURL_HTTP_VERSION_3) {
            fprintf(stderr, "curl-h3-phases: %s (HTTP version %ld)\n", curl_easy_strerror(code), version);
            return 1;
        }
        if (i > 0) printf("%ld %ld %ld %ld %ld\n", (long)connect, (long)(app - connect), (long)(start - app),
                          (long)(total - start), (long)total);
    }
    curl_easy_cleanup(handle);
    curl_global_cleanup();
    return 0;
}

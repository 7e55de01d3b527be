#include "CCurlShim.h"

#include <dlfcn.h>
#include <sys/prctl.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

CURLcode hit_curl_global_init(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}

unsigned int hit_curl_version_number(void) {
    return curl_version_info(CURLVERSION_NOW)->version_num;
}

CURLcode hit_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode hit_easy_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode hit_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode hit_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode hit_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode hit_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

CURLcode hit_easy_getinfo_off(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

CURLMcode hit_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

static size_t count_and_discard(char *data, size_t size, size_t count, void *counter) {
    (void)data;
    size_t bytes = size * count;
    *(curl_off_t *)counter += (curl_off_t)bytes;
    return bytes;
}

CURLcode hit_easy_count_and_discard_body(CURL *handle, curl_off_t *counter) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, count_and_discard);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_WRITEDATA, (void *)counter);
}

CURLcode hit_multi_msg_result(const CURLMsg *message) {
    return message->data.result;
}

static int64_t monotonic_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

int64_t hit_monotonic_ns(void) {
    return monotonic_ns();
}

/// The most a transfer is held before its write: a bound on the spin, whatever not_before says.
static const int64_t max_hold_ns = 1000000;

static int stamp_written(void *stamps, char *primary_ip, char *local_ip, int primary_port, int local_port) {
    (void)primary_ip; (void)local_ip; (void)primary_port; (void)local_port;
    hit_transfer_stamps *s = stamps;
    // A redirect calls it again for each hop: the first hop's request is the one that was due.
    if (s->written_ns != 0) return CURL_PREREQFUNC_OK;
    int64_t now = monotonic_ns();
    int64_t until = s->not_before_ns;
    if (until > now) {
        if (until - now > max_hold_ns) until = now + max_hold_ns;
        int64_t entered = now;
        while (now < until) {
            hit_cpu_relax();
            now = monotonic_ns();
        }
        s->held_ns = now - entered;
    }
    s->written_ns = now;
    return CURL_PREREQFUNC_OK;
}

static int stamp_progress(void *stamps, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow) {
    (void)dltotal; (void)dlnow; (void)ultotal; (void)ulnow;
    ((hit_transfer_stamps *)stamps)->ended_ns = monotonic_ns();
    return 0;
}

CURLcode hit_easy_stamp_transfers(CURL *handle, hit_transfer_stamps *stamps) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_PREREQFUNCTION, stamp_written);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, CURLOPT_PREREQDATA, (void *)stamps);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, stamp_progress);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, CURLOPT_XFERINFODATA, (void *)stamps);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
    return code;
}

long hit_timer_slack_ns(void) {
    return (long)prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
}

int hit_set_timer_slack_ns(unsigned long nanoseconds) {
    return prctl(PR_SET_TIMERSLACK, nanoseconds, 0, 0, 0);
}

int hit_timerfd_create(void) {
    return timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
}

int hit_timerfd_arm(int fd, int64_t deadline_ns) {
    struct itimerspec spec = {0};
    spec.it_value.tv_sec = deadline_ns / 1000000000;
    spec.it_value.tv_nsec = deadline_ns % 1000000000;
    return timerfd_settime(fd, TFD_TIMER_ABSTIME, &spec, NULL);
}

void hit_timerfd_drain(int fd) {
    uint64_t expirations;
    while (read(fd, &expirations, sizeof expirations) == (ssize_t)sizeof expirations) {}
}

int hit_close(int fd) {
    return close(fd);
}

CURLMcode hit_multi_poll(CURLM *multi, int extra_fd, int timeout_ms, int *extra_ready) {
    struct curl_waitfd extra = { .fd = extra_fd, .events = CURL_WAIT_POLLIN, .revents = 0 };
    CURLMcode code = curl_multi_poll(multi, extra_fd >= 0 ? &extra : NULL, extra_fd >= 0 ? 1 : 0, timeout_ms, NULL);
    *extra_ready = extra_fd >= 0 && (extra.revents & CURL_WAIT_POLLIN) != 0;
    return code;
}

void hit_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

// OpenSSL is reached through dlsym: it is the library libcurl itself loaded, so the warm-up
// initialises the very copy libcurl will use, and hit does not link it a second time.
void hit_tls_warm_up(const char *ca_file) {
    void *(*method)(void) = (void *(*)(void))dlsym(RTLD_DEFAULT, "TLS_client_method");
    void *(*ctx_new)(void *) = (void *(*)(void *))dlsym(RTLD_DEFAULT, "SSL_CTX_new");
    int (*load_locations)(void *, const char *, const char *) =
        (int (*)(void *, const char *, const char *))dlsym(RTLD_DEFAULT, "SSL_CTX_load_verify_locations");
    int (*default_paths)(void *) = (int (*)(void *))dlsym(RTLD_DEFAULT, "SSL_CTX_set_default_verify_paths");
    void *(*ssl_new)(void *) = (void *(*)(void *))dlsym(RTLD_DEFAULT, "SSL_new");
    void *(*bio_mem)(void) = (void *(*)(void))dlsym(RTLD_DEFAULT, "BIO_s_mem");
    void *(*bio_new)(void *) = (void *(*)(void *))dlsym(RTLD_DEFAULT, "BIO_new");
    void (*set_bio)(void *, void *, void *) = (void (*)(void *, void *, void *))dlsym(RTLD_DEFAULT, "SSL_set_bio");
    void (*connect_state)(void *) = (void (*)(void *))dlsym(RTLD_DEFAULT, "SSL_set_connect_state");
    int (*handshake)(void *) = (int (*)(void *))dlsym(RTLD_DEFAULT, "SSL_do_handshake");
    int (*bio_free)(void *) = (int (*)(void *))dlsym(RTLD_DEFAULT, "BIO_free");
    void (*ssl_free)(void *) = (void (*)(void *))dlsym(RTLD_DEFAULT, "SSL_free");
    void (*ctx_free)(void *) = (void (*)(void *))dlsym(RTLD_DEFAULT, "SSL_CTX_free");
    void (*clear_error)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "ERR_clear_error");
    if (!method || !ctx_new || !load_locations || !default_paths || !ssl_new || !bio_mem || !bio_new || !bio_free || !set_bio
        || !connect_state || !handshake || !ssl_free || !ctx_free || !clear_error) return;  // not OpenSSL
    void *context = ctx_new(method());
    if (context == NULL) return;
    if (ca_file != NULL) load_locations(context, ca_file, NULL);
    else default_paths(context);
    void *ssl = ssl_new(context);
    if (ssl != NULL) {
        void *in = bio_new(bio_mem()), *out = bio_new(bio_mem());
        if (in != NULL && out != NULL) {
            set_bio(ssl, in, out);  // the SSL owns both now, and frees them
            connect_state(ssl);
            handshake(ssl);  // writes a ClientHello into `out`, then wants a reply: far enough
        } else {
            if (in != NULL) bio_free(in);
            if (out != NULL) bio_free(out);
        }
        ssl_free(ssl);
    }
    ctx_free(context);
    clear_error();
}

static size_t count_headers(char *data, size_t size, size_t count, void *budget_pointer) {
    (void)data;
    hit_header_budget *budget = budget_pointer;
    size_t bytes = size * count;
    budget->received += bytes;
    if (budget->received > budget->limit) {
        budget->exceeded = 1;
        return 0;
    }
    return bytes;
}

CURLcode hit_easy_limit_headers(CURL *handle, hit_header_budget *budget) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, count_headers);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_HEADERDATA, (void *)budget);
}

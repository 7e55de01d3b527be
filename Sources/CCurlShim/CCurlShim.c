#include "CCurlShim.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/tcp.h>
#include <sys/ioctl.h>
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

const char *hit_curl_version_text(void) {
    return curl_version_info(CURLVERSION_NOW)->version;
}

const char *hit_curl_ssl_version(void) {
    return curl_version_info(CURLVERSION_NOW)->ssl_version;
}

const char *hit_curl_libz_version(void) {
    return curl_version_info(CURLVERSION_NOW)->libz_version;
}

const char *hit_curl_nghttp2_version(void) {
    const curl_version_info_data *info = curl_version_info(CURLVERSION_NOW);
    return info->age >= CURLVERSION_FOURTH ? info->nghttp2_version : NULL;
}

static int hit_curl_has(int feature) {
    return (curl_version_info(CURLVERSION_NOW)->features & feature) != 0;
}

int hit_curl_has_http2(void) { return hit_curl_has(CURL_VERSION_HTTP2); }
int hit_curl_has_http3(void) { return hit_curl_has(CURL_VERSION_HTTP3); }
int hit_curl_has_async_dns(void) { return hit_curl_has(CURL_VERSION_ASYNCHDNS); }
int hit_curl_has_ipv6(void) { return hit_curl_has(CURL_VERSION_IPV6); }
int hit_curl_has_libz(void) { return hit_curl_has(CURL_VERSION_LIBZ); }
int hit_curl_has_brotli(void) { return hit_curl_has(CURL_VERSION_BROTLI); }
int hit_curl_has_zstd(void) { return hit_curl_has(CURL_VERSION_ZSTD); }
int hit_curl_has_unix_sockets(void) { return hit_curl_has(CURL_VERSION_UNIX_SOCKETS); }
int hit_curl_has_https_proxy(void) { return hit_curl_has(CURL_VERSION_HTTPS_PROXY); }

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

static size_t sink_body(char *data, size_t size, size_t count, void *context) {
    hit_body_sink *sink = context;
    size_t bytes = size * count;
    sink->count += (curl_off_t)bytes;
    if (sink->kept_size < sink->capacity) {
        size_t room = sink->capacity - sink->kept_size;
        size_t taken = bytes < room ? bytes : room;
        memcpy(sink->kept + sink->kept_size, data, taken);
        sink->kept_size += taken;
        sink->kept[sink->kept_size] = 0;
    }
    return bytes;
}

CURLcode hit_easy_sink_body(CURL *handle, hit_body_sink *sink) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, sink_body);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_WRITEDATA, (void *)sink);
}

struct hit_regex {
    regex_t compiled;
};

hit_regex *hit_regex_compile(const char *pattern, char *error, size_t error_size) {
    hit_regex *regex = malloc(sizeof *regex);
    if (regex == NULL) {
        snprintf(error, error_size, "out of memory");
        return NULL;
    }
    int code = regcomp(&regex->compiled, pattern, REG_EXTENDED | REG_NOSUB);
    if (code != 0) {
        regerror(code, &regex->compiled, error, error_size);
        free(regex);
        return NULL;
    }
    return regex;
}

void hit_regex_free(hit_regex *regex) {
    if (regex == NULL) return;
    regfree(&regex->compiled);
    free(regex);
}

int hit_regex_matches(hit_regex *regex, const char *data, size_t size) {
    // REG_STARTEND (glibc, BSD): the bytes from rm_so to rm_eo, NUL bytes and no terminator.
    regmatch_t range[1] = {{.rm_so = 0, .rm_eo = (regoff_t)size}};
    return regexec(&regex->compiled, data == NULL ? "" : data, 1, range, REG_STARTEND) == 0;
}

CURLcode hit_multi_msg_result(const CURLMsg *message) {
    return message->data.result;
}

static int64_t monotonic_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

int64_t hit_thread_cpu_demand_ns(void) {
    FILE *file = fopen("/proc/thread-self/schedstat", "re");
    if (file != NULL) {
        unsigned long long running = 0, waiting = 0;
        int read = fscanf(file, "%llu %llu", &running, &waiting);
        fclose(file);
        if (read == 2) return (int64_t)(running + waiting);
    }
    struct timespec now;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

int64_t hit_monotonic_ns(void) {
    return monotonic_ns();
}

/// The most a transfer is held before its write: a bound on the spin, whatever not_before says.
static const int64_t max_hold_ns = 1000000;

struct hit_connection_table {
    /// Open addressing on `key` (0: an empty slot), at most half full.
    struct hit_connection_slot { uint64_t key; int64_t carried; } *slots;
    size_t capacity, used;
};

hit_connection_table *hit_connection_table_create(void) {
    hit_connection_table *table = calloc(1, sizeof *table);
    if (table == NULL) return NULL;
    table->capacity = 256;
    table->slots = calloc(table->capacity, sizeof *table->slots);
    if (table->slots == NULL) { free(table); return NULL; }
    return table;
}

void hit_connection_table_destroy(hit_connection_table *table) {
    if (table == NULL) return;
    free(table->slots);
    free(table);
}

static uint64_t fnv1a(uint64_t hash, const char *text) {
    for (; *text != 0; text++) hash = (hash ^ (unsigned char)*text) * 0x100000001b3ULL;
    return hash;
}

static struct hit_connection_slot *connection_slot(hit_connection_table *table, uint64_t key) {
    if (table->used * 2 >= table->capacity) {
        size_t capacity = table->capacity * 2;
        struct hit_connection_slot *slots = calloc(capacity, sizeof *slots);
        if (slots == NULL) return NULL;
        for (size_t i = 0; i < table->capacity; i++) {
            if (table->slots[i].key == 0) continue;
            size_t j = table->slots[i].key & (capacity - 1);
            while (slots[j].key != 0) j = (j + 1) & (capacity - 1);
            slots[j] = table->slots[i];
        }
        free(table->slots);
        table->slots = slots;
        table->capacity = capacity;
    }
    size_t i = key & (table->capacity - 1);
    while (table->slots[i].key != 0 && table->slots[i].key != key) i = (i + 1) & (table->capacity - 1);
    if (table->slots[i].key == 0) {
        table->slots[i].key = key;
        table->slots[i].carried = 0;
        table->used++;
    }
    return &table->slots[i];
}

static uint64_t connection_key(const char *local_ip, long local_port, const char *primary_ip, long primary_port) {
    uint64_t key = fnv1a(fnv1a(0xcbf29ce484222325ULL, local_ip), primary_ip);
    key = (key ^ ((uint64_t)local_port << 16 | (uint64_t)primary_port)) * 0x9e3779b97f4a7c15ULL;
    // The table indexes by the low bits, which a product takes from the factors' low bits alone:
    // those of the server's port and addresses, the same for every connection of a run, so every
    // key fell on one slot and each look-up walked all the connections. Fold the high bits in.
    key ^= key >> 32;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 29;
    return key == 0 ? 1 : key;  // never 0, the empty slot
}

/// At the write of a transfer that made its connection: a new connection, whose count starts
/// again (its ports may be an old connection's). The addresses and ports libcurl passes here are
/// the handle's last connection's, right for the transfer that made it, stale for one that
/// multiplexes on another: a request is counted at its end instead.
static void note_new_connection(hit_transfer_stamps *s, const char *primary_ip, const char *local_ip,
                                int primary_port, int local_port) {
    if (s->connections == NULL || local_port <= 0) return;  // a unix-domain socket has no ports
    long connects = 0;
    curl_easy_getinfo(s->handle, CURLINFO_NUM_CONNECTS, &connects);
    if (connects == 0) return;
    struct hit_connection_slot *slot = connection_slot(s->connections, connection_key(local_ip, local_port, primary_ip, primary_port));
    if (slot != NULL) slot->carried = 0;
}

int64_t hit_connection_count(hit_connection_table *table, CURL *handle) {
    if (table == NULL) return 0;
    char *local_ip = NULL, *primary_ip = NULL;
    long local_port = 0, primary_port = 0;
    curl_easy_getinfo(handle, CURLINFO_LOCAL_IP, &local_ip);
    curl_easy_getinfo(handle, CURLINFO_LOCAL_PORT, &local_port);
    curl_easy_getinfo(handle, CURLINFO_PRIMARY_IP, &primary_ip);
    curl_easy_getinfo(handle, CURLINFO_PRIMARY_PORT, &primary_port);
    if (local_port <= 0 || local_ip == NULL || primary_ip == NULL) return 0;
    struct hit_connection_slot *slot = connection_slot(table, connection_key(local_ip, local_port, primary_ip, primary_port));
    return slot == NULL ? 0 : ++slot->carried;
}

void hit_transfer_stamps_reset(hit_transfer_stamps *stamps) {
    hit_connection_table *connections = stamps->connections;
    CURL *handle = stamps->handle;
    struct hit_send_meter *meter = stamps->meter;
    int counted = stamps->counted;
    struct hit_socket_gate *gate = stamps->gate;
    memset(stamps, 0, sizeof *stamps);
    stamps->gate = gate;
    stamps->connections = connections;
    stamps->handle = handle;
    stamps->meter = meter;
    stamps->counted = counted;
}

struct hit_send_meter {
    int64_t interval_ns;
    int64_t run_start_ns;
    _Atomic int64_t written;
    _Atomic int64_t in_flight;
    _Atomic int64_t slots[HIT_SEND_METER_SLOTS];
};

hit_send_meter *hit_send_meter_create(int64_t interval_ns) {
    hit_send_meter *meter = calloc(1, sizeof *meter);
    if (meter == NULL) return NULL;
    meter->interval_ns = interval_ns > 0 ? interval_ns : 1000000000;
    return meter;
}

void hit_send_meter_destroy(hit_send_meter *meter) {
    free(meter);
}

void hit_send_meter_start(hit_send_meter *meter, int64_t run_start_ns) {
    meter->run_start_ns = run_start_ns;
}

int64_t hit_send_meter_written(const hit_send_meter *meter) {
    return atomic_load_explicit(&meter->written, memory_order_relaxed);
}

int64_t hit_send_meter_in_flight(const hit_send_meter *meter) {
    return atomic_load_explicit(&meter->in_flight, memory_order_relaxed);
}

int64_t hit_send_meter_take(hit_send_meter *meter, int64_t index) {
    if (index < 0) index = 0;
    return atomic_exchange_explicit(&meter->slots[index % HIT_SEND_METER_SLOTS], 0, memory_order_relaxed);
}

void hit_send_meter_ended(hit_send_meter *meter) {
    atomic_fetch_sub_explicit(&meter->in_flight, 1, memory_order_relaxed);
}

void hit_send_meter_count_write(hit_send_meter *meter, int64_t now) {
    int64_t offset = now - meter->run_start_ns;
    int64_t index = offset > 0 ? offset / meter->interval_ns : 0;
    atomic_fetch_add_explicit(&meter->slots[index % HIT_SEND_METER_SLOTS], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&meter->in_flight, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&meter->written, 1, memory_order_relaxed);
}

static curl_socket_t open_gated(void *gate_pointer, curlsocktype purpose, struct curl_sockaddr *address) {
    (void)purpose;
    hit_socket_gate *gate = gate_pointer;
    if (!gate->may_open) {
        gate->refused = 1;
        return CURL_SOCKET_BAD;
    }
    curl_socket_t opened = socket(address->family, address->socktype, address->protocol);
    gate->socket = opened;
    gate->first_count = 0;
    gate->received_at_close = -1;
    return opened;
}

static int close_gated(void *gate_pointer, curl_socket_t item) {
    hit_socket_gate *gate = gate_pointer;
    if (item == gate->socket) {
        if (gate->keep_first_bytes) gate->received_at_close = hit_socket_bytes_received(item);
        gate->socket = -1;
    }
    return close(item);
}

void hit_socket_gate_keep(hit_socket_gate *gate) {
    if (!gate->keep_first_bytes || gate->socket < 0 || gate->first_count < 0 || gate->first_count >= HIT_FIRST_BYTES) return;
    unsigned char waiting[HIT_FIRST_BYTES];
    int64_t offset = 0;
    int copied = hit_socket_peek(gate->socket, waiting, HIT_FIRST_BYTES, &offset);
    if (copied < 0) return;
    if (offset > gate->first_count) {  // libcurl read some that were never seen
        gate->first_count = -1;
        return;
    }
    if (copied == 0) return;
    int64_t from = gate->first_count - offset;
    int64_t fresh = copied - from;
    if (fresh <= 0) return;
    if (fresh > HIT_FIRST_BYTES - gate->first_count) fresh = HIT_FIRST_BYTES - gate->first_count;
    memcpy(gate->first_bytes + gate->first_count, waiting + from, (size_t)fresh);
    gate->first_count += (int)fresh;
}

CURLcode hit_easy_gate_sockets(CURL *handle, hit_socket_gate *gate) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, open_gated);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, CURLOPT_OPENSOCKETDATA, (void *)gate);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, CURLOPT_CLOSESOCKETFUNCTION, close_gated);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, CURLOPT_CLOSESOCKETDATA, (void *)gate);
    return code;
}

static int stamp_written(void *stamps, char *primary_ip, char *local_ip, int primary_port, int local_port) {
    hit_transfer_stamps *s = stamps;
    // A redirect calls it again for each hop: the first hop's request is the one that was due.
    if (s->written_ns != 0) return CURL_PREREQFUNC_OK;
    note_new_connection(s, primary_ip, local_ip, primary_port, local_port);
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
    if (s->meter != NULL && !s->counted) {
        s->counted = 1;
        hit_send_meter_count_write(s->meter, now);
    }
    return CURL_PREREQFUNC_OK;
}

static int stamp_progress(void *stamps, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow) {
    (void)dltotal; (void)dlnow; (void)ultotal; (void)ulnow;
    hit_transfer_stamps *s = stamps;
    s->ended_ns = monotonic_ns();
    // libcurl calls it between sending a request and reading the answer: the server's first
    // bytes are still waiting then.
    if (s->gate != NULL && s->gate->keep_first_bytes) hit_socket_gate_keep(s->gate);
    return 0;
}

CURLcode hit_easy_stamp_transfers(CURL *handle, hit_transfer_stamps *stamps) {
    stamps->handle = handle;
    CURLcode code = curl_easy_setopt(handle, CURLOPT_PREREQFUNCTION, stamp_written);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, CURLOPT_PREREQDATA, (void *)stamps);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, stamp_progress);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, CURLOPT_XFERINFODATA, (void *)stamps);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
    return code;
}

int64_t hit_socket_bytes_received(int socket) {
    if (socket < 0) return -1;
    struct tcp_info info;
    socklen_t length = sizeof info;
    memset(&info, 0, sizeof info);
    if (getsockopt(socket, IPPROTO_TCP, TCP_INFO, &info, &length) != 0) return -1;
    if (length < offsetof(struct tcp_info, tcpi_bytes_received) + sizeof info.tcpi_bytes_received) return -1;
    return (int64_t)info.tcpi_bytes_received;
}

int hit_socket_peek(int socket, unsigned char *buffer, int capacity, int64_t *offset) {
    if (socket < 0 || capacity <= 0) return -1;
    // Bytes may arrive between the two counts: read them again until they agree.
    int64_t received = -1;
    int queued = 0, again = 0;
    for (int attempt = 0; attempt < 4; attempt++) {
        if (ioctl(socket, FIONREAD, &queued) != 0) return -1;
        received = hit_socket_bytes_received(socket);
        if (received < 0 || ioctl(socket, FIONREAD, &again) != 0) return -1;
        if (again == queued) break;
        received = -1;
    }
    if (received < 0) return -1;
    *offset = received - queued;
    if (queued <= 0) return 0;
    ssize_t copied = recv(socket, buffer, (size_t)capacity, MSG_PEEK | MSG_DONTWAIT);
    if (copied <= 0) return copied == 0 || errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    *offset = received - queued;
    return (int)copied;
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

#ifndef HIT_CCURLSHIM_H
#define HIT_CCURLSHIM_H

// Swift cannot call C variadic functions, and curl_easy_setopt/curl_easy_getinfo
// are variadic. This shim gives each argument type its own typed function.

#include <curl/curl.h>
#include <stdint.h>

/// CURLAUTH_BASIC, which Swift cannot import: the macro contains a cast.
static const long hit_curlauth_basic = (long)CURLAUTH_BASIC;
/// CURL_NETRC_OPTIONAL: an enum case in libcurl 7.88's header, a #define in 8.x's.
static const long hit_curl_netrc_optional = (long)CURL_NETRC_OPTIONAL;

/// libcurl's version as 0xXXYYZZ (major, minor, patch), from curl_version_info.
unsigned int hit_curl_version_number(void);

/// libcurl's version text ("7.88.1"), from curl_version_info.
const char *hit_curl_version_text(void);
/// The TLS library libcurl was built with ("OpenSSL/3.0.15"); NULL without one.
const char *hit_curl_ssl_version(void);
/// The compression and HTTP/2 libraries' versions; NULL when libcurl has none.
const char *hit_curl_libz_version(void);
const char *hit_curl_nghttp2_version(void);
/// Whether libcurl has each feature (curl_version_info's feature bits, which Swift cannot import:
/// the macros are shifts).
int hit_curl_has_http2(void);
int hit_curl_has_http3(void);
int hit_curl_has_async_dns(void);
int hit_curl_has_ipv6(void);
int hit_curl_has_libz(void);
int hit_curl_has_brotli(void);
int hit_curl_has_zstd(void);
int hit_curl_has_unix_sockets(void);
int hit_curl_has_https_proxy(void);

/// Calls curl_global_init(CURL_GLOBAL_DEFAULT). Call once, before any thread uses libcurl.
CURLcode hit_curl_global_init(void);

CURLcode hit_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode hit_easy_setopt_off(CURL *handle, CURLoption option, curl_off_t value);
CURLcode hit_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode hit_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode hit_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);

CURLcode hit_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode hit_easy_getinfo_off(CURL *handle, CURLINFO info, curl_off_t *value);

CURLMcode hit_multi_setopt_long(CURLM *multi, CURLMoption option, long value);

/// Where a transfer's body goes: counted, and its first `capacity` bytes kept in `kept` when
/// `capacity` is above 0 (for a check of the body); the rest is discarded. `kept` holds
/// `capacity + 1` bytes: what is kept is always followed by a NUL.
typedef struct hit_body_sink {
    curl_off_t count;
    char *kept;
    size_t kept_size;
    size_t capacity;
} hit_body_sink;

/// Installs a write callback that adds the size of every body chunk to sink->count, keeps what
/// fits of it in sink->kept and discards the rest, so bodies are never buffered beyond that.
CURLcode hit_easy_sink_body(CURL *handle, hit_body_sink *sink);

/// A compiled POSIX extended regular expression (as grep -E reads it), matched against bytes.
typedef struct hit_regex hit_regex;

/// Compiles `pattern`; NULL when it is not one, with the reason in `error`.
hit_regex *hit_regex_compile(const char *pattern, char *error, size_t error_size);
void hit_regex_free(hit_regex *regex);
/// Whether `regex` matches somewhere in the `size` bytes at `data` (NUL bytes included);
/// `data[size]` must be a NUL (glibc reads only `size` bytes, but sanitizers check a C string).
int hit_regex_matches(hit_regex *regex, const char *data, size_t size);

/// What a transfer may keep of response headers and trailers, and how much it has seen.
typedef struct hit_header_budget {
    /// The most header and trailer bytes one transfer may receive (redirects and 1xx included).
    size_t limit;
    size_t received;
    /// Set when the limit was passed and the transfer was stopped.
    int exceeded;
} hit_header_budget;

/// Installs a header callback that counts every header and trailer line into *budget and stops the
/// transfer (CURLE_WRITE_ERROR) once more than budget->limit bytes came: a server that sends
/// headers or trailers without end cannot make hit's memory grow. Reset `received` and `exceeded`
/// before each transfer.
CURLcode hit_easy_limit_headers(CURL *handle, hit_header_budget *budget);

/// The result code carried by a CURLMSG_DONE message (a union member in C).
CURLcode hit_multi_msg_result(const CURLMsg *message);

/// When a transfer's request was written and when the transfer ended, in nanoseconds of
/// CLOCK_MONOTONIC (the clock of DispatchTime and of libcurl's own timers); 0 until it happens.
typedef struct hit_transfer_stamps {
    /// Set before the transfer: the request must not be written before this moment. When libcurl
    /// is ready to write it sooner, the PREREQFUNCTION callback waits (spinning) until then.
    /// 0: no wait.
    int64_t not_before_ns;
    /// The first CURLOPT_PREREQFUNCTION call of the transfer, after any wait for not_before_ns:
    /// libcurl is about to compose and send the request on a connection that is ready (a few µs
    /// before send()).
    int64_t written_ns;
    /// How long that call waited for not_before_ns. libcurl counts it in TOTAL and STARTTRANSFER.
    int64_t held_ns;
    /// The last CURLOPT_XFERINFOFUNCTION call: libcurl calls it once more when the transfer is
    /// done, right after it takes CURLINFO_TOTAL_TIME_T.
    int64_t ended_ns;
    /// The requests each connection of the handle's event loop carried; NULL for none. Kept by
    /// hit_transfer_stamps_reset. The PREREQFUNCTION callback restarts a connection's count when
    /// the transfer made it.
    struct hit_connection_table *connections;
    /// The easy handle the stamps belong to (set by hit_easy_stamp_transfers; kept by the reset).
    CURL *handle;
    /// The run's send meter, counted into at the request's first write; NULL for none. Kept by
    /// the reset.
    struct hit_send_meter *meter;
    /// Whether this job's request was counted as written. Kept by the reset (a request sent again
    /// on a fresh connection counts once): clear it when the handle takes a new job.
    int counted;
    /// The handle's socket gate, whose first bytes the progress callback keeps. Kept by the reset.
    struct hit_socket_gate *gate;
} hit_transfer_stamps;

/// Counts a run's requests as they are written, for every event loop of the run at once: in all,
/// by the timeline interval in which each was written, and those written and not yet ended (in
/// flight). Its counters are atomic; the PREREQFUNCTION callback counts into it.
typedef struct hit_send_meter hit_send_meter;
/// A meter for intervals of `interval_ns`; NULL if out of memory.
hit_send_meter *hit_send_meter_create(int64_t interval_ns);
void hit_send_meter_destroy(hit_send_meter *meter);
/// Sets the run's origin (CLOCK_MONOTONIC ns): interval k spans [start + k·interval, start +
/// (k+1)·interval). Call before any request is written.
void hit_send_meter_start(hit_send_meter *meter, int64_t run_start_ns);
/// Requests written so far.
int64_t hit_send_meter_written(const hit_send_meter *meter);
/// Requests written and not yet ended.
int64_t hit_send_meter_in_flight(const hit_send_meter *meter);
/// Reads and clears the count of requests written in interval `index`. The meter keeps
/// HIT_SEND_METER_SLOTS intervals' counts in a ring: take each interval's before the ring comes
/// round to it again.
int64_t hit_send_meter_take(hit_send_meter *meter, int64_t index);
/// One written request has ended (completed or aborted).
void hit_send_meter_ended(hit_send_meter *meter);
/// Counts one request written at `now_ns` (CLOCK_MONOTONIC): what the PREREQFUNCTION callback does.
void hit_send_meter_count_write(hit_send_meter *meter, int64_t now_ns);
#define HIT_SEND_METER_SLOTS 4096

/// Zeroes what one transfer stamps, keeping `connections` and `handle`.
void hit_transfer_stamps_reset(hit_transfer_stamps *stamps);

/// How many requests each connection of one event loop has carried, keyed by the connection's
/// addresses and ports. A connection is recognised as new when the transfer that made it writes
/// its first request (CURLINFO_NUM_CONNECTS > 0), and its count starts again. Used by one thread
/// at a time: the event loop's.
typedef struct hit_connection_table hit_connection_table;
hit_connection_table *hit_connection_table_create(void);
void hit_connection_table_destroy(hit_connection_table *table);
/// Counts the transfer that just ended on `handle` (call only for one that was written) on its
/// connection, and returns its place there: 1 for the connection's first request. 0 when not known
/// (a unix-domain socket has no ports).
int64_t hit_connection_count(hit_connection_table *table, CURL *handle);

/// Whether a transfer may open a connection, and whether the open-socket callback refused it.
/// A transfer that may not open one can only reuse (or multiplex on) a connection already there.
#define HIT_FIRST_BYTES 512
typedef struct hit_socket_gate {
    int may_open;
    /// Set by the callback when it refused to open a socket: the transfer then ends with
    /// CURLE_COULDNT_CONNECT before anything was sent.
    int refused;
    /// The last socket the callback opened for the transfer; -1 for none (reset it before each
    /// transfer). libcurl owns and closes it.
    int socket;
    /// Set to keep the first bytes the server sends on `socket` (an h2c opener's): the progress
    /// callback and `hit_socket_gate_keep` copy them, as they arrive and before libcurl reads them,
    /// into `first_bytes`, for as long as none was missed. A new socket starts them over.
    int keep_first_bytes;
    /// How many are kept; -1 once some went unseen (libcurl read them first).
    int first_count;
    /// The bytes the kernel had received on `socket` when libcurl closed it, counted if
    /// `keep_first_bytes` was set; -1 if not closed or not counted. More than `first_count` (below
    /// HIT_FIRST_BYTES) means some went unseen, even when no later look could tell.
    int64_t received_at_close;
    unsigned char first_bytes[HIT_FIRST_BYTES];
} hit_socket_gate;
/// Copies the bytes waiting on the gate's socket that follow those kept (see `keep_first_bytes`).
void hit_socket_gate_keep(hit_socket_gate *gate);
/// Installs the open-socket callback that obeys *gate, and the close-socket callback that counts
/// `received_at_close`.
CURLcode hit_easy_gate_sockets(CURL *handle, hit_socket_gate *gate);

/// Installs the two callbacks that fill *stamps on every transfer of this handle. They read the
/// clock and, before the first write, may spin until not_before_ns; they never call libcurl.
/// Reset the stamps before each transfer.
CURLcode hit_easy_stamp_transfers(CURL *handle, hit_transfer_stamps *stamps);

/// Bytes the kernel has received on a TCP socket (TCP_INFO's tcpi_bytes_received), whether or
/// not libcurl has read them yet; -1 when not known (not TCP, closed).
int64_t hit_socket_bytes_received(int socket);

/// The time the calling thread has run on a CPU or waited in the run queue for one, in
/// nanoseconds (/proc/thread-self/schedstat: the time it wanted a CPU). Falls back to its CPU time
/// (CLOCK_THREAD_CPUTIME_ID) where the kernel keeps no schedstat.
int64_t hit_thread_cpu_demand_ns(void);

/// Copies up to `capacity` of the bytes waiting on a socket into `buffer` without taking them
/// (MSG_PEEK: libcurl still reads them), and sets *offset to where they start in what the peer has
/// sent (0: its very first byte). Returns how many were copied; 0 when none is waiting, -1 on error.
int hit_socket_peek(int socket, unsigned char *buffer, int capacity, int64_t *offset);

/// clock_gettime(CLOCK_MONOTONIC), in nanoseconds.
int64_t hit_monotonic_ns(void);

/// The calling thread's timer slack (prctl PR_GET_TIMERSLACK), in nanoseconds; -1 on error.
long hit_timer_slack_ns(void);
/// Sets the calling thread's timer slack (prctl PR_SET_TIMERSLACK); 0 on success. (0 would mean
/// "the default", so 1 ns is the least.)
int hit_set_timer_slack_ns(unsigned long nanoseconds);

/// A CLOCK_MONOTONIC timerfd, non-blocking and close-on-exec; -1 on error.
int hit_timerfd_create(void);
/// Arms it to fire once at `deadline_ns` (absolute, CLOCK_MONOTONIC); 0 disarms it.
int hit_timerfd_arm(int fd, int64_t deadline_ns);
/// Reads away an expiry, if any, so the fd stops being readable.
void hit_timerfd_drain(int fd);
int hit_close(int fd);

/// Waits as curl_multi_poll does, also on `extra_fd` (readable) if it is not -1. Sets
/// *extra_ready to whether it became readable.
CURLMcode hit_multi_poll(CURLM *multi, int extra_fd, int timeout_ms, int *extra_ready);

/// A set of libcurl multi handles driven by one thread, each holding a share of its transfers
/// (MultiSet.c): libcurl 7.88's cost per finished transfer grows with the transfers one multi
/// handle holds, so many small handles cost less than one large one. With one handle it is driven
/// by curl_multi_perform and curl_multi_poll; with more, by one epoll and curl_multi_socket_action.
/// One thread at a time may use a set, except `hit_multi_set_wakeup`, which any thread may call.
typedef struct hit_multi_set hit_multi_set;
/// `count` multi handles (at least 1); NULL when one could not be made.
hit_multi_set *hit_multi_set_create(int count);
void hit_multi_set_destroy(hit_multi_set *set);
int hit_multi_set_count(const hit_multi_set *set);
/// The member multi handle `index`, for its options.
CURLM *hit_multi_set_handle(hit_multi_set *set, int index);
/// Adds `easy` to member `index`, or removes it from that member.
CURLMcode hit_multi_set_add(hit_multi_set *set, int index, CURL *easy);
CURLMcode hit_multi_set_remove(hit_multi_set *set, int index, CURL *easy);
/// Drives the transfers once without waiting (curl_multi_perform's part).
void hit_multi_set_perform(hit_multi_set *set);
/// Waits as curl_multi_poll does (a socket, a wake-up, the timeout), also on `extra_fd`
/// (readable) if it is not -1, and drives what became ready. Sets *extra_ready to whether
/// `extra_fd` became readable.
CURLMcode hit_multi_set_poll(hit_multi_set *set, int extra_fd, int timeout_ms, int *extra_ready);
/// The next message of any member, and in *index the member it came from; NULL when none is left.
CURLMsg *hit_multi_set_info_read(hit_multi_set *set, int *index);
/// Ends a wait in `hit_multi_set_poll` early; callable from any thread.
void hit_multi_set_wakeup(hit_multi_set *set);

/// A hint to the CPU that this is a spin-wait (x86 `pause`).
void hit_cpu_relax(void);

/// Does OpenSSL's one-time per-process set-up (library, error strings, the default
/// certificate store, a client context and a ClientHello), so that the first TLS handshake of a
/// run measures the handshake and not the library's initialisation. `ca_file` may be NULL.
void hit_tls_warm_up(const char *ca_file);

#endif

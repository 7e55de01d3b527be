#include "CCurlShim.h"

#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

// A set of libcurl multi handles driven by one thread. libcurl 7.88 walks every connection of a
// multi handle each time a transfer ends, so the cost per request grows with the transfers one
// handle holds; a set of small handles keeps that walk short. With one handle it is that handle,
// driven by curl_multi_perform and curl_multi_poll. With more, every socket of every handle is in
// one epoll (CURLMOPT_SOCKETFUNCTION), each handle keeps its own timer (CURLMOPT_TIMERFUNCTION),
// and curl_multi_socket_action drives a handle on its sockets' readiness and on its timer.

// The epoll tags that are not a member's index.
#define WAKE_TAG 0xFFFFFFFFu
#define EXTRA_TAG 0xFFFFFFFEu

struct hit_multi_member {
    CURLM *multi;
    hit_multi_set *set;
    /// When its timer fires (CLOCK_MONOTONIC ns); -1: not armed.
    int64_t deadline_ns;
    /// Whether it was driven since its messages were last read.
    int touched;
};

struct hit_multi_set {
    int count;
    struct hit_multi_member *members;
    int epoll_fd;
    int wake_fd;
    /// The extra fd registered with the epoll (-1: none).
    int extra_fd;
    /// Set by a poll that drove the handles, so that the next perform need not ask epoll again.
    int fresh;
    /// The member whose messages are being read.
    int cursor;
};

static int64_t set_now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int on_socket(CURL *easy, curl_socket_t socket, int what, void *member_pointer, void *registered) {
    (void)easy;
    struct hit_multi_member *member = member_pointer;
    hit_multi_set *set = member->set;
    if (what == CURL_POLL_REMOVE) {
        epoll_ctl(set->epoll_fd, EPOLL_CTL_DEL, socket, NULL);
        return 0;
    }
    struct epoll_event event = {0};
    event.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0);
    event.data.u64 = ((uint64_t)(member - set->members) << 32) | (uint32_t)socket;
    if (registered == NULL) {
        curl_multi_assign(member->multi, socket, (void *)1);
        if (epoll_ctl(set->epoll_fd, EPOLL_CTL_ADD, socket, &event) == 0) return 0;
    }
    if (epoll_ctl(set->epoll_fd, EPOLL_CTL_MOD, socket, &event) != 0) {
        epoll_ctl(set->epoll_fd, EPOLL_CTL_ADD, socket, &event);
    }
    return 0;
}

static int on_timer(CURLM *multi, long timeout_ms, void *member_pointer) {
    (void)multi;
    struct hit_multi_member *member = member_pointer;
    member->deadline_ns = timeout_ms < 0 ? -1 : set_now_ns() + (int64_t)timeout_ms * 1000000;
    return 0;
}

hit_multi_set *hit_multi_set_create(int count) {
    if (count < 1) return NULL;
    hit_multi_set *set = calloc(1, sizeof *set);
    if (set == NULL) return NULL;
    set->count = count;
    set->epoll_fd = set->wake_fd = set->extra_fd = -1;
    set->members = calloc((size_t)count, sizeof *set->members);
    if (set->members == NULL) {
        free(set);
        return NULL;
    }
    for (int index = 0; index < count; index++) {
        struct hit_multi_member *member = &set->members[index];
        member->set = set;
        member->deadline_ns = -1;
        member->multi = curl_multi_init();
        if (member->multi == NULL) {
            hit_multi_set_destroy(set);
            return NULL;
        }
        if (count > 1) {
            curl_multi_setopt(member->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
            curl_multi_setopt(member->multi, CURLMOPT_SOCKETDATA, member);
            curl_multi_setopt(member->multi, CURLMOPT_TIMERFUNCTION, on_timer);
            curl_multi_setopt(member->multi, CURLMOPT_TIMERDATA, member);
        }
    }
    if (count > 1) {
        set->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
        set->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        struct epoll_event event = { .events = EPOLLIN, .data.u64 = (uint64_t)WAKE_TAG << 32 };
        if (set->epoll_fd < 0 || set->wake_fd < 0 || epoll_ctl(set->epoll_fd, EPOLL_CTL_ADD, set->wake_fd, &event) != 0) {
            hit_multi_set_destroy(set);
            return NULL;
        }
    }
    return set;
}

void hit_multi_set_destroy(hit_multi_set *set) {
    if (set == NULL) return;
    for (int index = 0; index < set->count; index++) {
        if (set->members[index].multi != NULL) curl_multi_cleanup(set->members[index].multi);
    }
    if (set->epoll_fd >= 0) close(set->epoll_fd);
    if (set->wake_fd >= 0) close(set->wake_fd);
    free(set->members);
    free(set);
}

int hit_multi_set_count(const hit_multi_set *set) {
    return set->count;
}

CURLM *hit_multi_set_handle(hit_multi_set *set, int index) {
    return set->members[index].multi;
}

CURLMcode hit_multi_set_add(hit_multi_set *set, int index, CURL *easy) {
    return curl_multi_add_handle(set->members[index].multi, easy);
}

CURLMcode hit_multi_set_remove(hit_multi_set *set, int index, CURL *easy) {
    return curl_multi_remove_handle(set->members[index].multi, easy);
}

/// Drives each member whose timer has fired.
static void run_timers(hit_multi_set *set) {
    int64_t now = set_now_ns();
    int running = 0;
    for (int index = 0; index < set->count; index++) {
        struct hit_multi_member *member = &set->members[index];
        if (member->deadline_ns >= 0 && member->deadline_ns <= now) {
            member->deadline_ns = -1;
            curl_multi_socket_action(member->multi, CURL_SOCKET_TIMEOUT, 0, &running);
            member->touched = 1;
        }
    }
}

/// Waits up to `timeout_ms` for readiness, drives the members whose sockets are ready, then those
/// whose timers have fired. Returns whether the extra fd became readable.
static int wait_and_drive(hit_multi_set *set, int timeout_ms) {
    struct epoll_event events[256];
    int ready = epoll_wait(set->epoll_fd, events, 256, timeout_ms);
    int extra_ready = 0, running = 0;
    for (int e = 0; e < ready; e++) {
        uint32_t tag = (uint32_t)(events[e].data.u64 >> 32);
        if (tag == WAKE_TAG) {
            uint64_t wakes;
            while (read(set->wake_fd, &wakes, sizeof wakes) == (ssize_t)sizeof wakes) {}
            continue;
        }
        if (tag == EXTRA_TAG) {
            extra_ready = 1;
            continue;
        }
        struct hit_multi_member *member = &set->members[tag];
        curl_socket_t socket = (curl_socket_t)(uint32_t)events[e].data.u64;
        uint32_t got = events[e].events;
        int flags = ((got & EPOLLIN) ? CURL_CSELECT_IN : 0) | ((got & EPOLLOUT) ? CURL_CSELECT_OUT : 0)
            | ((got & (EPOLLERR | EPOLLHUP)) ? CURL_CSELECT_ERR : 0);
        curl_multi_socket_action(member->multi, socket, flags, &running);
        member->touched = 1;
    }
    run_timers(set);
    return extra_ready;
}

void hit_multi_set_perform(hit_multi_set *set) {
    if (set->count == 1) {
        int running = 0;
        curl_multi_perform(set->members[0].multi, &running);
        return;
    }
    if (set->fresh) {
        set->fresh = 0;
        run_timers(set);
        return;
    }
    (void)wait_and_drive(set, 0);
}

CURLMcode hit_multi_set_poll(hit_multi_set *set, int extra_fd, int timeout_ms, int *extra_ready) {
    if (set->count == 1) return hit_multi_poll(set->members[0].multi, extra_fd, timeout_ms, extra_ready);
    if (extra_fd != set->extra_fd) {
        if (set->extra_fd >= 0) epoll_ctl(set->epoll_fd, EPOLL_CTL_DEL, set->extra_fd, NULL);
        set->extra_fd = -1;
        struct epoll_event event = { .events = EPOLLIN, .data.u64 = (uint64_t)EXTRA_TAG << 32 };
        if (extra_fd >= 0 && epoll_ctl(set->epoll_fd, EPOLL_CTL_ADD, extra_fd, &event) == 0) set->extra_fd = extra_fd;
    }
    // Sleep no longer than the earliest member's timer.
    int64_t now = set_now_ns(), next = -1;
    for (int index = 0; index < set->count; index++) {
        int64_t deadline = set->members[index].deadline_ns;
        if (deadline >= 0 && (next < 0 || deadline < next)) next = deadline;
    }
    if (next >= 0) {
        int64_t until = next <= now ? 0 : (next - now + 999999) / 1000000;
        if (timeout_ms < 0 || until < timeout_ms) timeout_ms = (int)until;
    }
    int extra = wait_and_drive(set, timeout_ms);
    // An extra fd not registered (another one was asked for at a bad time) is never reported.
    *extra_ready = extra && extra_fd >= 0 && extra_fd == set->extra_fd;
    set->fresh = 1;
    return CURLM_OK;
}

CURLMsg *hit_multi_set_info_read(hit_multi_set *set, int *index) {
    if (set->count == 1) {
        int queued = 0;
        *index = 0;
        return curl_multi_info_read(set->members[0].multi, &queued);
    }
    for (; set->cursor < set->count; set->cursor++) {
        struct hit_multi_member *member = &set->members[set->cursor];
        if (!member->touched) continue;
        int queued = 0;
        CURLMsg *message = curl_multi_info_read(member->multi, &queued);
        if (message != NULL) {
            *index = set->cursor;
            return message;
        }
        member->touched = 0;
    }
    set->cursor = 0;
    return NULL;
}

void hit_multi_set_wakeup(hit_multi_set *set) {
    if (set->count == 1) {
        curl_multi_wakeup(set->members[0].multi);
        return;
    }
    uint64_t one = 1;
    ssize_t written = write(set->wake_fd, &one, sizeof one);
    (void)written;  // a full counter is already a pending wake-up
}

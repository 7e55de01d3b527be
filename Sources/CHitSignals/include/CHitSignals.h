#ifndef HIT_CHITSIGNALS_H
#define HIT_CHITSIGNALS_H

/// Catches SIGINT, SIGTERM, SIGHUP and SIGQUIT from now on, and unblocks them. The handler only
/// writes the signal's number to a pipe, for `hit_signals_next`; a second signal ends the process
/// at once with status 130. Call once, first thing in the process. Returns 0, or -1 with errno.
int hit_signals_install(void);

/// Blocks until a signal has been caught; returns its number (the first one caught comes first),
/// or -1 if signals were never installed.
int hit_signals_next(void);

/// From now on a second signal no longer ends the process at once: the report is being written,
/// and is not cut off for it. (The grace period after the first signal still bounds the wait.)
void hit_signals_begin_report(void);

/// How the process's other threads (all but the caller) are doing, from `/proc/self/task`: returns
/// how many of them are running or waiting in a run queue to run (state R), and sets `cpu_ns` to the
/// CPU time they have used. Returns -1 if that cannot be read. A process blocked in a write to a
/// reader that never reads has no such thread and uses no CPU; one still writing its report on a
/// machine whose CPUs are busy has a thread waiting to run.
int hit_signals_others_at_work(long long *cpu_ns);

/// Names the calling thread "hit.signals", for debuggers and `top -H`.
void hit_signals_name_thread(void);

#endif

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

/// Names the calling thread "hit.signals", for debuggers and `top -H`.
void hit_signals_name_thread(void);

#endif

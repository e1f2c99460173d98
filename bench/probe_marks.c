/* Callgrind's client requests for bench/probe_pages.py (loaded with ctypes): the probe counts the
   instructions of the measured requests only. Outside valgrind each call does nothing. */
#include <valgrind/callgrind.h>

void probe_start(void) { CALLGRIND_START_INSTRUMENTATION; }
void probe_zero(void) { CALLGRIND_ZERO_STATS; }
void probe_toggle(void) { CALLGRIND_TOGGLE_COLLECT; }
void probe_dump(const char *name) { CALLGRIND_DUMP_STATS_AT(name); }

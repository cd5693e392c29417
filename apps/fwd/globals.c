/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fwd's shared state (declared in fwd.h), in a file of its own so that
 * tests linking fwd's sources without main.c use these definitions
 * instead of repeating them.
 */
#include <signal.h>

#include "fwd.h"

struct fwd_config fwd_cfg;
struct fwd_stream *fwd_streams;
unsigned int fwd_nb_streams;
struct fwd_lcore *fwd_lcores;
unsigned int fwd_nb_lcores;
unsigned int fwd_nb_lcores_avail;
uint16_t fwd_ports[VFN_MAX_ETHPORTS];
unsigned int fwd_nb_ports;
struct vfn_mempool *fwd_pool;
volatile int fwd_stop;
volatile sig_atomic_t fwd_signal;

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vfn_eal_init() and vfn_eal_cleanup(): the order things are brought up
 * in, and torn down in reverse.
 *
 *   arguments -> log level -> lcore list checked -> run lock (per prefix)
 *   -> PCI scan -> VFIO container + groups of the devices to use (so the
 *   IOMMU's IOVA ranges are known) -> memory reserved inside them and
 *   mapped for DMA -> worker lcores -> PCI probe -> --vdev probe.
 *
 * Any failure unwinds what was done and returns -1 with one line saying
 * what to do.  Fatal signals delete the hugepage files before the process
 * dies (the kernel releases everything else when the fds close).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eal_private.h"
#include "pci_private.h"
#include "telemetry_internal.h"
#include "vfn_log.h"

struct eal_config eal_cfg;
static bool initialized;
static bool run_locked;

static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
static const int term_signals[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT };
static struct sigaction saved_fatal[sizeof(fatal_signals) / sizeof(int)];
static struct sigaction saved_term[sizeof(term_signals) / sizeof(int)];
static bool term_installed[sizeof(term_signals) / sizeof(int)];

static void signal_cleanup(int sig)
{
	/* async-signal-safe: unlink() and close() only */
	eal_mem_unlink_files();
	eal_pci_close_fds();
	eal_vfio_close_fds();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = signal_cleanup;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(int); i++)
		sigaction(fatal_signals[i], &sa, &saved_fatal[i]);
	/* termination: only where the application has no handler of its own */
	for (size_t i = 0; i < sizeof(term_signals) / sizeof(int); i++) {
		struct sigaction cur;

		term_installed[i] = false;
		if (sigaction(term_signals[i], NULL, &cur) ||
		    cur.sa_handler != SIG_DFL)
			continue;
		sigaction(term_signals[i], &sa, &saved_term[i]);
		term_installed[i] = true;
	}
}

static void restore_signals(void)
{
	for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(int); i++)
		sigaction(fatal_signals[i], &saved_fatal[i], NULL);
	for (size_t i = 0; i < sizeof(term_signals) / sizeof(int); i++) {
		struct sigaction cur;

		if (!term_installed[i])
			continue;
		/* leave a handler the application installed since alone */
		if (!sigaction(term_signals[i], NULL, &cur) &&
		    cur.sa_handler == signal_cleanup)
			sigaction(term_signals[i], &saved_term[i], NULL);
		term_installed[i] = false;
	}
}

int vfn_eal_is_initialized(void)
{
	return initialized;
}

int vfn_eal_has_pci(void)
{
	return initialized && !eal_cfg.no_pci;
}

static void teardown(void)
{
	eal_telemetry_fini(); /* first: its callbacks read ports and pools */
	eal_telemetry_free_args();
	eal_vdev_remove_all();
	eal_pci_remove_all();
	eal_intr_fini(); /* after the ports: their drivers unregister */
	eal_lcores_stop();
	eal_memzone_reset();
	eal_heap_reset();
	for (unsigned int i = 0; i < eal_memseg_count(); i++)
		eal_vfio_dma_unmap(eal_memseg_get(i));
	eal_mem_cb_unregister();
	eal_vfio_close();
	eal_mem_release();
	eal_mem_fini();
	eal_pci_free_all();
	eal_iova_mode_set(VFN_IOVA_DC);
	if (run_locked)
		eal_run_unlock();
	run_locked = false;
}

/*
 * DPDK's telemetry socket (unless --no-telemetry).  A failure is logged,
 * not fatal: the application runs without it.
 */
static void start_telemetry(int argc, char **argv)
{
	const cpu_set_t *cpus = &eal_cfg.lcore_cpuset[eal_cfg.main_lcore];

	eal_telemetry_save_args(argc, argv);
	if (eal_cfg.no_telemetry)
		return;
	if (eal_telemetry_init(eal_cfg.file_prefix, cpus))
		vfn_log(VFN_LOG_WARNING, "EAL",
			"running without telemetry: %s", vfn_eal_last_error());
	eal_error_clear();
}

static int choose_iova_mode(int ndev)
{
	enum vfn_iova_mode want = eal_cfg.iova_mode;

	if (ndev > 0 && eal_vfio.noiommu) {
		if (want == VFN_IOVA_VA) {
			eal_error("invalid EAL argument '--iova-mode va': the devices are in no-IOMMU mode, which needs --iova-mode pa");
			return -1;
		}
		if (eal_cfg.no_huge) {
			eal_error("no-IOMMU mode needs physical addresses, which --no-huge memory does not have; run without --no-huge");
			return -1;
		}
		eal_iova_mode_set(VFN_IOVA_PA);
		return 0;
	}
	eal_iova_mode_set(want == VFN_IOVA_PA ? VFN_IOVA_PA : VFN_IOVA_VA);
	return 0;
}

static int memory_up(int ndev)
{
	uint64_t lo = 0, hi = (1ull << 47) - 1;

	if (ndev > 0 && !eal_vfio.noiommu)
		eal_vfio_best_range(&lo, &hi);
	if (eal_mem_va_init(lo, hi))
		return -1;
	if (ndev > 0 && !eal_vfio.noiommu) {
		uint64_t need = eal_cfg.memory;

		for (int s = 0; s < VFN_MAX_NUMA_NODES; s++)
			need += eal_cfg.socket_mem[s];
		if (eal_vfio_check_memlock(need ? need : 64ull << 20))
			return -1;
		eal_mem_cb_register(eal_vfio_mem_cb, NULL);
	}
	return eal_mem_init();
}

/* --log-level PATTERN:LEVEL / REGEX,LEVEL, --syslog, and notes on the
 * DPDK options accepted without an effect here. */
static void apply_log_options(const char *prog)
{
	const char *slash = strrchr(prog, '/');

	vfn_log_reset_patterns();
	for (unsigned int i = 0; i < eal_cfg.n_log_patterns; i++) {
		const struct eal_log_pattern *lp = &eal_cfg.log_patterns[i];

		if (lp->regex)
			vfn_log_set_level_regexp(lp->pattern, (uint32_t)lp->level);
		else
			vfn_log_set_level_pattern(lp->pattern, (uint32_t)lp->level);
	}
	eal_log_syslog(slash ? slash + 1 : prog, eal_cfg.syslog_facility);
	if (eal_cfg.vfio_intr)
		vfn_log(VFN_LOG_INFO, "EAL",
			"--vfio-intr: vfnet's drivers poll and enable no device interrupt; the mode is recorded only");
}

int vfn_eal_init(int argc, char **argv)
{
	int consumed, ndev = 0, err;

	if (initialized) {
		eal_error("vfn_eal_init() called twice; call vfn_eal_cleanup() first");
		errno = EALREADY;
		return -1;
	}
	eal_config_free(&eal_cfg);
	eal_config_defaults(&eal_cfg);
	consumed = eal_parse_args(argc, argv, &eal_cfg);
	if (consumed < 0) {
		eal_config_free(&eal_cfg);
		errno = EINVAL;
		return -1;
	}
	if (eal_cfg.help) {
		eal_usage(argc > 0 ? argv[0] : "vfnet", stdout);
		eal_config_free(&eal_cfg);
		exit(0);
	}
	if (eal_cfg.log_level > 0)
		vfn_log_set_level((enum vfn_log_level)eal_cfg.log_level);
	apply_log_options(argc > 0 ? argv[0] : "vfnet");
	if (!eal_cfg.in_memory && !eal_cfg.no_huge) {
		if (eal_run_lock(eal_cfg.file_prefix))
			goto fail;
		run_locked = true;
	}
	if (!eal_cfg.no_pci) {
		eal_pci_scan();
		ndev = eal_pci_prepare();
		if (ndev < 0)
			goto fail;
	}
	if (choose_iova_mode(ndev))
		goto fail;
	/* lcores before memory: memory goes to the main lcore's node */
	if (eal_lcores_start())
		goto fail;
	if (memory_up(ndev))
		goto fail;
	initialized = true; /* the heap serves probe() calls from here */
	if (!eal_cfg.no_pci && ndev > 0 && eal_pci_probe())
		goto fail;
	if (eal_vdev_probe_all())
		goto fail;
	install_signals();
	start_telemetry(argc, argv);
	vfn_log(VFN_LOG_INFO, "EAL",
		"ready: %u lcores, %llu MB of %s memory, IOVA as %s, %d PCI devices",
		vfn_lcore_count(),
		(unsigned long long)(vfn_eal_memory_total() >> 20),
		eal_cfg.no_huge ? "base-page" : "hugepage",
		eal_iova_mode_get() == VFN_IOVA_PA ? "PA" : "VA", ndev);
	/* DPDK's convention: argv[0] is not counted, and the program name
	 * moves to just before the application's arguments. */
	if (consumed > 1)
		argv[consumed - 1] = argv[0];
	return consumed - 1;
fail:
	err = errno;
	initialized = false;
	teardown();
	eal_config_free(&eal_cfg);
	errno = err ? err : EINVAL;
	return -1;
}

int vfn_eal_cleanup(void)
{
	if (!initialized)
		return -EALREADY;
	restore_signals();
	teardown();
	initialized = false;
	eal_config_free(&eal_cfg);
	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lcores: one pinned thread per worker lcore, launch and wait, return
 * values, busy lcores, per-lcore variables, iteration and NUMA queries.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include "eal_private.h"
#include "vfn_cunit.h"
#include "vfn_eal.h"
#include "vfn_log.h"

static VFN_DEFINE_PER_LCORE(int, counter);

static int ncpus(void)
{
	cpu_set_t s;

	sched_getaffinity(0, sizeof(s), &s);
	return CPU_COUNT(&s);
}

static int eal_up(const char *lcores)
{
	char *argv[] = { (char *)"prog", (char *)"-l", (char *)lcores,
			 (char *)"--no-huge", (char *)"-m", (char *)"8",
			 (char *)"--no-pci", NULL };

	return vfn_eal_init(7, argv);
}

struct probe {
	unsigned int lcore;
	int cpu;
	int affinity_cpus;
	pthread_t self;
	unsigned int socket;
};

static int where_am_i(void *arg)
{
	struct probe *p = arg;
	cpu_set_t s;

	p->lcore = vfn_lcore_id();
	p->cpu = sched_getcpu();
	pthread_getaffinity_np(pthread_self(), sizeof(s), &s);
	p->affinity_cpus = CPU_COUNT(&s);
	p->self = pthread_self();
	p->socket = vfn_socket_id();
	VFN_PER_LCORE(counter) += 10;
	return 1000 + (int)p->lcore;
}

static void test_launch_wait_affinity(void)
{
	struct probe p = { 0 };

	if (ncpus() < 2)
		vfn_test_skip("needs 2 CPUs");
	CU_ASSERT_EQUAL_FATAL(eal_up("0-1"), 6);
	CU_ASSERT_EQUAL(vfn_lcore_count(), 2);
	CU_ASSERT_EQUAL(vfn_get_main_lcore(), 0);
	CU_ASSERT_EQUAL(vfn_lcore_id(), 0);
	CU_ASSERT_EQUAL(vfn_lcore_to_cpu_id(1), 1);
	CU_ASSERT_EQUAL(vfn_eal_remote_launch(where_am_i, &p, 1), 0);
	CU_ASSERT_EQUAL(vfn_eal_wait_lcore(1), 1001);
	CU_ASSERT_EQUAL(p.lcore, 1);
	CU_ASSERT_EQUAL(p.cpu, 1);
	CU_ASSERT_EQUAL(p.affinity_cpus, 1); /* pinned to exactly one CPU */
	CU_ASSERT_FALSE(pthread_equal(p.self, pthread_self()));
	CU_ASSERT_EQUAL(p.socket, vfn_lcore_to_socket_id(1));
	CU_ASSERT_EQUAL(vfn_eal_get_lcore_state(1), VFN_LCORE_WAIT);
	/* the main lcore is pinned too, and runs nothing by launch */
	CU_ASSERT_EQUAL(sched_getcpu(), 0);
	CU_ASSERT_EQUAL(vfn_eal_remote_launch(where_am_i, &p, 0), -EINVAL);
	CU_ASSERT_EQUAL(vfn_eal_remote_launch(where_am_i, &p, 5), -EINVAL);
	/* per-lcore variables are per thread */
	VFN_PER_LCORE(counter) = 1;
	CU_ASSERT_EQUAL(vfn_eal_remote_launch(where_am_i, &p, 1), 0);
	vfn_eal_mp_wait_lcore();
	CU_ASSERT_EQUAL(vfn_eal_remote_launch(where_am_i, &p, 1), 0);
	vfn_eal_mp_wait_lcore();
	CU_ASSERT_EQUAL(VFN_PER_LCORE(counter), 1);
	CU_ASSERT_EQUAL(vfn_eal_cleanup(), 0);
	CU_ASSERT_EQUAL(vfn_lcore_id(), VFN_LCORE_ID_ANY);
}

static volatile int release;

static int spin(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&release, __ATOMIC_ACQUIRE))
		usleep(100);
	return 7;
}

static int count_calls(void *arg)
{
	__atomic_add_fetch((int *)arg, 1, __ATOMIC_RELAXED);
	return 0;
}

static void test_busy_and_mp(void)
{
	int calls = 0;

	if (ncpus() < 2)
		vfn_test_skip("needs 2 CPUs");
	CU_ASSERT_EQUAL_FATAL(eal_up("0,1"), 6);
	release = 0;
	CU_ASSERT_EQUAL(vfn_eal_remote_launch(spin, NULL, 1), 0);
	CU_ASSERT_EQUAL(vfn_eal_remote_launch(spin, NULL, 1), -EBUSY);
	CU_ASSERT_EQUAL(vfn_eal_get_lcore_state(1), VFN_LCORE_RUNNING);
	CU_ASSERT_EQUAL(vfn_eal_mp_remote_launch(count_calls, &calls,
						 VFN_SKIP_MAIN), -EBUSY);
	__atomic_store_n(&release, 1, __ATOMIC_RELEASE);
	CU_ASSERT_EQUAL(vfn_eal_wait_lcore(1), 7);
	CU_ASSERT_EQUAL(vfn_eal_wait_lcore(1), 0); /* idle: nothing to wait for */
	CU_ASSERT_EQUAL(vfn_eal_mp_remote_launch(count_calls, &calls,
						 VFN_CALL_MAIN), 0);
	vfn_eal_mp_wait_lcore();
	CU_ASSERT_EQUAL(calls, 2);
	CU_ASSERT_EQUAL(vfn_eal_cleanup(), 0);
}

static void test_iteration(void)
{
	unsigned int i, n = 0;

	if (ncpus() < 2)
		vfn_test_skip("needs 2 CPUs");
	/* lcore ids need not be CPU ids: lcores 3 and 9 on CPUs 0 and 1 */
	CU_ASSERT_EQUAL_FATAL(eal_up("3@0,9@1"), 6);
	CU_ASSERT_EQUAL(vfn_lcore_count(), 2);
	CU_ASSERT_EQUAL(vfn_get_main_lcore(), 3);
	CU_ASSERT_EQUAL(vfn_get_next_lcore(-1, 0, 0), 3);
	CU_ASSERT_EQUAL(vfn_get_next_lcore(3, 0, 0), 9);
	CU_ASSERT_EQUAL(vfn_get_next_lcore(9, 0, 0), VFN_MAX_LCORE);
	CU_ASSERT_EQUAL(vfn_get_next_lcore(9, 0, 1), 3);
	CU_ASSERT_EQUAL(vfn_get_next_lcore(-1, 1, 0), 9);
	CU_ASSERT_EQUAL(vfn_get_next_lcore(9, 1, 1), 9);
	VFN_LCORE_FOREACH(i)
		n++;
	CU_ASSERT_EQUAL(n, 2);
	n = 0;
	VFN_LCORE_FOREACH_WORKER(i) {
		CU_ASSERT_EQUAL(i, 9);
		n++;
	}
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_TRUE(vfn_lcore_is_enabled(9));
	CU_ASSERT_FALSE(vfn_lcore_is_enabled(4));
	CU_ASSERT_EQUAL(vfn_lcore_to_cpu_id(9), 1);
	CU_ASSERT_EQUAL(vfn_lcore_to_socket_id(9), (unsigned int)eal_cpu_socket(1));
	CU_ASSERT_EQUAL(vfn_eal_cleanup(), 0);
}

static void test_main_lcore_and_bad_cpu(void)
{
	char *argv[] = { (char *)"prog", (char *)"-l", (char *)"0-1",
			 (char *)"--main-lcore", (char *)"1", (char *)"--no-huge",
			 (char *)"-m", (char *)"8", (char *)"--no-pci", NULL };
	char *bad[] = { (char *)"prog", (char *)"-l", (char *)"0@127",
			(char *)"--no-huge", (char *)"--no-pci", NULL };
	char want[256];

	if (ncpus() < 2)
		vfn_test_skip("needs 2 CPUs");
	CU_ASSERT_EQUAL_FATAL(vfn_eal_init(9, argv), 8);
	CU_ASSERT_EQUAL(vfn_get_main_lcore(), 1);
	CU_ASSERT_EQUAL(vfn_lcore_id(), 1);
	CU_ASSERT_EQUAL(sched_getcpu(), 1);
	CU_ASSERT_EQUAL(vfn_eal_cleanup(), 0);
	vfn_log_set_level(VFN_LOG_EMERG);
	CU_ASSERT_EQUAL(vfn_eal_init(5, bad), -1);
	vfn_log_set_level(VFN_LOG_WARNING);
	snprintf(want, sizeof(want),
		 "invalid EAL argument '-l': lcore 0 needs CPU 127, which this process cannot use (%ld CPUs online; see taskset -p $$)",
		 sysconf(_SC_NPROCESSORS_ONLN));
	CU_ASSERT_STRING_EQUAL(vfn_eal_last_error(), want);
}

static void test_default_lcores(void)
{
	char *argv[] = { (char *)"prog", (char *)"--no-huge", (char *)"-m",
			 (char *)"8", (char *)"--no-pci", NULL };
	unsigned int n = (unsigned int)ncpus();

	CU_ASSERT_EQUAL_FATAL(vfn_eal_init(5, argv), 4);
	CU_ASSERT_STRING_EQUAL(argv[4], "prog"); /* no "--": after the last */
	CU_ASSERT_EQUAL(vfn_lcore_count(), n);
	CU_ASSERT_EQUAL(vfn_eal_cleanup(), 0);
	CU_ASSERT_EQUAL(vfn_lcore_count(), 1);
}

static const struct vfn_test_case lcore_cases[] = {
	{ "launch, wait, affinity, per-lcore", test_launch_wait_affinity },
	{ "busy lcore and mp launch", test_busy_and_mp },
	{ "iteration and lcore-to-CPU/NUMA maps", test_iteration },
	{ "--main-lcore and an unusable CPU", test_main_lcore_and_bad_cpu },
	{ "default: one lcore per CPU", test_default_lcores },
	{ NULL, NULL },
};

static const struct vfn_test_suite lcore_suite = {
	"eal_lcore", NULL, NULL, lcore_cases,
};

int main(void)
{
	const struct vfn_test_suite *suites[] = { &lcore_suite, NULL };

	vfn_log_set_level(VFN_LOG_WARNING);
	return vfn_cunit_main(suites);
}

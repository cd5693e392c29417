/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DPDK side of bench/eal_startup for the EAL alone: rte_eal_init()
 * with the arguments given, print "dpdk ready", wait for a line on stdin,
 * rte_eal_cleanup().
 */
#include <stdio.h>

#include <rte_eal.h>

int main(int argc, char **argv)
{
	char buf[16];

	if (rte_eal_init(argc, argv) < 0)
		return 1;
	printf("dpdk ready\n");
	fflush(stdout);
	if (!fgets(buf, sizeof(buf), stdin))
		buf[0] = '\0';
	rte_eal_cleanup();
	return 0;
}

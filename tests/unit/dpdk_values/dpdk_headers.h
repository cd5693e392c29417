/* SPDX-License-Identifier: BSD-3-Clause */
/* DPDK 22.11's public headers whose constants vfnet carries under vfn_ names. */
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_memory.h>
#include <rte_memzone.h>
#include <rte_malloc.h>
#include <rte_ring.h>
#include <rte_mempool.h>
#include <rte_mbuf.h>
#include <rte_ether.h>
#include <rte_ethdev.h>
#include <rte_eth_ring.h>
#include <rte_bus_pci.h>
#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_arp.h>
#include <rte_ip.h>
#include <rte_icmp.h>
#include <rte_tcp.h>
#include <rte_udp.h>
#include <rte_net.h>

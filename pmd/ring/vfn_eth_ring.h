/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * net_ring: a port over vfnet rings of mbuf pointers (DPDK's net_ring).
 * Tx enqueues the mbufs on the queue's tx ring, rx dequeues from its rx
 * ring; two ports whose rx and tx rings are swapped are cross-connected,
 * a port whose rx and tx rings are the same is a loopback.
 *
 * As a virtual device:
 *  - "--vdev net_ring0": 16 loopback rings named ETH_RXTX\<q\>_net_ring0
 *    (created, or attached when they exist), one per queue pair, as DPDK;
 *  - "--vdev net_ring0,nodeaction=NAME:NODE:CREATE|ATTACH": the same with
 *    rings named ETH_RXTX\<q\>_NAME on NUMA node NODE, created or looked up;
 *  - vfnet's cross-connection: "--vdev net_ring0,rx=a,tx=b
 *    --vdev net_ring1,rx=b,tx=a[,queues=N][,size=S]": rx rings a_\<q\>, tx
 *    rings b_\<q\> (created when absent, else attached), N queue pairs
 *    (default 1), S slots per ring (default 1024).
 * Rings a port created are drained (mbufs freed) and freed when it
 * closes; attached rings are left to their creator.
 */
#ifndef VFN_ETH_RING_H
#define VFN_ETH_RING_H

#ifdef __cplusplus
extern "C" {
#endif

struct vfn_ring;

/** Most queues of a ring port (DPDK's RTE_PMD_RING_MAX_RX/TX_RINGS). */
#define VFN_PMD_RING_MAX_QUEUES 16

/**
 * Create a ring port over existing rings (DPDK's rte_eth_from_rings()).
 * Rx queue q reads @p rx_queues[q], tx queue q writes @p tx_queues[q];
 * the rings stay owned by the caller (not freed at close).
 * @param name       port name (unique)
 * @param rx_queues  @p nb_rx_queues rings (1..VFN_PMD_RING_MAX_QUEUES)
 * @param nb_rx_queues  entries in @p rx_queues
 * @param tx_queues  @p nb_tx_queues rings (1..VFN_PMD_RING_MAX_QUEUES)
 * @param nb_tx_queues  entries in @p tx_queues
 * @param numa_node  NUMA node of the port data, or -1
 * @return the port id (>= 0), or -EINVAL (bad counts, NULL ring), -EEXIST,
 *         -ENOSPC, -ENOMEM
 */
int vfn_eth_from_rings(const char *name,
			struct vfn_ring *const rx_queues[],
			unsigned int nb_rx_queues,
			struct vfn_ring *const tx_queues[],
			unsigned int nb_tx_queues, int numa_node);

/**
 * Create a ring port using one ring per queue pair for both directions
 * (DPDK's rte_eth_from_ring()): what is sent comes back.
 * @return the port id, or a negative errno as vfn_eth_from_rings()
 */
int vfn_eth_from_ring(struct vfn_ring *r);

#ifdef __cplusplus
}
#endif

#endif /* VFN_ETH_RING_H */

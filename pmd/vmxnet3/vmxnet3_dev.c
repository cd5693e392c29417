/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vmxnet3 device control: revision negotiation, the driver-shared area
 * and the queue descriptor table in EAL memory by IOVA, activation and
 * reset through the BAR1 command register, MAC, link, receive filters,
 * RSS and the device's per-queue counters.
 *
 * The sequence follows the vmxnet3 interface as VMware documents it in
 * Linux's drivers/net/vmxnet3 (vmxnet3_defs.h, the layout; the order of
 * vmxnet3_probe_device / vmxnet3_activate_dev): select revision 1 in VRRS
 * and UPT version 1 in UVRS, describe every queue in the shared area,
 * write its address to DSAL/DSAH, then ACTIVATE_DEV, whose result (read
 * back from CMD) is 0 on success.  Stopping is QUIESCE_DEV + RESET_DEV.
 * Interrupts: without intr_conf every queue and the events name vector
 * 0 and nothing ever unmasks it (IMR), so the device is purely polled;
 * with intr_conf, vmxnet3_intr.c gives each a vector of its own.
 */
#include <errno.h>
#include <string.h>

#include "vfn_log.h"
#include "vfn_malloc.h"
#include "vmxnet3.h"

/* Default RSS key (the one Microsoft's RSS verification suite uses). */
static const uint8_t default_rss_key[UPT1_RSS_MAX_KEY_SIZE] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
	0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
	0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

/* Driver version reported in driverInfo (informational). */
#define VMXNET3_PMD_VERSION 0x01000000u

/*
 * Write a command and read its result back (vmxnet3_defs.h: the CMD
 * register returns the last command's result).  Serialized: stats and
 * link queries may come from a telemetry thread while the main thread
 * configures the port.
 */
uint32_t vmxnet3_cmd(struct vmxnet3_adapter *ad, uint32_t cmd)
{
	uint32_t ret;

	pthread_mutex_lock(&ad->cmd_lock);
	vmxnet3_bar1_write(ad, VMXNET3_REG_CMD, cmd);
	ret = vmxnet3_bar1_read(ad, VMXNET3_REG_CMD);
	pthread_mutex_unlock(&ad->cmd_lock);
	return ret;
}

/*
 * Revision negotiation: VRRS / UVRS read back a bit mask of what the
 * device supports; the driver writes the one bit it chose.
 */
static int select_revision(struct vmxnet3_adapter *ad)
{
	uint32_t v = vmxnet3_bar1_read(ad, VMXNET3_REG_VRRS);

	if (!(v & VMXNET3_REV_1)) {
		VMXNET3_LOG(ERR, "%s: device offers revisions 0x%x, this driver "
			    "speaks revision 1 only", ad->pci->name, v);
		return -ENOTSUP;
	}
	vmxnet3_bar1_write(ad, VMXNET3_REG_VRRS, VMXNET3_REV_1);
	v = vmxnet3_bar1_read(ad, VMXNET3_REG_UVRS);
	if (!(v & VMXNET3_UPT_VER_1)) {
		VMXNET3_LOG(ERR, "%s: device offers UPT versions 0x%x, this driver "
			    "speaks version 1 only", ad->pci->name, v);
		return -ENOTSUP;
	}
	vmxnet3_bar1_write(ad, VMXNET3_REG_UVRS, VMXNET3_UPT_VER_1);
	return 0;
}

/*
 * A command that has no result (UPDATE_*, GET_STATS): written only.  The
 * device handles it before the write completes (it traps to the
 * hypervisor); reading CMD back would return nothing meaningful, and
 * QEMU warns about such reads.
 */
void vmxnet3_cmd_write(struct vmxnet3_adapter *ad, uint32_t cmd)
{
	pthread_mutex_lock(&ad->cmd_lock);
	vmxnet3_bar1_write(ad, VMXNET3_REG_CMD, cmd);
	pthread_mutex_unlock(&ad->cmd_lock);
}

/* Quiesce and reset: the device forgets the shared area and its rings. */
static void dev_reset(struct vmxnet3_adapter *ad)
{
	vmxnet3_cmd(ad, VMXNET3_CMD_QUIESCE_DEV);
	vmxnet3_cmd(ad, VMXNET3_CMD_RESET_DEV);
}

/* Memory the device reads by IOVA: zeroed, aligned; NULL on failure. */
static void *dev_mem(struct vmxnet3_adapter *ad, const char *name, size_t len,
		     size_t align, uint64_t *iova)
{
	void *p = vfn_zmalloc_socket(name, len, align, ad->pci->numa_node);

	if (!p)
		return NULL;
	*iova = vfn_mem_virt2iova(p);
	if (*iova == VFN_BAD_IOVA) {
		VMXNET3_LOG(ERR, "%s: %s memory has no IOVA", ad->pci->name, name);
		vfn_free(p);
		return NULL;
	}
	return p;
}

static void read_perm_mac(struct vmxnet3_adapter *ad)
{
	uint32_t lo = vmxnet3_cmd(ad, VMXNET3_CMD_GET_PERM_MAC_LO);
	uint32_t hi = vmxnet3_cmd(ad, VMXNET3_CMD_GET_PERM_MAC_HI);
	int i;

	for (i = 0; i < 4; i++)
		ad->perm_mac[i] = (uint8_t)(lo >> (8 * i));
	ad->perm_mac[4] = (uint8_t)hi;
	ad->perm_mac[5] = (uint8_t)(hi >> 8);
}

int vmxnet3_dev_init(struct vmxnet3_adapter *ad, struct vfn_pci_device *pci)
{
	const uint8_t *m;
	int ret;

	memset(ad, 0, sizeof(*ad));
	ad->pci = pci;
	pthread_mutex_init(&ad->cmd_lock, NULL);
	if (!pci->bar[0].addr || pci->bar[0].len < VMXNET3_BAR0_SIZE ||
	    !pci->bar[1].addr || pci->bar[1].len < VMXNET3_BAR1_SIZE) {
		VMXNET3_LOG(ERR, "%s: BAR0 and BAR1 must be mapped memory BARs of "
			    "4 KiB; bind the device to vfio-pci or vfnet-pci",
			    pci->name);
		return -ENODEV;
	}
	ad->bar0 = pci->bar[0].addr;
	ad->bar1 = pci->bar[1].addr;
	ret = select_revision(ad);
	if (ret)
		return ret;
	ret = vfn_pci_set_bus_master(pci, 1);
	if (ret)
		return ret; /* the EAL logged the cause and the fix */
	dev_reset(ad);

	ad->shared = dev_mem(ad, "vmxnet3_shared", sizeof(*ad->shared), 64,
			     &ad->shared_iova);
	ad->queue_descs = dev_mem(ad, "vmxnet3_queue_descs",
				  VMXNET3_PMD_MAX_QUEUES *
				  (sizeof(struct vmxnet3_tx_queue_desc) +
				   sizeof(struct vmxnet3_rx_queue_desc)),
				  VMXNET3_QUEUE_DESC_ALIGN, &ad->queue_descs_iova);
	ad->rss_conf = dev_mem(ad, "vmxnet3_rss", sizeof(*ad->rss_conf), 64,
			       &ad->rss_conf_iova);
	if (!ad->shared || !ad->queue_descs || !ad->rss_conf) {
		vmxnet3_dev_uninit(ad);
		return -ENOMEM;
	}
	read_perm_mac(ad);
	m = ad->perm_mac;
	if (!(m[0] | m[1] | m[2] | m[3] | m[4] | m[5]) || (m[0] & 1)) {
		VMXNET3_LOG(ERR, "%s: the device reports no valid permanent MAC "
			    "address", pci->name);
		vmxnet3_dev_uninit(ad);
		return -EINVAL;
	}
	memcpy(ad->mac, ad->perm_mac, 6);
	memcpy(ad->rss_key, default_rss_key, sizeof(ad->rss_key));
	ad->rss_hash_type = UPT1_RSS_HASH_TYPE_IPV4 | UPT1_RSS_HASH_TYPE_TCP_IPV4 |
			    UPT1_RSS_HASH_TYPE_IPV6 | UPT1_RSS_HASH_TYPE_TCP_IPV6;
	ad->mtu = VFN_ETHER_MTU;
	return 0;
}

/* Reset, DSAL/DSAH cleared (the device lets go of the area), memory freed. */
void vmxnet3_dev_uninit(struct vmxnet3_adapter *ad)
{
	if (ad->bar1) {
		dev_reset(ad);
		vmxnet3_bar1_write(ad, VMXNET3_REG_DSAL, 0);
		vmxnet3_bar1_write(ad, VMXNET3_REG_DSAH, 0);
	}
	vfn_pci_set_bus_master(ad->pci, 0);
	vfn_free(ad->shared);
	vfn_free(ad->queue_descs);
	vfn_free(ad->rss_conf);
	ad->shared = NULL;
	ad->queue_descs = NULL;
	ad->rss_conf = NULL;
	pthread_mutex_destroy(&ad->cmd_lock);
}

/* The tx queue descriptors come first in the table, then the rx ones. */
static struct vmxnet3_tx_queue_desc *txq_desc(struct vmxnet3_adapter *ad,
					      uint16_t q)
{
	return (struct vmxnet3_tx_queue_desc *)ad->queue_descs + q;
}

static struct vmxnet3_rx_queue_desc *rxq_desc(struct vmxnet3_adapter *ad,
					      uint16_t q)
{
	return (struct vmxnet3_rx_queue_desc *)
		((struct vmxnet3_tx_queue_desc *)ad->queue_descs + ad->nb_txq) + q;
}

static void fill_txq_desc(struct vmxnet3_adapter *ad, uint16_t q)
{
	struct vmxnet3_tx_queue *txq = ad->txq[q];
	struct vmxnet3_tx_queue_desc *d = txq_desc(ad, q);

	memset(d, 0, sizeof(*d));
	d->tx_ring_pa = txq->ring_iova;
	d->data_ring_pa = txq->data_iova;
	d->comp_ring_pa = txq->comp_iova;
	d->tx_ring_size = txq->nb_desc;
	d->data_ring_size = txq->nb_desc;
	d->comp_ring_size = txq->nb_desc;
	d->intr_idx = ad->intr ? VMXNET3_VEC_TX(ad->nb_rxq) : 0;
	txq->shared = d;
}

static void fill_rxq_desc(struct vmxnet3_adapter *ad, uint16_t q)
{
	struct vmxnet3_rx_queue *rxq = ad->rxq[q];
	struct vmxnet3_rx_queue_desc *d = rxq_desc(ad, q);

	memset(d, 0, sizeof(*d));
	d->rx_ring_pa[0] = rxq->ring_iova;
	d->rx_ring_pa[1] = rxq->ring1_iova;
	d->comp_ring_pa = rxq->comp_iova;
	d->rx_ring_size[0] = rxq->nb_desc;
	d->rx_ring_size[1] = VMXNET3_RX_RING1_SIZE;
	d->comp_ring_size = rxq->comp_size;
	d->intr_idx = ad->intr ? VMXNET3_VEC_RXQ(q) : 0;
	rxq->shared = d;
	rxq->rss = ad->rss;
}

static uint32_t rx_mode_bits(const struct vmxnet3_adapter *ad)
{
	uint32_t mode = VMXNET3_RXM_UCAST | VMXNET3_RXM_BCAST | VMXNET3_RXM_MCAST;

	if (ad->allmulti)
		mode |= VMXNET3_RXM_ALL_MULTI;
	if (ad->promisc)
		mode |= VMXNET3_RXM_PROMISC;
	return mode;
}

/* UPT1_RSSConf: Toeplitz, the key, a table spreading over the rx queues. */
static void fill_rss_conf(struct vmxnet3_adapter *ad)
{
	struct upt1_rss_conf *rc = ad->rss_conf;
	int i;

	memset(rc, 0, sizeof(*rc));
	rc->hash_type = ad->rss_hash_type;
	rc->hash_func = UPT1_RSS_HASH_FUNC_TOEPLITZ;
	rc->hash_key_size = UPT1_RSS_MAX_KEY_SIZE;
	rc->ind_table_size = UPT1_RSS_MAX_IND_TABLE_SIZE;
	memcpy(rc->hash_key, ad->rss_key, UPT1_RSS_MAX_KEY_SIZE);
	for (i = 0; i < UPT1_RSS_MAX_IND_TABLE_SIZE; i++)
		rc->ind_table[i] = (uint8_t)(i % ad->nb_rxq);
}

/*
 * The driver-shared area (Vmxnet3_DriverShared): driver identity, the
 * queue descriptor table, MTU, one rx buffer per frame, the interrupt
 * vectors (auto-masking: a vector masks itself when it fires), receive
 * filters, RSS when configured.
 */
static void fill_shared(struct vmxnet3_adapter *ad)
{
	struct vmxnet3_driver_shared *s = ad->shared;
	uint16_t q;

	memset(s, 0, sizeof(*s));
	s->magic = VMXNET3_REV1_MAGIC;
	s->drv_version = VMXNET3_PMD_VERSION;
	s->gos = VMXNET3_GOS_BITS_64 | VMXNET3_GOS_TYPE_LINUX << VMXNET3_GOS_TYPE_SHIFT;
	s->vmxnet3_rev_spt = VMXNET3_REV_1;
	s->upt_ver_spt = VMXNET3_UPT_VER_1;
	s->queue_desc_pa = ad->queue_descs_iova;
	s->queue_desc_len = ad->nb_txq * sizeof(struct vmxnet3_tx_queue_desc) +
			    ad->nb_rxq * sizeof(struct vmxnet3_rx_queue_desc);
	s->mtu = ad->mtu;
	s->max_num_rx_sg = 1;
	s->num_tx_queues = (uint8_t)ad->nb_txq;
	s->num_rx_queues = (uint8_t)ad->nb_rxq;
	s->auto_mask = 1;
	s->event_intr_idx = VMXNET3_VEC_EVENT;
	if (ad->intr) {
		s->num_intrs = (uint8_t)(ad->nb_rxq + 2);
		s->intr_ctrl = 0;
	} else {
		s->num_intrs = 1;
		s->intr_ctrl = VMXNET3_IC_DISABLE_ALL;
	}
	s->rx_mode = rx_mode_bits(ad);
	/* No VLAN filtering: every VLAN passes. */
	memset(s->vf_table, 0xff, sizeof(s->vf_table));
	if (ad->rss) {
		fill_rss_conf(ad);
		s->upt_features |= UPT1_F_RSS;
		s->rss_conf.conf_ver = 1;
		s->rss_conf.conf_len = sizeof(*ad->rss_conf);
		s->rss_conf.conf_pa = ad->rss_conf_iova;
	}
	for (q = 0; q < ad->nb_txq; q++)
		fill_txq_desc(ad, q);
	for (q = 0; q < ad->nb_rxq; q++)
		fill_rxq_desc(ad, q);
}

/*
 * Everything a start needs: rings reset and rx buffers posted (queues
 * set up with deferred start get none until vmxnet3_rxq_post()), the
 * shared area, activation, then the MAC (QEMU's activation puts back
 * the permanent one) and the receive filters.
 */
int vmxnet3_dev_start(struct vmxnet3_adapter *ad, const uint8_t *rx_deferred)
{
	uint32_t status;
	uint16_t q;
	int ret;

	for (q = 0; q < ad->nb_rxq; q++)
		if (!ad->rxq[q]) {
			VMXNET3_LOG(ERR, "%s: rx queue %u not set up", ad->pci->name, q);
			return -EINVAL;
		}
	for (q = 0; q < ad->nb_txq; q++)
		if (!ad->txq[q]) {
			VMXNET3_LOG(ERR, "%s: tx queue %u not set up", ad->pci->name, q);
			return -EINVAL;
		}
	dev_reset(ad);
	fill_shared(ad);
	for (q = 0; q < ad->nb_txq; q++)
		vmxnet3_txq_init(ad->txq[q]);
	for (q = 0; q < ad->nb_rxq; q++) {
		ret = vmxnet3_rxq_init(ad->rxq[q], !rx_deferred[q]);
		if (ret)
			goto fail;
	}
	/* Every ring and descriptor is in memory before the device reads it. */
	vfn_io_wmb();
	vmxnet3_bar1_write(ad, VMXNET3_REG_DSAL, (uint32_t)ad->shared_iova);
	vmxnet3_bar1_write(ad, VMXNET3_REG_DSAH, (uint32_t)(ad->shared_iova >> 32));
	status = vmxnet3_cmd(ad, VMXNET3_CMD_ACTIVATE_DEV);
	if (status) {
		VMXNET3_LOG(ERR, "%s: the device refused activation (status 0x%x) "
			    "with %u rx and %u tx queues", ad->pci->name, status,
			    ad->nb_rxq, ad->nb_txq);
		ret = -EIO;
		goto fail;
	}
	vmxnet3_dev_write_mac(ad, ad->mac);
	ad->started = 1;
	return 0;
fail:
	vmxnet3_dev_stop(ad);
	return ret;
}

/* Sum of the device's per-queue counters of this activation. */
static void read_queue_stats(struct vmxnet3_adapter *ad,
			     struct vmxnet3_hw_stats *s)
{
	uint16_t q;

	memset(s, 0, sizeof(*s));
	if (!ad->started)
		return;
	vmxnet3_cmd_write(ad, VMXNET3_CMD_GET_STATS);
	for (q = 0; q < ad->nb_txq; q++) {
		const volatile struct upt1_tx_stats *t = &txq_desc(ad, q)->stats;

		s->tx_ucast += t->ucast_pkts;
		s->tx_mcast += t->mcast_pkts;
		s->tx_bcast += t->bcast_pkts;
		s->tx_bytes += t->ucast_bytes + t->mcast_bytes + t->bcast_bytes;
		s->tx_tso_pkts += t->tso_pkts;
		s->tx_errors += t->error_pkts;
		s->tx_discards += t->discard_pkts;
	}
	for (q = 0; q < ad->nb_rxq; q++) {
		const volatile struct upt1_rx_stats *r = &rxq_desc(ad, q)->stats;

		s->rx_ucast += r->ucast_pkts;
		s->rx_mcast += r->mcast_pkts;
		s->rx_bcast += r->bcast_pkts;
		s->rx_bytes += r->ucast_bytes + r->mcast_bytes + r->bcast_bytes;
		s->rx_lro_pkts += r->lro_pkts;
		s->rx_out_of_buf += r->out_of_buf_pkts;
		s->rx_errors += r->error_pkts;
	}
	s->tx_pkts = s->tx_ucast + s->tx_mcast + s->tx_bcast;
	s->rx_pkts = s->rx_ucast + s->rx_mcast + s->rx_bcast;
}

#define HW_NB_FIELDS (sizeof(struct vmxnet3_hw_stats) / sizeof(uint64_t))

static void stats_add(struct vmxnet3_hw_stats *a, const struct vmxnet3_hw_stats *b)
{
	uint64_t *pa = (uint64_t *)a;
	const uint64_t *pb = (const uint64_t *)b;
	size_t i;

	for (i = 0; i < HW_NB_FIELDS; i++)
		pa[i] += pb[i];
}

/* Counters since the last reset, across activations. */
void vmxnet3_dev_stats(struct vmxnet3_adapter *ad, struct vmxnet3_hw_stats *out)
{
	struct vmxnet3_hw_stats cur;
	uint64_t *po = (uint64_t *)out;
	const uint64_t *pb = (const uint64_t *)&ad->hw_base;
	size_t i;

	read_queue_stats(ad, &cur);
	*out = ad->hw_done;
	stats_add(out, &cur);
	for (i = 0; i < HW_NB_FIELDS; i++)
		po[i] -= pb[i];
}

void vmxnet3_dev_stats_reset(struct vmxnet3_adapter *ad)
{
	struct vmxnet3_hw_stats cur;

	read_queue_stats(ad, &cur);
	ad->hw_base = ad->hw_done;
	stats_add(&ad->hw_base, &cur);
}

/*
 * Stop: keep this activation's counters (activation zeroes the device's),
 * quiesce and reset, then free the buffers the rings held.
 */
void vmxnet3_dev_stop(struct vmxnet3_adapter *ad)
{
	struct vmxnet3_hw_stats cur;
	uint16_t q;

	read_queue_stats(ad, &cur);
	stats_add(&ad->hw_done, &cur);
	ad->started = 0;
	dev_reset(ad);
	for (q = 0; q < ad->nb_rxq; q++)
		if (ad->rxq[q])
			vmxnet3_rxq_drain(ad->rxq[q]);
	for (q = 0; q < ad->nb_txq; q++)
		if (ad->txq[q])
			vmxnet3_txq_drain(ad->txq[q]);
}

/* MACL holds bytes 0-3, MACH bytes 4-5; the write of MACH applies it. */
void vmxnet3_dev_write_mac(struct vmxnet3_adapter *ad, const uint8_t mac[6])
{
	uint32_t lo = mac[0] | (uint32_t)mac[1] << 8 | (uint32_t)mac[2] << 16 |
		      (uint32_t)mac[3] << 24;
	uint32_t hi = mac[4] | (uint32_t)mac[5] << 8;

	memcpy(ad->mac, mac, 6);
	vmxnet3_bar1_write(ad, VMXNET3_REG_MACL, lo);
	vmxnet3_bar1_write(ad, VMXNET3_REG_MACH, hi);
}

/* rxFilterConf.rxMode, then UPDATE_RX_MODE (only while active). */
void vmxnet3_dev_rx_mode(struct vmxnet3_adapter *ad)
{
	if (!ad->started)
		return;
	ad->shared->rx_mode = rx_mode_bits(ad);
	vfn_io_wmb();
	vmxnet3_cmd_write(ad, VMXNET3_CMD_UPDATE_RX_MODE);
}

/* A new key / hash type / table: UPDATE_RSSIDT makes the device re-read it. */
int vmxnet3_dev_rss_update(struct vmxnet3_adapter *ad)
{
	if (!ad->started)
		return 0;
	fill_rss_conf(ad);
	vfn_io_wmb();
	vmxnet3_cmd_write(ad, VMXNET3_CMD_UPDATE_RSSIDT);
	return 0;
}

/*
 * Link (GET_LINK): bit 0 up, speed in Mbps in bits 31:16.  A pending
 * link event in the shared area's ECR is acknowledged on the way.
 */
int vmxnet3_dev_link_get(struct vmxnet3_adapter *ad, uint32_t *speed_mbps)
{
	uint32_t v = vmxnet3_cmd(ad, VMXNET3_CMD_GET_LINK);
	uint32_t ecr = __atomic_load_n(&ad->shared->ecr, __ATOMIC_ACQUIRE);

	if (ecr & VMXNET3_ECR_LINK)
		vmxnet3_bar1_write(ad, VMXNET3_REG_ECR, VMXNET3_ECR_LINK);
	*speed_mbps = v >> VMXNET3_LINK_SPEED_SHIFT;
	return v & VMXNET3_LINK_UP_BIT;
}

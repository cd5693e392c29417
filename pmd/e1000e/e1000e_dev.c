/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * e1000e device life cycle: probe-time init, start, stop.  Follows the
 * order of datasheet 4.6 "Software Initialization Sequence": reset and
 * general configuration (4.6.2), link (4.6.3), statistics (4.6.4),
 * receive (4.6.5) and transmit (4.6.6) initialization.
 */
#include <errno.h>
#include <string.h>

#include "vfn_log.h"
#include "e1000e.h"

/* Default RSS key (the one Microsoft's RSS verification suite uses). */
static const uint8_t default_rss_key[E1000_RSSRK_SIZE] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
	0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
	0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

int e1000e_dev_init(struct e1000e_adapter *ad, struct vfn_pci_device *pci)
{
	int ret;

	memset(ad, 0, sizeof(*ad));
	ad->pci = pci;
	if (!pci->bar[0].addr || pci->bar[0].len < 0x10000) {
		E1000E_LOG(ERR, "%s: BAR0 not mapped or too small (%llu bytes); bind the "
			   "device to vfio-pci or vfnet-pci", pci->name,
			   (unsigned long long)pci->bar[0].len);
		return -ENODEV;
	}
	ad->hw_addr = pci->bar[0].addr;
	for (int i = 0; i < E1000E_MSIX_NB; i++)
		ad->msix_efd[i] = -1;
	ret = vfn_pci_set_bus_master(pci, 1);
	if (ret)
		return ret; /* the EAL logged the cause and the fix */
	ret = e1000e_hw_reset(ad);
	if (ret)
		return ret;
	ret = e1000e_hw_read_mac(ad);
	if (ret)
		return ret;
	e1000e_hw_link_setup(ad);
	e1000e_hw_stats_reset(ad);
	memcpy(ad->rss_key, default_rss_key, sizeof(ad->rss_key));
	ad->rss_mrqc = E1000_MRQC_RSS_IPV4 | E1000_MRQC_RSS_TCPIPV4 |
		       E1000_MRQC_RSS_IPV6 | E1000_MRQC_RSS_TCPIPV6 |
		       E1000_MRQC_RSS_IPV6EX;
	return 0;
}

/* Everything a start needs, in datasheet order; on error the device is stopped. */
int e1000e_dev_start(struct e1000e_adapter *ad)
{
	uint16_t q;
	int ret;

	if (!ad->nb_rxq || !ad->nb_txq) {
		E1000E_LOG(ERR, "%s: configure the port before starting it", ad->pci->name);
		return -EINVAL;
	}
	for (q = 0; q < ad->nb_rxq; q++)
		if (!ad->rxq[q]) {
			E1000E_LOG(ERR, "%s: rx queue %u not set up", ad->pci->name, q);
			return -EINVAL;
		}
	for (q = 0; q < ad->nb_txq; q++)
		if (!ad->txq[q]) {
			E1000E_LOG(ERR, "%s: tx queue %u not set up", ad->pci->name, q);
			return -EINVAL;
		}

	/* Keep the counters across the reset (4.6.4). */
	e1000e_hw_stats_update(ad);
	ret = e1000e_hw_reset(ad);
	if (ret)
		return ret;
	e1000e_hw_write_mac(ad, ad->mac);
	e1000e_hw_link_setup(ad);
	e1000e_hw_stats_rebase(ad);

	/* Receive (4.6.5): rings, filters and RSS, buffers, enable, tails. */
	e1000e_hw_rss_setup(ad);
	for (q = 0; q < ad->nb_rxq; q++) {
		struct e1000e_rx_queue *rxq = ad->rxq[q];

		e1000e_rxq_drain(rxq);
		if (ad->rx_deferred[q])
			continue; /* ring length stays 0: the queue is off */
		ret = e1000e_rxq_fill(rxq);
		if (ret)
			goto fail;
		rxq->rss = ad->rss;
		e1000e_hw_rx_ring_init(ad, rxq);
	}
	/* Transmit (4.6.6). */
	for (q = 0; q < ad->nb_txq; q++) {
		e1000e_txq_drain(ad->txq[q]);
		if (!ad->tx_deferred[q])
			e1000e_hw_tx_ring_init(ad, ad->txq[q]);
	}
	e1000e_hw_tx_enable(ad);
	e1000e_hw_rx_enable(ad);
	for (q = 0; q < ad->nb_rxq; q++) {
		if (ad->rx_deferred[q])
			continue;
		vfn_io_wmb();
		e1000e_write(ad, E1000_RDT(q), ad->rxq[q]->nb_desc - 1);
	}
	ad->started = 1;
	return 0;
fail:
	e1000e_dev_stop(ad);
	return ret;
}

void e1000e_dev_stop(struct e1000e_adapter *ad)
{
	uint16_t q;

	e1000e_hw_stop(ad);
	for (q = 0; q < ad->nb_rxq; q++)
		if (ad->rxq[q])
			e1000e_rxq_drain(ad->rxq[q]);
	for (q = 0; q < ad->nb_txq; q++)
		if (ad->txq[q])
			e1000e_txq_drain(ad->txq[q]);
	ad->started = 0;
}

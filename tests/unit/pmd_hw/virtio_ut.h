/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by the virtio-net unit tests (split and packed rings): the mbuf
 * pool, an adapter as probe leaves it, the doorbell (a plain variable
 * here) and test frames.
 */
#ifndef VIRTIO_UT_H
#define VIRTIO_UT_H

#include <stdint.h>
#include <string.h>

#include "vfn_mbuf.h"
#include "vfn_mempool.h"
#include "virtio_net.h"

#define POOL 512

static struct vfn_pci_device pci = { .name = "0000:00:04.0" };
static struct virtio_net_adapter ad;
static struct vfn_mempool *mp;
static volatile uint16_t doorbell;

/* VERSION_1 and MRG_RXBUF negotiated, plus @p features. */
static int virtio_ut_setup(uint64_t features)
{
	mp = vfn_pktmbuf_pool_create("virtio_ut", POOL, 0, 0,
				     VFN_PKTMBUF_HEADROOM + 2048, -1);
	memset(&ad, 0, sizeof(ad));
	ad.vp.pci = &pci;
	ad.vp.features = (1ull << VIRTIO_F_VERSION_1) |
			 (1ull << VIRTIO_NET_F_MRG_RXBUF) | features;
	ad.rx_max = ad.tx_max = 256;
	ad.mtu = 1500;
	return mp ? 0 : -1;
}

static int teardown(void)
{
	vfn_mempool_free(mp);
	return 0;
}

/* A one-segment frame of @p len bytes: seed, seed + 1, ... */
static struct vfn_mbuf *frame(uint16_t len, uint8_t seed)
{
	struct vfn_mbuf *m = NULL;
	uint8_t *p;
	uint16_t i;

	if (vfn_pktmbuf_alloc_bulk(mp, &m, 1))
		return NULL;
	p = vfn_pktmbuf_mtod(m, void *);
	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + i);
	m->data_len = len;
	m->pkt_len = len;
	return m;
}

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * e1000e interrupts and single-queue start/stop.
 *
 * MSI-X layout (datasheet 7.4.2 "MSI-X Mode", 10.2.4.9 IVAR, 10.2.4.x
 * EIAC): rx queue q raises vector q, the "other" causes (LSC among them)
 * raise vector 2; tx causes stay unmapped (IVAR entries not valid).  The
 * kernel driver signals one eventfd per vector (VFIO_DEVICE_SET_IRQS).
 *
 * Rx queues: EIAC auto-clears ICR.RxQ(q) when the vector fires and, with
 * CTRL_EXT.IAME clear, also clears IMS.RxQ(q) (datasheet 10.2.4.x EIAC,
 * and QEMU's e1000e_msix_notify_one()): an armed queue interrupts once,
 * then stays quiet until vfn_eth_dev_rx_intr_enable() sets IMS.RxQ(q)
 * again.  Setting IMS while ICR.RxQ(q) is already latched raises the
 * vector at once, and the application polls once more after arming, so a
 * frame that arrives around the arming is not slept on.
 *
 * Link: IMS.OTHER | IMS.LSC; the handler (on the interrupt thread) reads
 * ICR, clears the other causes by writing ICR.OTHER back (write 1 to
 * clear, 10.2.4.1), reads STATUS and reports a changed link.
 *
 * Interrupt moderation (EITR) is left at its reset value.  QEMU 7.2's
 * e1000e resets EITR to its minimum, 500 (x 256 ns = 128 us), and cannot
 * go below it: every vector it raises arms that vector's throttling
 * timer, and the timer asserts (aborting QEMU) if it expires while MSI-X
 * is disabled (e1000e_intrmgr_on_msix_throttling_timer).
 *
 * Order: MSI-X is enabled after the device reset of start (IMS is 0
 * then) and torn down with every cause masked (IMC) first, so no vector
 * fires into a closed eventfd and no legacy interrupt is ever raised;
 * between the two, a wait longer than the throttling interval lets a
 * timer armed by the last vector expire while MSI-X is still on.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "vfn_interrupts.h"
#include "e1000e.h"

static struct e1000e_adapter *adapter(struct vfn_eth_dev *port)
{
	return port->dev_private;
}

/* Interrupt thread: the "other" vector fired. */
static void e1000e_intr_other(void *arg)
{
	struct vfn_eth_dev *port = arg;
	struct e1000e_adapter *ad = adapter(port);
	uint32_t icr = e1000e_read(ad, E1000_ICR);
	struct vfn_eth_link link;

	/* Writing OTHER clears it and the causes it stands for. */
	e1000e_write(ad, E1000_ICR, icr & (E1000_ICR_OTHER | E1000_ICR_LSC |
					   E1000_ICR_RXO));
	if (!(icr & E1000_ICR_LSC))
		return;
	e1000e_link_refresh(port);
	vfn_eth_linkstatus_get(port, &link);
	/* Against the state last reported, not the one last stored: an
	 * application reading the link may have stored the new state first.
	 * QEMU raises LSC twice for one "up" (set_link, autoneg done). */
	if (link.link_status == ad->lsc_status)
		return;
	ad->lsc_status = link.link_status;
	vfn_eth_dev_callback_process(port, VFN_ETH_EVENT_INTR_LSC, NULL);
}

int e1000e_intr_start(struct vfn_eth_dev *port)
{
	struct e1000e_adapter *ad = adapter(port);
	uint32_t ivar = 0, ims = 0;
	uint16_t q;
	int ret;

	if (!port->conf.intr_conf.rxq && !port->conf.intr_conf.lsc)
		return 0;
	if (ad->pci->msix_vectors < E1000E_MSIX_NB) {
		E1000E_LOG(ERR, "%s: intr_conf needs %d MSI-X vectors, the device "
			   "has %u: configure without intr_conf", port->name,
			   E1000E_MSIX_NB, ad->pci->msix_vectors);
		return -ENOTSUP;
	}
	ret = vfn_pci_msix_enable(ad->pci, E1000E_MSIX_NB, ad->msix_efd);
	if (ret) {
		E1000E_LOG(ERR, "%s: cannot enable MSI-X: %s (is the device bound "
			   "to vfnet-pci or vfio-pci?)", port->name, strerror(-ret));
		return ret;
	}
	ad->msix_on = 1;
	for (q = 0; q < ad->nb_rxq; q++)
		ivar |= E1000_IVAR_RXQ(q, E1000E_MSIX_RXQ(q));
	ivar |= E1000_IVAR_OTHER(E1000E_MSIX_OTHER);
	e1000e_write(ad, E1000_IVAR, ivar);
	e1000e_write(ad, E1000_EIAC, E1000_ICR_RXQ(0) | E1000_ICR_RXQ(1));
	if (port->conf.intr_conf.rxq)
		for (q = 0; q < ad->nb_rxq; q++)
			port->rxq_intr_fd[q] = ad->msix_efd[E1000E_MSIX_RXQ(q)];
	if (port->conf.intr_conf.lsc) {
		ret = vfn_intr_callback_register(ad->msix_efd[E1000E_MSIX_OTHER],
						 e1000e_intr_other, port);
		if (ret) {
			E1000E_LOG(ERR, "%s: cannot watch the link interrupt: %s",
				   port->name, strerror(-ret));
			e1000e_intr_stop(port);
			return ret;
		}
		ad->lsc_on = 1;
		e1000e_link_refresh(port);
		ad->lsc_status = port->link.link_status;
		ims |= E1000_ICR_OTHER | E1000_ICR_LSC;
	}
	if (ims)
		e1000e_write(ad, E1000_IMS, ims);
	e1000e_flush(ad);
	return 0;
}

void e1000e_intr_stop(struct vfn_eth_dev *port)
{
	struct e1000e_adapter *ad = adapter(port);
	int i;

	if (!ad->msix_on)
		return;
	e1000e_write(ad, E1000_IMC, 0xffffffff);
	e1000e_flush(ad);
	/* EITR's throttling interval is at most 65535 x 256 ns (16.8 ms);
	 * ours is the reset value, 128 us: 2 ms covers it with margin. */
	usleep(2000);
	if (ad->lsc_on)
		vfn_intr_callback_unregister(ad->msix_efd[E1000E_MSIX_OTHER],
					     e1000e_intr_other, port);
	ad->lsc_on = 0;
	vfn_pci_msix_disable(ad->pci); /* closes the eventfds */
	for (i = 0; i < E1000E_MSIX_NB; i++)
		ad->msix_efd[i] = -1;
	e1000e_write(ad, E1000_EIAC, 0);
	e1000e_write(ad, E1000_IVAR, 0);
	ad->msix_on = 0;
}

int e1000e_rx_intr_enable(struct vfn_eth_dev *port, uint16_t q)
{
	struct e1000e_adapter *ad = adapter(port);

	/* Forget a cause latched while busy-polling (write 1 to clear), so
	 * the vector fires for frames from now on, not for old ones. */
	e1000e_write(ad, E1000_ICR, E1000_ICR_RXQ(q));
	e1000e_write(ad, E1000_IMS, E1000_ICR_RXQ(q));
	e1000e_flush(ad);
	return 0;
}

int e1000e_rx_intr_disable(struct vfn_eth_dev *port, uint16_t q)
{
	struct e1000e_adapter *ad = adapter(port);

	e1000e_write(ad, E1000_IMC, E1000_ICR_RXQ(q));
	return 0;
}

/*
 * Single queues.  The 82574 has no per-queue enable bit (its RXDCTL and
 * TXDCTL hold only thresholds, 10.2.5.x/10.2.6.x): a queue is off while
 * its ring length is 0, as after e1000e_hw_stop(), and QEMU's e1000e
 * neither receives into nor transmits from a ring of length 0
 * (e1000e_ring_enabled()).  Frames that RSS sends to a stopped rx queue
 * are dropped by the device (counted as missed).
 */
static void ring_off(struct e1000e_adapter *ad, int is_rx, uint16_t q)
{
	e1000e_write(ad, is_rx ? E1000_RDLEN(q) : E1000_TDLEN(q), 0);
	e1000e_write(ad, is_rx ? E1000_RDH(q) : E1000_TDH(q), 0);
	e1000e_write(ad, is_rx ? E1000_RDT(q) : E1000_TDT(q), 0);
	e1000e_flush(ad);
	usleep(1000); /* DMA in flight (as e1000e_hw_stop()) */
}

/* Fill, program and hand over one rx ring (datasheet 4.6.5 order). */
int e1000e_rxq_start(struct e1000e_adapter *ad, struct e1000e_rx_queue *rxq)
{
	int ret;

	e1000e_rxq_drain(rxq);
	ret = e1000e_rxq_fill(rxq);
	if (ret)
		return ret;
	rxq->rss = ad->rss;
	e1000e_hw_rx_ring_init(ad, rxq);
	vfn_io_wmb();
	e1000e_write(ad, E1000_RDT(rxq->queue_id), rxq->nb_desc - 1);
	return 0;
}

int e1000e_rx_queue_start(struct vfn_eth_dev *port, uint16_t q)
{
	struct e1000e_adapter *ad = adapter(port);

	return e1000e_rxq_start(ad, ad->rxq[q]);
}

int e1000e_rx_queue_stop(struct vfn_eth_dev *port, uint16_t q)
{
	struct e1000e_adapter *ad = adapter(port);

	ring_off(ad, 1, q);
	e1000e_rxq_drain(ad->rxq[q]); /* the ring's mbufs go back to the pool */
	return 0;
}

int e1000e_tx_queue_start(struct vfn_eth_dev *port, uint16_t q)
{
	struct e1000e_adapter *ad = adapter(port);

	e1000e_txq_drain(ad->txq[q]);
	e1000e_hw_tx_ring_init(ad, ad->txq[q]);
	e1000e_flush(ad);
	return 0;
}

int e1000e_tx_queue_stop(struct vfn_eth_dev *port, uint16_t q)
{
	struct e1000e_adapter *ad = adapter(port);

	ring_off(ad, 0, q);
	e1000e_txq_drain(ad->txq[q]); /* frees mbufs not yet reclaimed */
	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vmxnet3 interrupts: link-state changes through the event vector and
 * rx interrupt mode, for a port configured with intr_conf.lsc / .rxq.
 *
 * The interface (vmxnet3_defs.h): each queue descriptor names the vector
 * its completions raise (conf.intrIdx), devRead.intrConf names the event
 * vector and asks for auto-masking; BAR0 IMR(i) masks vector i (1) or
 * unmasks it (0); an event sets a bit in the shared area's ECR word
 * (ECR_LINK for a link change) before raising the event vector, and the
 * driver acknowledges it by writing the bit to BAR1 ECR.
 *
 * How QEMU 7.2 behaves (hw/net/vmxnet3.c, as facts): reset and
 * activation leave every vector masked; a cause on a masked vector is
 * latched (is_pending) and fires when the vector is unmasked; with
 * auto-masking and MSI-X a vector masks itself each time it fires
 * (vmxnet3_trigger_interrupt()).  Every received frame raises its rx
 * queue's vector and every tx completion the tx vector; a link change
 * (set_link in the monitor) sets ECR_LINK and raises the event vector.
 *
 * Layout (vmxnet3.h): vector 0 the events, 1 + q rx queue q, 1 + nb_rxq
 * every tx queue.  The tx vector is never unmasked: its eventfd exists
 * only because the device insists on a valid index.
 *
 * Rx: vfn_eth_dev_rx_intr_enable() unmasks the queue's vector, which
 * fires once and masks itself, like e1000e's EIAC.  The device gives no
 * way to forget a cause latched while the queue was busy-polled, so the
 * first arming after traffic wakes the lcore at once; it polls, finds
 * nothing, arms again and then sleeps.
 *
 * Link: the handler (on the interrupt thread) acknowledges whatever ECR
 * holds, reads the link with GET_LINK whatever the bits said (an
 * application's link_update may have acknowledged ECR_LINK first),
 * reports a state that differs from the last one reported, and unmasks
 * the event vector again; an event that came in the meantime was
 * latched and fires at once.
 *
 * Order: MSI-X is enabled after activation (every vector masked then);
 * at stop the handler is unregistered first (synchronous, so it cannot
 * unmask again), then every vector is masked, then MSI-X is disabled,
 * which closes the eventfds.
 */
#include <errno.h>
#include <string.h>

#include "vfn_interrupts.h"
#include "vmxnet3.h"

static struct vmxnet3_adapter *adapter(struct vfn_eth_dev *port)
{
	return port->dev_private;
}

static void vec_mask(struct vmxnet3_adapter *ad, uint16_t vec, int masked)
{
	vmxnet3_bar0_write(ad, VMXNET3_REG_IMR(vec), masked ? 1 : 0);
}

/* Interrupt thread: the event vector fired (and masked itself). */
static void vmxnet3_intr_event(void *arg)
{
	struct vfn_eth_dev *port = arg;
	struct vmxnet3_adapter *ad = adapter(port);
	uint32_t ecr = __atomic_load_n(&ad->shared->ecr, __ATOMIC_ACQUIRE);
	struct vfn_eth_link link;

	if (ecr)
		vmxnet3_bar1_write(ad, VMXNET3_REG_ECR, ecr);
	if (ecr & (VMXNET3_ECR_RQERR | VMXNET3_ECR_TQERR))
		VMXNET3_LOG(ERR, "%s: the device reports a queue error (ECR 0x%x); "
			    "stop and start the port", port->name, ecr);
	vmxnet3_link_refresh(port);
	vfn_eth_linkstatus_get(port, &link);
	if (link.link_status != ad->lsc_status) {
		ad->lsc_status = link.link_status;
		vfn_eth_dev_callback_process(port, VFN_ETH_EVENT_INTR_LSC, NULL);
	}
	vec_mask(ad, VMXNET3_VEC_EVENT, 0);
}

int vmxnet3_intr_start(struct vfn_eth_dev *port)
{
	struct vmxnet3_adapter *ad = adapter(port);
	uint16_t q;
	int ret;

	if (!ad->intr)
		return 0;
	ret = vfn_pci_msix_enable(ad->pci, ad->nb_vec, ad->msix_efd);
	if (ret) {
		VMXNET3_LOG(ERR, "%s: cannot enable MSI-X: %s (is the device bound "
			    "to vfnet-pci or vfio-pci?)", port->name, strerror(-ret));
		return ret;
	}
	ad->msix_on = 1;
	if (port->conf.intr_conf.rxq)
		for (q = 0; q < ad->nb_rxq; q++)
			port->rxq_intr_fd[q] = ad->msix_efd[VMXNET3_VEC_RXQ(q)];
	if (port->conf.intr_conf.lsc) {
		ret = vfn_intr_callback_register(ad->msix_efd[VMXNET3_VEC_EVENT],
						 vmxnet3_intr_event, port);
		if (ret) {
			VMXNET3_LOG(ERR, "%s: cannot watch the link interrupt: %s",
				    port->name, strerror(-ret));
			vmxnet3_intr_stop(port);
			return ret;
		}
		ad->lsc_on = 1;
		vmxnet3_link_refresh(port);
		ad->lsc_status = port->link.link_status;
		vec_mask(ad, VMXNET3_VEC_EVENT, 0);
	}
	return 0;
}

void vmxnet3_intr_stop(struct vfn_eth_dev *port)
{
	struct vmxnet3_adapter *ad = adapter(port);
	uint16_t v;

	if (!ad->msix_on)
		return;
	if (ad->lsc_on)
		vfn_intr_callback_unregister(ad->msix_efd[VMXNET3_VEC_EVENT],
					     vmxnet3_intr_event, port);
	ad->lsc_on = 0;
	for (v = 0; v < ad->nb_vec; v++)
		vec_mask(ad, v, 1);
	vfn_pci_msix_disable(ad->pci); /* closes the eventfds */
	for (v = 0; v < VMXNET3_VEC_MAX; v++)
		ad->msix_efd[v] = -1;
	ad->msix_on = 0;
}

int vmxnet3_rx_intr_enable(struct vfn_eth_dev *port, uint16_t q)
{
	vec_mask(adapter(port), VMXNET3_VEC_RXQ(q), 0);
	return 0;
}

int vmxnet3_rx_intr_disable(struct vfn_eth_dev *port, uint16_t q)
{
	vec_mask(adapter(port), VMXNET3_VEC_RXQ(q), 1);
	return 0;
}

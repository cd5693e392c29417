/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Control-path ops shared by the software PMDs: the ones that have
 * nothing to program (no filter, no MAC, no MTU register) and the
 * virtual-device remove() that closes the port of that name.
 */
#include <errno.h>

#include "vfn_ethdev_driver.h"

int vfn_eth_dev_op_nop(struct vfn_eth_dev *port)
{
	(void)port;
	return 0;
}

int vfn_eth_dev_op_mac_addr_set_nop(struct vfn_eth_dev *port,
				    const struct vfn_ether_addr *mac)
{
	(void)port;
	(void)mac;
	return 0;
}

int vfn_eth_dev_op_mtu_set_nop(struct vfn_eth_dev *port, uint16_t mtu)
{
	(void)port;
	(void)mtu;
	return 0;
}

int vfn_eth_vdev_close_by_name(const char *name,
			       const struct vfn_eth_dev_ops *ops)
{
	struct vfn_eth_dev *port = vfn_eth_dev_allocated(name);

	if (!port || port->ops != ops)
		return -ENODEV;
	return vfn_eth_dev_close(port->port_id);
}

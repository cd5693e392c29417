/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * e1000e register sequences: reset, MAC address, link, statistics, ring
 * and RSS programming.  Each sequence cites the section of the "Intel 82574
 * GbE Controller Family Datasheet" (rev 3.4) it follows.  The device is
 * polled: interrupts stay masked throughout.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "vfn_log.h"
#include "e1000e.h"

/*
 * Global reset (datasheet 4.6.1 "Interrupts During Initialization" and
 * 4.6.2 "Global Reset and General Configuration"): mask all interrupts,
 * stop the receiver and transmitter, let pending master accesses finish
 * (GIO master disable, 10.2.2.1), set CTRL.RST and wait for it to clear,
 * then mask interrupts again and clear the pending causes, since the reset
 * restores the defaults.
 */
int e1000e_hw_reset(struct e1000e_adapter *ad)
{
	int i;

	e1000e_write(ad, E1000_IMC, 0xffffffff);
	e1000e_write(ad, E1000_RCTL, 0);
	e1000e_write(ad, E1000_TCTL, E1000_TCTL_PSP);
	e1000e_flush(ad);
	usleep(10000);

	e1000e_write(ad, E1000_CTRL,
		     e1000e_read(ad, E1000_CTRL) | E1000_CTRL_GIO_MASTER_DISABLE);
	for (i = 0; i < 800; i++) {
		if (!(e1000e_read(ad, E1000_STATUS) &
		      E1000_STATUS_GIO_MASTER_ENABLE))
			break;
		usleep(100);
	}

	e1000e_write(ad, E1000_CTRL, e1000e_read(ad, E1000_CTRL) | E1000_CTRL_RST);
	usleep(1000);
	for (i = 0; i < 100; i++) {
		if (!(e1000e_read(ad, E1000_CTRL) & E1000_CTRL_RST))
			break;
		usleep(1000);
	}
	if (e1000e_read(ad, E1000_CTRL) & E1000_CTRL_RST) {
		E1000E_LOG(ERR, "%s: CTRL.RST did not clear after 100 ms: device hung",
			   ad->pci->name);
		return -ETIMEDOUT;
	}
	e1000e_write(ad, E1000_CTRL,
		     e1000e_read(ad, E1000_CTRL) & ~E1000_CTRL_GIO_MASTER_DISABLE);

	e1000e_write(ad, E1000_IMC, 0xffffffff);
	(void)e1000e_read(ad, E1000_ICR);

	/*
	 * The emulated device resets only part of its state on CTRL.RST:
	 * put every ring register we use back to "disabled" ourselves so no
	 * DMA can hit memory of a previous run.
	 */
	for (i = 0; i < E1000E_MAX_QUEUES; i++) {
		e1000e_write(ad, E1000_RDLEN(i), 0);
		e1000e_write(ad, E1000_RDBAL(i), 0);
		e1000e_write(ad, E1000_RDBAH(i), 0);
		e1000e_write(ad, E1000_RDH(i), 0);
		e1000e_write(ad, E1000_RDT(i), 0);
		e1000e_write(ad, E1000_TDLEN(i), 0);
		e1000e_write(ad, E1000_TDBAL(i), 0);
		e1000e_write(ad, E1000_TDBAH(i), 0);
		e1000e_write(ad, E1000_TDH(i), 0);
		e1000e_write(ad, E1000_TDT(i), 0);
		/*
		 * TARC back to its power-on value (count 3, ENABLE): QEMU
		 * services a tx queue only with ENABLE set and drivers for
		 * the real 82574 (DPDK's em, Linux's e1000e) never set it.
		 */
		e1000e_write(ad, E1000_TARC(i), E1000_TARC_DEFAULT);
	}
	e1000e_write(ad, E1000_MRQC, 0);
	e1000e_write(ad, E1000_RFCTL, 0);
	e1000e_write(ad, E1000_RXCSUM, 0);

	/* Tell firmware a driver owns the device (10.2.2.6 DRV_LOAD). */
	e1000e_write(ad, E1000_CTRL_EXT,
		     e1000e_read(ad, E1000_CTRL_EXT) | E1000_CTRL_EXT_DRV_LOAD);

	/* General configuration (4.6.2): no flow control frames. */
	e1000e_write(ad, E1000_FCAL, 0);
	e1000e_write(ad, E1000_FCAH, 0);
	e1000e_write(ad, E1000_FCT, 0);
	e1000e_write(ad, E1000_FCTTV, 0);
	e1000e_write(ad, E1000_VET, 0x8100);
	e1000e_write(ad, E1000_ITR, 0);
	e1000e_write(ad, E1000_RDTR, 0);
	e1000e_write(ad, E1000_RADV, 0);
	e1000e_write(ad, E1000_TIDV, 0);
	e1000e_write(ad, E1000_TADV, 0);
	return 0;
}

/*
 * Read one EEPROM word through EERD (datasheet 10.2.2.5): write the word
 * address with START, poll DONE, the data is in bits 31:16.
 */
static int eeprom_read_word(struct e1000e_adapter *ad, uint16_t addr,
			    uint16_t *word)
{
	uint32_t v = 0;
	int i;

	e1000e_write(ad, E1000_EERD,
		     ((uint32_t)addr << E1000_EERD_ADDR_SHIFT) | E1000_EERD_START);
	for (i = 0; i < 1000; i++) {
		v = e1000e_read(ad, E1000_EERD);
		if (v & E1000_EERD_DONE)
			break;
		usleep(5);
	}
	if (!(v & E1000_EERD_DONE))
		return -ETIMEDOUT;
	*word = (uint16_t)(v >> E1000_EERD_DATA_SHIFT);
	return 0;
}

/*
 * Station address (datasheet 10.2.5.13 RAL/RAH and 6.1 EEPROM words 0-2):
 * after reset the hardware loads RAL0/RAH0 from the EEPROM and sets
 * RAH0.AV; when AV is clear, read the EEPROM words ourselves.
 */
int e1000e_hw_read_mac(struct e1000e_adapter *ad)
{
	uint32_t ral = e1000e_read(ad, E1000_RAL(0));
	uint32_t rah = e1000e_read(ad, E1000_RAH(0));
	int i, ret;

	if (rah & E1000_RAH_AV) {
		for (i = 0; i < 4; i++)
			ad->mac[i] = (uint8_t)(ral >> (8 * i));
		ad->mac[4] = (uint8_t)rah;
		ad->mac[5] = (uint8_t)(rah >> 8);
	} else {
		for (i = 0; i < E1000_EEPROM_MAC_WORDS; i++) {
			uint16_t w;

			ret = eeprom_read_word(ad, (uint16_t)i, &w);
			if (ret) {
				E1000E_LOG(ERR, "%s: EEPROM read of word %d timed out",
					   ad->pci->name, i);
				return ret;
			}
			ad->mac[2 * i] = (uint8_t)w;
			ad->mac[2 * i + 1] = (uint8_t)(w >> 8);
		}
		e1000e_hw_write_mac(ad, ad->mac);
	}
	if (!(ad->mac[0] | ad->mac[1] | ad->mac[2] | ad->mac[3] | ad->mac[4] |
	      ad->mac[5]) || (ad->mac[0] & 1)) {
		E1000E_LOG(ERR, "%s: no valid MAC address in RAL0/RAH0 or the EEPROM",
			   ad->pci->name);
		return -EINVAL;
	}
	return 0;
}

/* Program receive address 0 (10.2.5.13): RAL first, RAH with AV last. */
void e1000e_hw_write_mac(struct e1000e_adapter *ad, const uint8_t mac[6])
{
	uint32_t ral = mac[0] | (uint32_t)mac[1] << 8 | (uint32_t)mac[2] << 16 |
		       (uint32_t)mac[3] << 24;
	uint32_t rah = mac[4] | (uint32_t)mac[5] << 8 | E1000_RAH_AV;
	int i;

	memcpy(ad->mac, mac, 6);
	e1000e_write(ad, E1000_RAL(0), ral);
	e1000e_write(ad, E1000_RAH(0), rah);
	for (i = 1; i < E1000_RAR_ENTRIES; i++) {
		e1000e_write(ad, E1000_RAL(i), 0);
		e1000e_write(ad, E1000_RAH(i), 0);
	}
	e1000e_flush(ad);
}

/*
 * Link setup (datasheet 4.6.3, internal copper PHY with auto-negotiation):
 * CTRL.SLU set, speed and duplex resolved by the PHY (ASDE, no forcing),
 * no PHY reset.
 */
void e1000e_hw_link_setup(struct e1000e_adapter *ad)
{
	uint32_t ctrl = e1000e_read(ad, E1000_CTRL);

	ctrl |= E1000_CTRL_SLU | E1000_CTRL_ASDE;
	ctrl &= ~(E1000_CTRL_FRCSPD | E1000_CTRL_FRCDPX | E1000_CTRL_PHY_RST |
		  E1000_CTRL_VME | E1000_CTRL_RFCE | E1000_CTRL_TFCE);
	e1000e_write(ad, E1000_CTRL, ctrl);
	e1000e_flush(ad);
}

/* Link state from STATUS (10.2.2.2): LU, FD, SPEED. 1 when up. */
int e1000e_hw_link_get(struct e1000e_adapter *ad, uint32_t *speed_mbps,
		       int *full_duplex)
{
	uint32_t st = e1000e_read(ad, E1000_STATUS);
	uint32_t sp = (st & E1000_STATUS_SPEED_MASK) >> E1000_STATUS_SPEED_SHIFT;

	if (!(st & E1000_STATUS_LU)) {
		*speed_mbps = 0;
		*full_duplex = 0;
		return 0;
	}
	*speed_mbps = sp == 0 ? 10 : sp == 1 ? 100 : 1000;
	*full_duplex = !!(st & E1000_STATUS_FD);
	return 1;
}

/*
 * Statistics (datasheet 4.6.4 "Initialization of Statistics" and 10.2.8):
 * the counters clear on read, except the error counters, which we
 * subtract a snapshot from.  The 64-bit octet counters clear when their
 * high half is read: read low, then high.
 */
static uint64_t read_octets(struct e1000e_adapter *ad, uint32_t lo,
			    uint32_t hi)
{
	uint64_t l = e1000e_read(ad, lo);

	return l | (uint64_t)e1000e_read(ad, hi) << 32;
}

void e1000e_hw_stats_update(struct e1000e_adapter *ad)
{
	struct e1000e_hw_stats *s = &ad->hw_stats;

	s->tpr += e1000e_read(ad, E1000_TPR);
	s->tpt += e1000e_read(ad, E1000_TPT);
	s->tor += read_octets(ad, E1000_TORL, E1000_TORH);
	s->tot += read_octets(ad, E1000_TOTL, E1000_TOTH);
	s->gprc += e1000e_read(ad, E1000_GPRC);
	s->gptc += e1000e_read(ad, E1000_GPTC);
	(void)read_octets(ad, E1000_GORCL, E1000_GORCH);
	(void)read_octets(ad, E1000_GOTCL, E1000_GOTCH);
	s->bprc += e1000e_read(ad, E1000_BPRC);
	s->mprc += e1000e_read(ad, E1000_MPRC);
	s->bptc += e1000e_read(ad, E1000_BPTC);
	s->mptc += e1000e_read(ad, E1000_MPTC);
	s->ruc += e1000e_read(ad, E1000_RUC);
	s->roc += e1000e_read(ad, E1000_ROC);
	s->mpc = e1000e_read(ad, E1000_MPC) - s->base_mpc;
	s->rnbc = e1000e_read(ad, E1000_RNBC) - s->base_rnbc;
	s->crcerrs = e1000e_read(ad, E1000_CRCERRS) - s->base_crcerrs;
	s->rlec = e1000e_read(ad, E1000_RLEC) - s->base_rlec;
	s->rxerrc = e1000e_read(ad, E1000_RXERRC) - s->base_rxerrc;
}

void e1000e_hw_stats_reset(struct e1000e_adapter *ad)
{
	struct e1000e_hw_stats *s = &ad->hw_stats;

	e1000e_hw_stats_update(ad); /* clears the clear-on-read registers */
	memset(s, 0, sizeof(*s));
	s->base_mpc = e1000e_read(ad, E1000_MPC);
	s->base_rnbc = e1000e_read(ad, E1000_RNBC);
	s->base_crcerrs = e1000e_read(ad, E1000_CRCERRS);
	s->base_rlec = e1000e_read(ad, E1000_RLEC);
	s->base_rxerrc = e1000e_read(ad, E1000_RXERRC);
}

/*
 * After a reset the error counters that do not clear on read may restart
 * from another value: keep what was counted so far.
 */
void e1000e_hw_stats_rebase(struct e1000e_adapter *ad)
{
	struct e1000e_hw_stats *s = &ad->hw_stats;

	s->base_mpc = e1000e_read(ad, E1000_MPC) - (uint32_t)s->mpc;
	s->base_rnbc = e1000e_read(ad, E1000_RNBC) - (uint32_t)s->rnbc;
	s->base_crcerrs = e1000e_read(ad, E1000_CRCERRS) - (uint32_t)s->crcerrs;
	s->base_rlec = e1000e_read(ad, E1000_RLEC) - (uint32_t)s->rlec;
	s->base_rxerrc = e1000e_read(ad, E1000_RXERRC) - (uint32_t)s->rxerrc;
}

/*
 * Receive filters (datasheet 4.6.5 and 10.2.5.1): broadcast accepted,
 * unicast/multicast promiscuous as asked; the multicast table is cleared
 * so that without allmulti only the station address and broadcast pass.
 */
static uint32_t rctl_value(const struct e1000e_adapter *ad)
{
	uint32_t rctl = E1000_RCTL_BAM | E1000_RCTL_SECRC | E1000_RCTL_SZ_2048 |
			E1000_RCTL_RDMTS_HALF;

	if (ad->promisc)
		rctl |= E1000_RCTL_UPE | E1000_RCTL_MPE;
	if (ad->allmulti)
		rctl |= E1000_RCTL_MPE;
	return rctl;
}

void e1000e_hw_rx_mode(struct e1000e_adapter *ad)
{
	uint32_t rctl = e1000e_read(ad, E1000_RCTL);

	rctl &= ~(E1000_RCTL_UPE | E1000_RCTL_MPE);
	rctl |= rctl_value(ad) & (E1000_RCTL_UPE | E1000_RCTL_MPE);
	e1000e_write(ad, E1000_RCTL, rctl);
}

/*
 * One receive ring (datasheet 4.6.5 "Receive Initialization" and 7.1.8
 * "Receive Descriptor Queue Structure"): base (16-byte aligned), length (a
 * multiple of 128 bytes), head = tail = 0.  The tail is advanced once the
 * ring holds buffers, after RCTL.EN (e1000e_hw_rx_enable()).
 */
void e1000e_hw_rx_ring_init(struct e1000e_adapter *ad,
			    struct e1000e_rx_queue *rxq)
{
	uint16_t q = rxq->queue_id;

	e1000e_write(ad, E1000_RDBAL(q), (uint32_t)rxq->ring_iova);
	e1000e_write(ad, E1000_RDBAH(q), (uint32_t)(rxq->ring_iova >> 32));
	e1000e_write(ad, E1000_RDLEN(q),
		     (uint32_t)rxq->nb_desc * sizeof(union e1000_rx_desc_ext));
	e1000e_write(ad, E1000_RDH(q), 0);
	e1000e_write(ad, E1000_RDT(q), 0);
	/* Thresholds in descriptors (GRAN): prefetch 32, host 4, write-back 4. */
	e1000e_write(ad, E1000_RXDCTL(q), E1000_RXDCTL_GRAN | 32 | (4 << 8) |
		     (4 << 16));
}

/*
 * One transmit ring (datasheet 4.6.6 "Transmit Initialization"): base,
 * length, head = tail = 0, TXDCTL thresholds, and TARC(q).ENABLE, without
 * which the queue is never serviced.
 */
void e1000e_hw_tx_ring_init(struct e1000e_adapter *ad,
			    struct e1000e_tx_queue *txq)
{
	uint16_t q = txq->queue_id;

	e1000e_write(ad, E1000_TDBAL(q), (uint32_t)txq->ring_iova);
	e1000e_write(ad, E1000_TDBAH(q), (uint32_t)(txq->ring_iova >> 32));
	e1000e_write(ad, E1000_TDLEN(q),
		     (uint32_t)txq->nb_desc * sizeof(struct e1000_tx_desc));
	e1000e_write(ad, E1000_TDH(q), 0);
	e1000e_write(ad, E1000_TDT(q), 0);
	e1000e_write(ad, E1000_TXDCTL(q), E1000_TXDCTL_GRAN | 31 | (1 << 8) |
		     (1 << 16));
	e1000e_write(ad, E1000_TARC(q),
		     e1000e_read(ad, E1000_TARC(q)) | E1000_TARC_ENABLE);
}

/*
 * Receive-side scaling (datasheet 7.1.11 and 10.2.5.x MRQC/RETA/RSSRK):
 * extended descriptors (RFCTL.EXTEN) and RXCSUM.PCSD, so the hash is
 * written back instead of the packet checksum; the key; a redirection
 * table alternating queue 0 and 1 (bit 7 of each byte picks the queue);
 * the hash fields chosen at configuration (addresses, TCP ports).  Without RSS everything
 * goes to queue 0 and the checksum field is left alone.
 */
void e1000e_hw_rss_setup(struct e1000e_adapter *ad)
{
	uint32_t reta;
	int i;

	e1000e_write(ad, E1000_RFCTL, E1000_RFCTL_EXTEN);
	if (!ad->rss) {
		e1000e_write(ad, E1000_MRQC, 0);
		e1000e_write(ad, E1000_RXCSUM, 0);
		return;
	}
	e1000e_write(ad, E1000_RXCSUM, E1000_RXCSUM_PCSD);
	for (i = 0; i < E1000_RSSRK_SIZE / 4; i++) {
		uint32_t k;

		memcpy(&k, &ad->rss_key[4 * i], 4);
		e1000e_write(ad, E1000_RSSRK(i), k);
	}
	/* Byte n of the table (n = hash & 127) -> queue n & 1. */
	reta = (uint32_t)E1000_RETA_QUEUE1 << 8 | (uint32_t)E1000_RETA_QUEUE1 << 24;
	for (i = 0; i < E1000_RETA_ENTRIES / 4; i++)
		e1000e_write(ad, E1000_RETA(i), ad->nb_rxq > 1 ? reta : 0);
	e1000e_write(ad, E1000_MRQC, E1000_MRQC_RSS_ENABLE | ad->rss_mrqc);
}

/* RCTL.EN with the filters and buffer size (4.6.5), MTA cleared. */
void e1000e_hw_rx_enable(struct e1000e_adapter *ad)
{
	int i;

	for (i = 0; i < 128; i++)
		e1000e_write(ad, E1000_MTA(i), 0);
	e1000e_write(ad, E1000_RCTL, rctl_value(ad) | E1000_RCTL_EN);
	e1000e_flush(ad);
}

/*
 * Transmitter (4.6.6): TIPG, then TCTL with EN, pad short packets,
 * collision threshold 15 and full-duplex collision distance 63,
 * retransmit on late collision.
 */
void e1000e_hw_tx_enable(struct e1000e_adapter *ad)
{
	e1000e_write(ad, E1000_TIPG, E1000_TIPG_DEFAULT);
	e1000e_write(ad, E1000_TCTL, E1000_TCTL_EN | E1000_TCTL_PSP |
		     (0x0fu << E1000_TCTL_CT_SHIFT) |
		     (0x3fu << E1000_TCTL_COLD_SHIFT) | E1000_TCTL_RTLC);
	e1000e_flush(ad);
}

/*
 * Stop (datasheet 4.6.5/4.6.6 in reverse): receiver and transmitter off,
 * ring lengths zeroed so the device cannot touch
 * the rings again, then a short wait for DMA in flight.
 */
void e1000e_hw_stop(struct e1000e_adapter *ad)
{
	int i;

	e1000e_write(ad, E1000_RCTL, 0);
	e1000e_write(ad, E1000_TCTL, E1000_TCTL_PSP);
	for (i = 0; i < E1000E_MAX_QUEUES; i++) {
		e1000e_write(ad, E1000_RDLEN(i), 0);
		e1000e_write(ad, E1000_RDH(i), 0);
		e1000e_write(ad, E1000_RDT(i), 0);
		e1000e_write(ad, E1000_TDLEN(i), 0);
		e1000e_write(ad, E1000_TDH(i), 0);
		e1000e_write(ad, E1000_TDT(i), 0);
	}
	e1000e_flush(ad);
	usleep(1000);
}

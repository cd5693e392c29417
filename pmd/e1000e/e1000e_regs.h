/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * @internal
 * Intel 82574L registers, bits and descriptor formats, as far as the
 * e1000e PMD uses them.  Offsets and bit positions are from the "Intel
 * 82574 GbE Controller Family Datasheet" (rev 3.4), section 10.2 (register
 * descriptions) and section 7 (descriptor formats).
 */
#ifndef E1000E_REGS_H
#define E1000E_REGS_H

#include <stdint.h>

/* --- General registers (datasheet 10.2.2) ------------------------------ */
#define E1000_CTRL      0x00000 /* Device Control */
#define E1000_STATUS    0x00008 /* Device Status */
#define E1000_EECD      0x00010 /* EEPROM/Flash Control */
#define E1000_EERD      0x00014 /* EEPROM Read */
#define E1000_CTRL_EXT  0x00018 /* Extended Device Control */
#define E1000_MDIC      0x00020 /* MDI Control */
#define E1000_FCAL      0x00028 /* Flow Control Address Low */
#define E1000_FCAH      0x0002C /* Flow Control Address High */
#define E1000_FCT       0x00030 /* Flow Control Type */
#define E1000_VET       0x00038 /* VLAN Ether Type */
#define E1000_FCTTV     0x00170 /* Flow Control Transmit Timer Value */

/* --- Interrupt registers (datasheet 10.2.4) ---------------------------- */
#define E1000_ICR       0x000C0 /* Interrupt Cause Read */
#define E1000_ITR       0x000C4 /* Interrupt Throttling Rate */
#define E1000_IMS       0x000D0 /* Interrupt Mask Set/Read */
#define E1000_IMC       0x000D8 /* Interrupt Mask Clear */
#define E1000_EIAC      0x000DC /* Extended Interrupt Auto Clear (82574) */
#define E1000_IVAR      0x000E4 /* Interrupt Vector Allocation */

/*
 * ICR/IMS/IMC bits (datasheet 10.2.4.1-10.2.4.4).  With MSI-X the 82574
 * signals five causes on their own vectors: RxQ0, RxQ1, TxQ0, TxQ1 and
 * "Other" (bit 24), which stands for the legacy causes such as LSC.
 */
#define E1000_ICR_LSC          (1u << 2)  /* link status change */
#define E1000_ICR_RXO          (1u << 6)  /* receiver overrun */
#define E1000_ICR_RXQ(q)       (1u << (20 + (q))) /* rx queue 0/1 (MSI-X) */
#define E1000_ICR_TXQ(q)       (1u << (22 + (q))) /* tx queue 0/1 (MSI-X) */
#define E1000_ICR_OTHER        (1u << 24) /* other causes (MSI-X) */

/*
 * IVAR (datasheet 10.2.4.9): one 4-bit entry per MSI-X cause, vector
 * number in bits 2:0 and bit 3 "valid": RxQ0 [3:0], RxQ1 [7:4],
 * TxQ0 [11:8], TxQ1 [15:12], Other [19:16].
 */
#define E1000_IVAR_VALID       0x8u
#define E1000_IVAR_RXQ(q, vec) ((E1000_IVAR_VALID | (vec)) << (4 * (q)))
#define E1000_IVAR_OTHER(vec)  ((E1000_IVAR_VALID | (vec)) << 16)
/* MSI-X vectors the 82574 has (datasheet 7.4.2: 5 causes, 5 vectors). */
#define E1000_MSIX_VECTORS     5

/* --- Receive registers (datasheet 10.2.5) ------------------------------ */
#define E1000_RCTL      0x00100 /* Receive Control */
#define E1000_FCRTL     0x02160 /* Flow Control Receive Threshold Low */
#define E1000_FCRTH     0x02168 /* Flow Control Receive Threshold High */
#define E1000_RDBAL(q)  (0x02800 + (q) * 0x100) /* Rx Desc Base Low */
#define E1000_RDBAH(q)  (0x02804 + (q) * 0x100) /* Rx Desc Base High */
#define E1000_RDLEN(q)  (0x02808 + (q) * 0x100) /* Rx Desc Length */
#define E1000_RDH(q)    (0x02810 + (q) * 0x100) /* Rx Desc Head */
#define E1000_RDT(q)    (0x02818 + (q) * 0x100) /* Rx Desc Tail */
#define E1000_RDTR      0x02820 /* Rx Interrupt Delay Timer */
#define E1000_RXDCTL(q) (0x02828 + (q) * 0x100) /* Rx Desc Control */
#define E1000_RADV      0x0282C /* Rx Interrupt Absolute Delay */
#define E1000_RXCSUM    0x05000 /* Rx Checksum Control */
#define E1000_RFCTL     0x05008 /* Receive Filter Control */
#define E1000_MTA(i)    (0x05200 + (i) * 4) /* Multicast Table Array */
#define E1000_RAL(i)    (0x05400 + (i) * 8) /* Receive Address Low */
#define E1000_RAH(i)    (0x05404 + (i) * 8) /* Receive Address High */
#define E1000_VFTA(i)   (0x05600 + (i) * 4) /* VLAN Filter Table */
#define E1000_MRQC      0x05818 /* Multiple Receive Queues Command */
#define E1000_RETA(i)   (0x05C00 + (i) * 4) /* Redirection Table (32) */
#define E1000_RSSRK(i)  (0x05C80 + (i) * 4) /* RSS Random Key (10) */

/* --- Transmit registers (datasheet 10.2.6) ----------------------------- */
#define E1000_TCTL      0x00400 /* Transmit Control */
#define E1000_TIPG      0x00410 /* Transmit IPG */
#define E1000_TDBAL(q)  (0x03800 + (q) * 0x100) /* Tx Desc Base Low */
#define E1000_TDBAH(q)  (0x03804 + (q) * 0x100) /* Tx Desc Base High */
#define E1000_TDLEN(q)  (0x03808 + (q) * 0x100) /* Tx Desc Length */
#define E1000_TDH(q)    (0x03810 + (q) * 0x100) /* Tx Desc Head */
#define E1000_TDT(q)    (0x03818 + (q) * 0x100) /* Tx Desc Tail */
#define E1000_TIDV      0x03820 /* Tx Interrupt Delay Value */
#define E1000_TXDCTL(q) (0x03828 + (q) * 0x100) /* Tx Desc Control */
#define E1000_TADV      0x0382C /* Tx Absolute Interrupt Delay */
#define E1000_TARC(q)   (0x03840 + (q) * 0x100) /* Tx Arbitration Count */

/* --- Statistics (datasheet 10.2.8); (rc) = clear on read --------------- */
#define E1000_CRCERRS   0x04000 /* CRC Error Count */
#define E1000_ALGNERRC  0x04004 /* Alignment Error Count */
#define E1000_RXERRC    0x0400C /* Rx Error Count */
#define E1000_MPC       0x04010 /* Missed Packets Count */
#define E1000_COLC      0x04028 /* Collision Count */
#define E1000_RLEC      0x04040 /* Receive Length Error Count */
#define E1000_GPRC      0x04074 /* Good Packets Received (rc) */
#define E1000_BPRC      0x04078 /* Broadcast Packets Received (rc) */
#define E1000_MPRC      0x0407C /* Multicast Packets Received (rc) */
#define E1000_GPTC      0x04080 /* Good Packets Transmitted (rc) */
#define E1000_GORCL     0x04088 /* Good Octets Received Low */
#define E1000_GORCH     0x0408C /* Good Octets Received High (rc both) */
#define E1000_GOTCL     0x04090 /* Good Octets Transmitted Low */
#define E1000_GOTCH     0x04094 /* Good Octets Transmitted High (rc both) */
#define E1000_RNBC      0x040A0 /* Rx No Buffers Count */
#define E1000_RUC       0x040A4 /* Rx Undersize Count (rc) */
#define E1000_ROC       0x040AC /* Rx Oversize Count (rc) */
#define E1000_TORL      0x040C0 /* Total Octets Received Low */
#define E1000_TORH      0x040C4 /* Total Octets Received High (rc both) */
#define E1000_TOTL      0x040C8 /* Total Octets Transmitted Low */
#define E1000_TOTH      0x040CC /* Total Octets Transmitted High (rc both) */
#define E1000_TPR       0x040D0 /* Total Packets Received (rc) */
#define E1000_TPT       0x040D4 /* Total Packets Transmitted (rc) */
#define E1000_MPTC      0x040F0 /* Multicast Packets Transmitted (rc) */
#define E1000_BPTC      0x040F4 /* Broadcast Packets Transmitted (rc) */

/* --- CTRL bits (datasheet 10.2.2.1) ------------------------------------ */
#define E1000_CTRL_FD          (1u << 0)  /* full duplex */
#define E1000_CTRL_GIO_MASTER_DISABLE (1u << 2)
#define E1000_CTRL_ASDE        (1u << 5)  /* auto-speed detection enable */
#define E1000_CTRL_SLU         (1u << 6)  /* set link up */
#define E1000_CTRL_FRCSPD      (1u << 11)
#define E1000_CTRL_FRCDPX      (1u << 12)
#define E1000_CTRL_RST         (1u << 26) /* software reset, self-clearing */
#define E1000_CTRL_RFCE        (1u << 27)
#define E1000_CTRL_TFCE        (1u << 28)
#define E1000_CTRL_VME         (1u << 30)
#define E1000_CTRL_PHY_RST     (1u << 31)

/* --- STATUS bits (datasheet 10.2.2.2) ---------------------------------- */
#define E1000_STATUS_FD        (1u << 0)
#define E1000_STATUS_LU        (1u << 1)  /* link up */
#define E1000_STATUS_SPEED_SHIFT 6
#define E1000_STATUS_SPEED_MASK (3u << 6) /* 00: 10, 01: 100, 1x: 1000 */
#define E1000_STATUS_GIO_MASTER_ENABLE (1u << 19)

/* --- EERD (datasheet 10.2.2.5) ----------------------------------------- */
#define E1000_EERD_START       (1u << 0)
#define E1000_EERD_DONE        (1u << 1)
#define E1000_EERD_ADDR_SHIFT  2
#define E1000_EERD_DATA_SHIFT  16

/* --- CTRL_EXT (datasheet 10.2.2.6) ------------------------------------- */
#define E1000_CTRL_EXT_DRV_LOAD (1u << 28)

/* --- RCTL bits (datasheet 10.2.5.1) ------------------------------------ */
#define E1000_RCTL_EN          (1u << 1)
#define E1000_RCTL_SBP         (1u << 2)
#define E1000_RCTL_UPE         (1u << 3)  /* unicast promiscuous */
#define E1000_RCTL_MPE         (1u << 4)  /* multicast promiscuous */
#define E1000_RCTL_LPE         (1u << 5)  /* long packets */
#define E1000_RCTL_LBM_MASK    (3u << 6)
#define E1000_RCTL_RDMTS_HALF  (0u << 8)
#define E1000_RCTL_DTYP_MASK   (3u << 10)
#define E1000_RCTL_MO_SHIFT    12
#define E1000_RCTL_BAM         (1u << 15) /* accept broadcast */
#define E1000_RCTL_SZ_2048     (0u << 16)
#define E1000_RCTL_SZ_1024     (1u << 16)
#define E1000_RCTL_SZ_512      (2u << 16)
#define E1000_RCTL_SZ_256      (3u << 16)
#define E1000_RCTL_VFE         (1u << 18)
#define E1000_RCTL_BSEX        (1u << 25)
#define E1000_RCTL_SECRC       (1u << 26) /* strip the Ethernet CRC */
#define E1000_RCTL_FLXBUF_MASK (0xfu << 27)

/* --- RXCSUM / RFCTL / MRQC (datasheet 10.2.5.x, 7.1.11) ---------------- */
#define E1000_RXCSUM_IPOFLD    (1u << 8)
#define E1000_RXCSUM_TUOFLD    (1u << 9)
#define E1000_RXCSUM_PCSD      (1u << 13) /* RSS hash instead of csum */
#define E1000_RFCTL_EXTEN      (1u << 15) /* extended rx descriptors */
#define E1000_MRQC_RSS_ENABLE  0x1u       /* MRQ_EN = 01b: RSS */
#define E1000_MRQC_RSS_TCPIPV4 (1u << 16)
#define E1000_MRQC_RSS_IPV4    (1u << 17)
#define E1000_MRQC_RSS_TCPIPV6 (1u << 18)
#define E1000_MRQC_RSS_IPV6EX  (1u << 19)
#define E1000_MRQC_RSS_IPV6    (1u << 20)
#define E1000_RETA_ENTRIES     128        /* one byte each, bit 7: queue */
#define E1000_RETA_QUEUE1      0x80u
#define E1000_RSSRK_SIZE       40         /* bytes of key */

/* --- RAH (datasheet 10.2.5.13) ----------------------------------------- */
#define E1000_RAH_AV           (1u << 31) /* address valid */
#define E1000_RAR_ENTRIES      16

/* --- TCTL / TIPG / TARC (datasheet 10.2.6) ----------------------------- */
#define E1000_TCTL_EN          (1u << 1)
#define E1000_TCTL_PSP         (1u << 3)  /* pad short packets */
#define E1000_TCTL_CT_SHIFT    4
#define E1000_TCTL_COLD_SHIFT  12
#define E1000_TCTL_RTLC        (1u << 24)
#define E1000_TCTL_MULR        (1u << 28)
#define E1000_TIPG_DEFAULT     (8u | (8u << 10) | (7u << 20))
#define E1000_TARC_ENABLE      (1u << 10) /* queue enable */
#define E1000_TARC_DEFAULT     (3u | E1000_TARC_ENABLE) /* power-on value */
#define E1000_TXDCTL_GRAN      (1u << 24)
#define E1000_RXDCTL_GRAN      (1u << 24)

/* Ring lengths must be multiples of 128 bytes (8 descriptors). */
#define E1000_RING_ALIGN_DESCS 8
#define E1000_RING_ALIGN       128
#define E1000_MAX_RING_DESCS   4096
#define E1000_MIN_RING_DESCS   32

/* --- Legacy transmit descriptor (datasheet 7.2.10.1) ------------------- */
struct e1000_tx_desc {
	uint64_t buffer_addr;
	uint16_t length;
	uint8_t cso;
	uint8_t cmd;
	uint8_t status;
	uint8_t css;
	uint16_t special;
};

#define E1000_TXD_CMD_EOP      0x01u /* end of packet */
#define E1000_TXD_CMD_IFCS     0x02u /* insert FCS */
#define E1000_TXD_CMD_RS       0x08u /* report status (write back DD) */
#define E1000_TXD_CMD_DEXT     0x20u /* extended descriptor: must be 0 */
#define E1000_TXD_STAT_DD      0x01u /* descriptor done */

/* --- Extended receive descriptor (datasheet 7.1.5.1 read, 7.1.5.2 wb) -- */
union e1000_rx_desc_ext {
	struct {
		uint64_t buffer_addr;
		uint64_t reserved; /* must be 0: hardware reads DD here */
	} read;
	struct {
		uint32_t mrq;          /* RSS type [3:0], queue [15:8] */
		uint32_t rss;          /* RSS hash (RXCSUM.PCSD = 1) */
		uint32_t status_error; /* status [19:0], errors [31:20] */
		uint16_t length;
		uint16_t vlan;
	} wb;
};

#define E1000_RXD_STAT_DD      (1u << 0)
#define E1000_RXD_STAT_EOP     (1u << 1)
#define E1000_RXD_STAT_VP      (1u << 3)
/* Frame errors (CE, SE, SEQ, CXE, RXE); TCPE/IPE are checksum results. */
#define E1000_RXDEXT_ERR_FRAME 0x97000000u
#define E1000_RXD_MRQ_TYPE_MASK 0xfu

/* EEPROM words (datasheet 6.1): MAC address in words 0-2. */
#define E1000_EEPROM_MAC_WORDS 3

#endif /* E1000E_REGS_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * @internal
 * The VMware vmxnet3 device interface: registers, commands and the
 * memory structures the driver shares with the device.
 *
 * Facts (offsets, sizes, bit positions, command codes) from the public
 * layout VMware publishes in Linux's drivers/net/vmxnet3/vmxnet3_defs.h
 * and upt1_defs.h (revision 1 of the device interface, the one QEMU's
 * hw/net/vmxnet3.c emulates).  The structures are written here as plain
 * little-endian words with masks instead of bitfields, so their layout
 * does not depend on the compiler; the static asserts at the end pin
 * every size and offset the device relies on.
 */
#ifndef VMXNET3_REGS_H
#define VMXNET3_REGS_H

#include <stddef.h>
#include <stdint.h>

/* ---- PCI identity ---- */
#define VMXNET3_VENDOR_ID 0x15ad        /* VMware */
#define VMXNET3_DEVICE_ID 0x07b0        /* vmxnet3 */

/* ---- BAR0 ("PT" registers, 4 KiB): doorbells, 8 bytes apart ---- */
#define VMXNET3_REG_IMR(i)     (0x000 + 8 * (i)) /* interrupt mask, vector i */
#define VMXNET3_REG_TXPROD(q)  (0x600 + 8 * (q)) /* tx producer index, queue q */
#define VMXNET3_REG_RXPROD(q)  (0x800 + 8 * (q)) /* rx ring 0 producer, queue q */
#define VMXNET3_REG_RXPROD2(q) (0xa00 + 8 * (q)) /* rx ring 1 producer, queue q */
#define VMXNET3_BAR0_SIZE 0x1000

/* ---- BAR1 ("VD" registers, 4 KiB) ---- */
#define VMXNET3_REG_VRRS 0x00  /* revision report (read) / selection (write) */
#define VMXNET3_REG_UVRS 0x08  /* UPT version report / selection */
#define VMXNET3_REG_DSAL 0x10  /* driver-shared area address, low 32 bits */
#define VMXNET3_REG_DSAH 0x18  /* driver-shared area address, high 32 bits */
#define VMXNET3_REG_CMD  0x20  /* command (write); its result (read) */
#define VMXNET3_REG_MACL 0x28  /* MAC bytes 0-3 */
#define VMXNET3_REG_MACH 0x30  /* MAC bytes 4-5 */
#define VMXNET3_REG_ICR  0x38  /* interrupt cause (INTx only) */
#define VMXNET3_REG_ECR  0x40  /* event cause: write 1s to acknowledge */
#define VMXNET3_BAR1_SIZE 0x1000

/* Revision 1 of the device and of UPT: bit 0 of VRRS / UVRS. */
#define VMXNET3_REV_1 0x1u
#define VMXNET3_UPT_VER_1 0x1u

/* ---- Commands written to VMXNET3_REG_CMD ---- */
#define VMXNET3_CMD_ACTIVATE_DEV        0xcafe0000u
#define VMXNET3_CMD_QUIESCE_DEV         0xcafe0001u
#define VMXNET3_CMD_RESET_DEV           0xcafe0002u
#define VMXNET3_CMD_UPDATE_RX_MODE      0xcafe0003u
#define VMXNET3_CMD_UPDATE_MAC_FILTERS  0xcafe0004u
#define VMXNET3_CMD_UPDATE_VLAN_FILTERS 0xcafe0005u
#define VMXNET3_CMD_UPDATE_RSSIDT       0xcafe0006u
#define VMXNET3_CMD_UPDATE_IML          0xcafe0007u
#define VMXNET3_CMD_UPDATE_PMCFG        0xcafe0008u
#define VMXNET3_CMD_UPDATE_FEATURE      0xcafe0009u
#define VMXNET3_CMD_GET_QUEUE_STATUS    0xf00d0000u
#define VMXNET3_CMD_GET_STATS           0xf00d0001u
#define VMXNET3_CMD_GET_LINK            0xf00d0002u
#define VMXNET3_CMD_GET_PERM_MAC_LO     0xf00d0003u
#define VMXNET3_CMD_GET_PERM_MAC_HI     0xf00d0004u
#define VMXNET3_CMD_GET_DID_LO          0xf00d0005u
#define VMXNET3_CMD_GET_DID_HI          0xf00d0006u
#define VMXNET3_CMD_GET_CONF_INTR       0xf00d0008u

/* GET_LINK result: bit 0 up, bits 31:16 speed in Mbps. */
#define VMXNET3_LINK_UP_BIT 0x1u
#define VMXNET3_LINK_SPEED_SHIFT 16

/* Event cause bits (VMXNET3_REG_ECR and Vmxnet3_DriverShared.ecr). */
#define VMXNET3_ECR_RQERR (1u << 0)
#define VMXNET3_ECR_TQERR (1u << 1)
#define VMXNET3_ECR_LINK  (1u << 2)
#define VMXNET3_ECR_DIC   (1u << 3)
#define VMXNET3_ECR_DEBUG (1u << 4)

/* ---- Limits ---- */
#define VMXNET3_MAX_TX_QUEUES 8
#define VMXNET3_MAX_RX_QUEUES 16
#define VMXNET3_MAX_INTRS 25             /* one per queue + the event */
#define VMXNET3_RING_BA_ALIGN 512        /* ring base address alignment */
#define VMXNET3_QUEUE_DESC_ALIGN 128     /* queue descriptor table alignment */
#define VMXNET3_RING_SIZE_ALIGN 32       /* ring sizes: multiples of 32 */
#define VMXNET3_TX_RING_MAX_SIZE 4096
#define VMXNET3_RX_RING_MAX_SIZE 4096
#define VMXNET3_RC_RING_MAX_SIZE 8192
#define VMXNET3_MAX_TX_BUF_SIZE (1u << 14) /* len 0 in a tx descriptor */
#define VMXNET3_MAX_RX_BUF_SIZE ((1u << 14) - 1)
#define VMXNET3_MIN_MTU 60
#define VMXNET3_MAX_MTU 9000
#define VMXNET3_HDR_COPY_SIZE 128        /* one tx data ring entry */

/* ---- Tx descriptor (Vmxnet3_TxDesc, 16 bytes) ---- */
struct vmxnet3_tx_desc {
	uint64_t addr;
	uint32_t dw2;   /* len:14 gen:1 rsvd:1 dtype:1 ext1:1 msscof:14 */
	uint32_t dw3;   /* hlen:10 om:2 eop:1 cq:1 ext2:1 ti:1 tci:16 */
};
#define VMXNET3_TXD_LEN_MASK 0x3fffu
#define VMXNET3_TXD_GEN (1u << 14)       /* in dw2 */
#define VMXNET3_TXD_EOP (1u << 12)       /* in dw3 */
#define VMXNET3_TXD_CQ  (1u << 13)       /* in dw3: completion request */

/* ---- Tx completion descriptor (Vmxnet3_TxCompDesc, 16 bytes) ---- */
struct vmxnet3_tx_comp_desc {
	uint32_t dw0;   /* txdIdx:12 (the EOP descriptor) ext1:20 */
	uint32_t ext2;
	uint32_t ext3;
	uint32_t dw3;   /* rsvd:24 type:7 gen:1 */
};
#define VMXNET3_TCD_TXIDX_MASK 0xfffu
#define VMXNET3_TCD_GEN (1u << 31)

/* ---- Rx descriptor (Vmxnet3_RxDesc, 16 bytes) ---- */
struct vmxnet3_rx_desc {
	uint64_t addr;
	uint32_t dw2;   /* len:14 btype:1 dtype:1 rsvd:15 gen:1 */
	uint32_t ext1;
};
#define VMXNET3_RXD_LEN_MASK 0x3fffu
#define VMXNET3_RXD_BTYPE_BODY (1u << 14) /* 0: head buffer (starts a frame) */
#define VMXNET3_RXD_GEN (1u << 31)

/* ---- Rx completion descriptor (Vmxnet3_RxCompDesc, 16 bytes) ---- */
struct vmxnet3_rx_comp_desc {
	uint32_t dw0;   /* rxdIdx:12 ext1:2 eop:1 sop:1 rqID:10 rssType:4 cnc:1 ext2:1 */
	uint32_t rss_hash;
	uint32_t dw2;   /* len:14 err:1 ts:1 tci:16 */
	uint32_t dw3;   /* csum:16 tuc udp tcp ipc v6 v4 frg fcs type:7 gen:1 */
};
#define VMXNET3_RCD_RXIDX_MASK 0xfffu
#define VMXNET3_RCD_EOP (1u << 14)
#define VMXNET3_RCD_SOP (1u << 15)
#define VMXNET3_RCD_RQID_SHIFT 16
#define VMXNET3_RCD_RQID_MASK 0x3ffu
#define VMXNET3_RCD_RSSTYPE_SHIFT 26
#define VMXNET3_RCD_RSSTYPE_MASK 0xfu
#define VMXNET3_RCD_LEN_MASK 0x3fffu
#define VMXNET3_RCD_ERR (1u << 14)
#define VMXNET3_RCD_GEN (1u << 31)

/* ---- UPT1 statistics (upt1_defs.h) ---- */
struct upt1_tx_stats {
	uint64_t tso_pkts, tso_bytes;
	uint64_t ucast_pkts, ucast_bytes;
	uint64_t mcast_pkts, mcast_bytes;
	uint64_t bcast_pkts, bcast_bytes;
	uint64_t error_pkts, discard_pkts;
};

struct upt1_rx_stats {
	uint64_t lro_pkts, lro_bytes;
	uint64_t ucast_pkts, ucast_bytes;
	uint64_t mcast_pkts, mcast_bytes;
	uint64_t bcast_pkts, bcast_bytes;
	uint64_t out_of_buf_pkts, error_pkts;
};

/* UPT1 features (Vmxnet3_MiscConf.uptFeatures). */
#define UPT1_F_RXCSUM 0x1u
#define UPT1_F_RSS    0x2u
#define UPT1_F_RXVLAN 0x4u
#define UPT1_F_LRO    0x8u

/* ---- RSS configuration (UPT1_RSSConf, 176 bytes) ---- */
#define UPT1_RSS_HASH_TYPE_IPV4     0x01
#define UPT1_RSS_HASH_TYPE_TCP_IPV4 0x02
#define UPT1_RSS_HASH_TYPE_IPV6     0x04
#define UPT1_RSS_HASH_TYPE_TCP_IPV6 0x08
#define UPT1_RSS_HASH_FUNC_TOEPLITZ 0x01
#define UPT1_RSS_MAX_KEY_SIZE 40
#define UPT1_RSS_MAX_IND_TABLE_SIZE 128

struct upt1_rss_conf {
	uint16_t hash_type;
	uint16_t hash_func;
	uint16_t hash_key_size;
	uint16_t ind_table_size;
	uint8_t hash_key[UPT1_RSS_MAX_KEY_SIZE];
	uint8_t ind_table[UPT1_RSS_MAX_IND_TABLE_SIZE];
};

/* ---- Queue descriptors (256 bytes each, table 128-byte aligned) ---- */
struct vmxnet3_queue_status {
	uint8_t stopped;
	uint8_t pad[3];
	uint32_t error;
};

struct vmxnet3_tx_queue_desc {
	/* ctrl */
	uint32_t tx_num_deferred;   /* frames written since the last TXPROD */
	uint32_t tx_threshold;      /* written by the device */
	uint64_t ctrl_reserved;
	/* conf */
	uint64_t tx_ring_pa;
	uint64_t data_ring_pa;
	uint64_t comp_ring_pa;
	uint64_t dd_pa;
	uint64_t conf_reserved;
	uint32_t tx_ring_size;
	uint32_t data_ring_size;
	uint32_t comp_ring_size;
	uint32_t dd_len;
	uint8_t intr_idx;
	uint8_t conf_pad[7];
	/* written by the device after GET_QUEUE_STATUS / GET_STATS */
	struct vmxnet3_queue_status status;
	struct upt1_tx_stats stats;
	uint8_t pad[88];
};

struct vmxnet3_rx_queue_desc {
	/* ctrl */
	uint8_t update_rx_prod;     /* device asks for RXPROD writes */
	uint8_t ctrl_pad[7];
	uint64_t ctrl_reserved;
	/* conf */
	uint64_t rx_ring_pa[2];
	uint64_t comp_ring_pa;
	uint64_t dd_pa;
	uint64_t conf_reserved;
	uint32_t rx_ring_size[2];
	uint32_t comp_ring_size;
	uint32_t dd_len;
	uint8_t intr_idx;
	uint8_t conf_pad[7];
	struct vmxnet3_queue_status status;
	struct upt1_rx_stats stats;
	uint8_t pad[88];
};

/* ---- The driver-shared area (Vmxnet3_DriverShared, 720 bytes) ---- */
#define VMXNET3_REV1_MAGIC 0xbabefee1u

/* Vmxnet3_GOSInfo: gosBits:2 gosType:4 gosVer:16 gosMisc:10 */
#define VMXNET3_GOS_BITS_64 2u
#define VMXNET3_GOS_TYPE_LINUX 1u
#define VMXNET3_GOS_TYPE_SHIFT 2

/* Vmxnet3_DSDevRead.rxFilterConf.rxMode */
#define VMXNET3_RXM_UCAST     0x01u
#define VMXNET3_RXM_MCAST     0x02u
#define VMXNET3_RXM_BCAST     0x04u
#define VMXNET3_RXM_ALL_MULTI 0x08u
#define VMXNET3_RXM_PROMISC   0x10u

/* intrConf.intrCtrl */
#define VMXNET3_IC_DISABLE_ALL 0x1u
#define VMXNET3_VFT_SIZE (4096 / 32)     /* VLAN filter: one bit per VLAN */

struct vmxnet3_var_conf_desc {
	uint32_t conf_ver;
	uint32_t conf_len;
	uint64_t conf_pa;
};

struct vmxnet3_driver_shared {
	uint32_t magic;
	uint32_t pad;
	/* devRead.misc (Vmxnet3_MiscConf) */
	uint32_t drv_version;
	uint32_t gos;
	uint32_t vmxnet3_rev_spt;
	uint32_t upt_ver_spt;
	uint64_t upt_features;
	uint64_t dd_pa;
	uint64_t queue_desc_pa;
	uint32_t dd_len;
	uint32_t queue_desc_len;
	uint32_t mtu;
	uint16_t max_num_rx_sg;
	uint8_t num_tx_queues;
	uint8_t num_rx_queues;
	uint32_t misc_reserved[4];
	/* devRead.intrConf (Vmxnet3_IntrConf) */
	uint8_t auto_mask;
	uint8_t num_intrs;
	uint8_t event_intr_idx;
	uint8_t mod_levels[VMXNET3_MAX_INTRS];
	uint32_t intr_ctrl;
	uint32_t intr_reserved[2];
	/* devRead.rxFilterConf (Vmxnet3_RxFilterConf) */
	uint32_t rx_mode;
	uint16_t mf_table_len;
	uint16_t rxf_pad;
	uint64_t mf_table_pa;
	uint32_t vf_table[VMXNET3_VFT_SIZE];
	/* devRead variable-length configurations */
	struct vmxnet3_var_conf_desc rss_conf;
	struct vmxnet3_var_conf_desc pm_conf;
	struct vmxnet3_var_conf_desc plugin_conf;
	/* written by the device */
	uint32_t ecr;
	uint32_t reserved[5];
};

#define VMXNET3_ASSERT_OFF(t, f, o) \
	_Static_assert(offsetof(struct t, f) == (o), #t "." #f " at " #o)
_Static_assert(sizeof(struct vmxnet3_tx_desc) == 16, "TxDesc");
_Static_assert(sizeof(struct vmxnet3_tx_comp_desc) == 16, "TxCompDesc");
_Static_assert(sizeof(struct vmxnet3_rx_desc) == 16, "RxDesc");
_Static_assert(sizeof(struct vmxnet3_rx_comp_desc) == 16, "RxCompDesc");
_Static_assert(sizeof(struct upt1_tx_stats) == 80, "UPT1_TxStats");
_Static_assert(sizeof(struct upt1_rx_stats) == 80, "UPT1_RxStats");
_Static_assert(sizeof(struct upt1_rss_conf) == 176, "UPT1_RSSConf");
_Static_assert(sizeof(struct vmxnet3_tx_queue_desc) == 256, "TxQueueDesc");
_Static_assert(sizeof(struct vmxnet3_rx_queue_desc) == 256, "RxQueueDesc");
VMXNET3_ASSERT_OFF(vmxnet3_tx_queue_desc, tx_ring_pa, 16);
VMXNET3_ASSERT_OFF(vmxnet3_tx_queue_desc, intr_idx, 72);
VMXNET3_ASSERT_OFF(vmxnet3_tx_queue_desc, status, 80);
VMXNET3_ASSERT_OFF(vmxnet3_tx_queue_desc, stats, 88);
VMXNET3_ASSERT_OFF(vmxnet3_rx_queue_desc, rx_ring_pa, 16);
VMXNET3_ASSERT_OFF(vmxnet3_rx_queue_desc, rx_ring_size, 56);
VMXNET3_ASSERT_OFF(vmxnet3_rx_queue_desc, intr_idx, 72);
VMXNET3_ASSERT_OFF(vmxnet3_rx_queue_desc, stats, 88);
VMXNET3_ASSERT_OFF(vmxnet3_driver_shared, upt_features, 24);
VMXNET3_ASSERT_OFF(vmxnet3_driver_shared, queue_desc_pa, 40);
VMXNET3_ASSERT_OFF(vmxnet3_driver_shared, mtu, 56);
VMXNET3_ASSERT_OFF(vmxnet3_driver_shared, num_rx_queues, 63);
VMXNET3_ASSERT_OFF(vmxnet3_driver_shared, auto_mask, 80);
VMXNET3_ASSERT_OFF(vmxnet3_driver_shared, intr_ctrl, 108);
VMXNET3_ASSERT_OFF(vmxnet3_driver_shared, rx_mode, 120);
VMXNET3_ASSERT_OFF(vmxnet3_driver_shared, vf_table, 136);
VMXNET3_ASSERT_OFF(vmxnet3_driver_shared, rss_conf, 648);
VMXNET3_ASSERT_OFF(vmxnet3_driver_shared, ecr, 696);
_Static_assert(sizeof(struct vmxnet3_driver_shared) == 720, "DriverShared");

#endif /* VMXNET3_REGS_H */

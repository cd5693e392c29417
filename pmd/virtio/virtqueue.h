/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * @internal
 * Virtqueues in one DMA-able block, split (virtio 1.1, section 2.6:
 * descriptor table, available ring, used ring) or packed (2.7: one
 * descriptor ring, driver and device event suppression structures); a
 * stack of free descriptor indexes (split) or buffer ids (packed), and the
 * per-buffer cookie (the mbuf).
 */
#ifndef VIRTQUEUE_H
#define VIRTQUEUE_H

#include <stdint.h>

#include "vfn_common.h"
#include "vfn_pci.h"

struct virtio_pci;

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

#define VRING_DESC_F_NEXT      1
#define VRING_DESC_F_WRITE     2

struct vring_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

#define VRING_AVAIL_F_NO_INTERRUPT 1

struct vring_used_elem {
	uint32_t id;
	uint32_t len;
};

struct vring_used {
	uint16_t flags;
	uint16_t idx;
	struct vring_used_elem ring[];
};

#define VRING_USED_F_NO_NOTIFY 1

/* Packed virtqueue descriptor (2.7.13). */
struct vring_packed_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t id;
	uint16_t flags;
};

#define VRING_PACKED_DESC_F_AVAIL (1 << 7)
#define VRING_PACKED_DESC_F_USED  (1 << 15)

/* Event suppression structure (2.7.14). */
struct vring_packed_event {
	uint16_t off_wrap;
	uint16_t flags;
};

#define VRING_PACKED_EVENT_F_ENABLE  0
#define VRING_PACKED_EVENT_F_DISABLE 1

struct virtqueue {
	volatile struct vring_desc *desc;
	volatile struct vring_avail *avail;
	volatile struct vring_used *used;
	volatile uint16_t *notify;      /**< doorbell in the notify BAR */
	/* Packed layout (desc, avail, used are NULL then). */
	volatile struct vring_packed_desc *pdesc;
	volatile struct vring_packed_event *driver_event; /**< we write */
	volatile struct vring_packed_event *device_event; /**< device writes */
	void **cookie;                  /**< split: per head descriptor; packed: per id */
	uint16_t *ndescs;               /**< the same: chain length */
	uint16_t *free_stack;           /**< free descriptor indexes / buffer ids */
	uint16_t nb_free;               /**< free descriptors (split and packed) */
	uint16_t nb_free_id;            /**< packed: ids on free_stack */
	uint16_t size;
	uint16_t mask;
	uint16_t avail_idx;             /**< split: shadow of avail->idx; packed: next slot */
	uint16_t last_used;             /**< split: next used entry; packed: its slot */
	uint16_t avail_flags;           /**< packed: AVAIL/USED bits of the avail wrap */
	uint8_t used_wrap;              /**< packed: used wrap counter */
	uint8_t packed;
	uint16_t index;                 /**< virtqueue number */
	void *mem;                      /**< the ring block */
	uint64_t mem_iova;
	uint64_t desc_iova, avail_iova, used_iova; /**< packed: ring, driver, device areas */
};

/**
 * Allocate a ring of @p size (power of two) entries, packed (2.7) when
 * @p packed, split (2.6) otherwise.
 */
struct virtqueue *virtqueue_alloc(uint16_t index, uint16_t size, int socket,
				  int packed);
void virtqueue_free(struct virtqueue *vq);
/** Empty the ring (all descriptors free, indexes 0); cookies untouched. */
void virtqueue_reset(struct virtqueue *vq);
/**
 * Program it into the device with MSI-X @p vector (VIRTIO_MSI_NO_VECTOR:
 * none) and enable it. 0 or -errno.
 */
int virtqueue_attach(struct virtqueue *vq, struct virtio_pci *vp,
		     uint16_t vector);
/**
 * Ask the device for used-buffer notifications (@p on) or not: the
 * avail ring's VRING_AVAIL_F_NO_INTERRUPT flag (split, 2.6.7; no
 * VIRTIO_F_EVENT_IDX here) or the driver event suppression flags
 * (packed, 2.7.10).  Followed by a full fence when turned on, so that a
 * poll after it sees what the device used before reading the flag.
 */
void virtqueue_intr_set(struct virtqueue *vq, int on);
/** Notify the device that queue @p vq has new buffers (doorbell). */
static inline void virtqueue_kick(struct virtqueue *vq)
{
	vfn_write16(vq->index, vq->notify);
}

static inline uint16_t vq_pop_free(struct virtqueue *vq)
{
	return vq->free_stack[--vq->nb_free];
}

static inline void vq_push_free(struct virtqueue *vq, uint16_t id)
{
	vq->free_stack[vq->nb_free++] = id;
}

/** Used entries not consumed yet (acquire: entries readable afterwards). */
static inline uint16_t vq_used_count(const struct virtqueue *vq)
{
	uint16_t idx = __atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE);

	return (uint16_t)(idx - vq->last_used);
}

/**
 * Publish avail entries up to vq->avail_idx and notify the device unless
 * it asked not to be (VRING_USED_F_NO_NOTIFY, 2.6.10).
 */
static inline void vq_publish(struct virtqueue *vq)
{
	/* Ring entries before the index (release). */
	__atomic_store_n(&vq->avail->idx, vq->avail_idx, __ATOMIC_RELEASE);
	/*
	 * The index store must be visible before reading the device's flag;
	 * otherwise the device could set NO_NOTIFY=0 after checking the index
	 * and we would both wait.  Store->load needs a full fence.
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!(vq->used->flags & VRING_USED_F_NO_NOTIFY))
		vfn_write16(vq->index, vq->notify);
}

/* Packed rings (2.7). */

static inline uint16_t pvq_pop_id(struct virtqueue *vq)
{
	return vq->free_stack[--vq->nb_free_id];
}

static inline void pvq_push_id(struct virtqueue *vq, uint16_t id)
{
	vq->free_stack[vq->nb_free_id++] = id;
}

/**
 * Is the descriptor at @p slot used by the device in the used wrap
 * @p wrap (2.7.1: AVAIL and USED bits both equal to the wrap counter)?
 * Acquire: its id and len are readable afterwards.
 */
static inline int pvq_desc_used(const struct virtqueue *vq, uint16_t slot,
				uint8_t wrap)
{
	uint16_t f = __atomic_load_n(&vq->pdesc[slot].flags, __ATOMIC_ACQUIRE);
	uint16_t want = wrap ? VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED : 0;

	return (f & (VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED)) == want;
}

/** Next used slot is used (see pvq_desc_used). */
static inline int pvq_used_ready(const struct virtqueue *vq)
{
	return pvq_desc_used(vq, vq->last_used, vq->used_wrap);
}

/** Consume @p n descriptors from the used side (advance, flip the wrap). */
static inline void pvq_used_advance(struct virtqueue *vq, uint16_t n)
{
	vq->last_used += n;
	if (vq->last_used >= vq->size) {
		vq->last_used -= vq->size;
		vq->used_wrap ^= 1;
	}
}

/** Take the next avail slot: its index; *flags gets its AVAIL/USED bits. */
static inline uint16_t pvq_avail_next(struct virtqueue *vq, uint16_t *flags)
{
	uint16_t slot = vq->avail_idx;

	*flags = vq->avail_flags;
	if (++vq->avail_idx == vq->size) {
		vq->avail_idx = 0;
		vq->avail_flags ^= VRING_PACKED_DESC_F_AVAIL |
				   VRING_PACKED_DESC_F_USED;
	}
	return slot;
}

/** Make a descriptor available: @p flags last, release (2.7.21.1). */
static inline void pvq_desc_publish(struct virtqueue *vq, uint16_t slot,
				    uint16_t flags)
{
	__atomic_store_n(&vq->pdesc[slot].flags, flags, __ATOMIC_RELEASE);
}

/**
 * Notify the device about new available descriptors unless it disabled
 * notifications in its event suppression structure (2.7.10).
 */
static inline void pvq_kick(struct virtqueue *vq)
{
	/* Descriptor flags stored before reading the device's flags. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (vq->device_event->flags != VRING_PACKED_EVENT_F_DISABLE)
		vfn_write16(vq->index, vq->notify);
}

#endif /* VIRTQUEUE_H */

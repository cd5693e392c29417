/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * @internal
 * Split virtqueues (virtio 1.1, section 2.6): descriptor table, available
 * (driver) ring and used (device) ring in one DMA-able block, a stack of
 * free descriptor indexes, and the per-descriptor cookie (the mbuf).
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

struct virtqueue {
	volatile struct vring_desc *desc;
	volatile struct vring_avail *avail;
	volatile struct vring_used *used;
	volatile uint16_t *notify;      /**< doorbell in the notify BAR */
	void **cookie;                  /**< per head descriptor: mbuf */
	uint16_t *ndescs;               /**< per head descriptor: chain length */
	uint16_t *free_stack;           /**< free descriptor indexes */
	uint16_t nb_free;
	uint16_t size;
	uint16_t mask;
	uint16_t avail_idx;             /**< shadow of avail->idx */
	uint16_t last_used;             /**< next used entry to consume */
	uint16_t index;                 /**< virtqueue number */
	void *mem;                      /**< the ring block */
	uint64_t mem_iova;
	uint64_t desc_iova, avail_iova, used_iova;
};

/** Allocate a split ring of @p size (power of two) entries. */
struct virtqueue *virtqueue_alloc(uint16_t index, uint16_t size, int socket);
void virtqueue_free(struct virtqueue *vq);
/** Empty the ring (all descriptors free, indexes 0); cookies untouched. */
void virtqueue_reset(struct virtqueue *vq);
/** Program it into the device and enable it. 0 or -errno. */
int virtqueue_attach(struct virtqueue *vq, struct virtio_pci *vp);

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

#endif /* VIRTQUEUE_H */

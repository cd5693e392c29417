/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Virtqueue memory in one block of vfnet memory, addressed by IOVA.
 * Split (virtio 1.1, 2.6): descriptor table (16-byte aligned), available
 * ring (2-byte aligned) and used ring (4-byte aligned, here page aligned).
 * Packed (2.7): descriptor ring (16-byte aligned), then the driver and the
 * device event suppression structures (4-byte aligned), each on its own
 * cache line.
 */
#include <errno.h>
#include <string.h>

#include "vfn_log.h"
#include "vfn_malloc.h"
#include "virtio_pci.h"
#include "virtqueue.h"

/* Bytes of the ring block and the offsets of its three parts. */
static size_t ring_layout(uint16_t size, int packed, size_t *avail_off,
			  size_t *used_off)
{
	size_t desc_sz = (size_t)size * sizeof(struct vring_desc);
	size_t avail_sz = 4 + 2 * (size_t)size + 2;
	size_t used_sz = 4 + sizeof(struct vring_used_elem) * (size_t)size + 2;

	if (packed) {
		*avail_off = desc_sz;
		*used_off = desc_sz + VFN_CACHE_LINE_SIZE;
		return desc_sz + 2 * VFN_CACHE_LINE_SIZE;
	}
	*avail_off = desc_sz;
	*used_off = vfn_align_ceil(desc_sz + avail_sz, 4096);
	return *used_off + used_sz;
}

struct virtqueue *virtqueue_alloc(uint16_t index, uint16_t size, int socket,
				  int packed)
{
	struct virtqueue *vq;
	int err = ENOMEM;
	size_t avail_off, used_off;
	size_t mem_sz = ring_layout(size, packed, &avail_off, &used_off);

	if (!vfn_is_power_of_2(size)) {
		errno = EINVAL;
		return NULL;
	}
	vq = vfn_zmalloc_socket("virtqueue", sizeof(*vq), 0, socket);
	if (!vq)
		return NULL;
	vq->mem = vfn_zmalloc_socket("vring", mem_sz, 4096, socket);
	vq->cookie = vfn_zmalloc_socket("vq_cookie", size * sizeof(void *), 0,
					socket);
	vq->ndescs = vfn_zmalloc_socket("vq_ndescs", size * sizeof(uint16_t), 0,
					socket);
	vq->free_stack = vfn_zmalloc_socket("vq_free", size * sizeof(uint16_t),
					    0, socket);
	if (!vq->mem || !vq->cookie || !vq->ndescs || !vq->free_stack)
		goto err;
	vq->mem_iova = vfn_mem_virt2iova(vq->mem);
	if (vq->mem_iova == VFN_BAD_IOVA) {
		err = EFAULT;
		goto err;
	}
	vq->index = index;
	vq->size = size;
	vq->mask = size - 1;
	vq->packed = !!packed;
	if (packed) {
		vq->pdesc = vq->mem;
		vq->driver_event = (void *)((char *)vq->mem + avail_off);
		vq->device_event = (void *)((char *)vq->mem + used_off);
	} else {
		vq->desc = vq->mem;
		vq->avail = (void *)((char *)vq->mem + avail_off);
		vq->used = (void *)((char *)vq->mem + used_off);
	}
	vq->desc_iova = vq->mem_iova;
	vq->avail_iova = vq->mem_iova + avail_off;
	vq->used_iova = vq->mem_iova + used_off;
	virtqueue_reset(vq);
	return vq;
err:
	virtqueue_free(vq);
	errno = err;
	return NULL;
}

void virtqueue_free(struct virtqueue *vq)
{
	if (!vq)
		return;
	vfn_free(vq->mem);
	vfn_free(vq->cookie);
	vfn_free(vq->ndescs);
	vfn_free(vq->free_stack);
	vfn_free(vq);
}

void virtqueue_reset(struct virtqueue *vq)
{
	size_t avail_off, used_off;
	uint16_t i;

	if (vq->packed) {
		memset(vq->mem, 0, ring_layout(vq->size, 1, &avail_off, &used_off));
		vq->nb_free = vq->size;
		vq->nb_free_id = 0;
		for (i = vq->size; i > 0; i--)
			pvq_push_id(vq, i - 1);
		vq->avail_idx = 0;
		vq->last_used = 0;
		/* Both wrap counters start at 1 (2.7.1). */
		vq->avail_flags = VRING_PACKED_DESC_F_AVAIL;
		vq->used_wrap = 1;
		/* We poll: no used buffer notifications (2.7.10). */
		vq->driver_event->flags = VRING_PACKED_EVENT_F_DISABLE;
		return;
	}
	memset((void *)vq->desc, 0, (size_t)vq->size * sizeof(*vq->desc));
	memset((void *)vq->avail, 0, 4 + 2 * (size_t)vq->size + 2);
	memset((void *)vq->used, 0,
	       4 + sizeof(struct vring_used_elem) * (size_t)vq->size + 2);
	vq->nb_free = 0;
	for (i = vq->size; i > 0; i--)
		vq_push_free(vq, i - 1);
	vq->avail_idx = 0;
	vq->last_used = 0;
	/* We poll: ask for no interrupts (2.6.7). */
	vq->avail->flags = VRING_AVAIL_F_NO_INTERRUPT;
}

int virtqueue_attach(struct virtqueue *vq, struct virtio_pci *vp,
		     uint16_t vector)
{
	vq->notify = virtio_pci_queue_setup(vp, vq->index, vq->size,
					    vq->desc_iova, vq->avail_iova,
					    vq->used_iova, vector);
	return vq->notify ? 0 : -EIO;
}

void virtqueue_intr_set(struct virtqueue *vq, int on)
{
	if (vq->packed)
		__atomic_store_n(&vq->driver_event->flags,
				 on ? VRING_PACKED_EVENT_F_ENABLE :
				      VRING_PACKED_EVENT_F_DISABLE,
				 __ATOMIC_RELAXED);
	else
		__atomic_store_n(&vq->avail->flags,
				 on ? 0 : VRING_AVAIL_F_NO_INTERRUPT,
				 __ATOMIC_RELAXED);
	if (on)
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Split virtqueue memory (virtio 1.1, 2.6): descriptor table (16-byte
 * aligned), available ring (2-byte aligned) and used ring (4-byte aligned,
 * here page aligned) in one block of vfnet memory, addressed by IOVA.
 */
#include <errno.h>
#include <string.h>

#include "vfn_log.h"
#include "vfn_malloc.h"
#include "virtio_pci.h"
#include "virtqueue.h"

struct virtqueue *virtqueue_alloc(uint16_t index, uint16_t size, int socket)
{
	struct virtqueue *vq;
	int err = ENOMEM;
	size_t desc_sz = (size_t)size * sizeof(struct vring_desc);
	size_t avail_sz = 4 + 2 * (size_t)size + 2;
	size_t used_off = vfn_align_ceil(desc_sz + avail_sz, 4096);
	size_t used_sz = 4 + sizeof(struct vring_used_elem) * (size_t)size + 2;

	if (!vfn_is_power_of_2(size)) {
		errno = EINVAL;
		return NULL;
	}
	vq = vfn_zmalloc_socket("virtqueue", sizeof(*vq), 0, socket);
	if (!vq)
		return NULL;
	vq->mem = vfn_zmalloc_socket("vring", used_off + used_sz, 4096, socket);
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
	vq->desc = vq->mem;
	vq->avail = (void *)((char *)vq->mem + desc_sz);
	vq->used = (void *)((char *)vq->mem + used_off);
	vq->desc_iova = vq->mem_iova;
	vq->avail_iova = vq->mem_iova + desc_sz;
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
	uint16_t i;

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

int virtqueue_attach(struct virtqueue *vq, struct virtio_pci *vp)
{
	vq->notify = virtio_pci_queue_setup(vp, vq->index, vq->size,
					    vq->desc_iova, vq->avail_iova,
					    vq->used_iova);
	return vq->notify ? 0 : -EIO;
}

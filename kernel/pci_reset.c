// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfnet PCI bus driver: power state, resets and state restore.
 *
 * Follows upstream drivers/vfio/pci/vfio_pci_core.c (Linux 6.1): reset
 * sets (its vfio_device_set), hot reset, and the bus reset on last close
 * (vfio_pci_dev_set_try_reset()); the code is our own.
 *
 * VFIO_DEVICE_RESET is a function reset (FLR, PM or whatever the PCI
 * core's reset methods find), offered only when it worked at open.  A hot
 * (secondary bus) reset hits every function below the bridge or slot, so
 * it is allowed only when every one of them is bound to us and the
 * caller proves it owns them all by passing their group fds.  On the last
 * close we put back the config state saved at open and reset the
 * function, so the next owner finds the device as it was; a function
 * without a reset of its own is reset with its bus once no member of its
 * reset set is in use.
 *
 * Every function we bind belongs to one reset set: the functions that
 * share its slot (when the slot can be reset) or its bus, or itself alone
 * on a root bus.  The set's lock serializes everything that changes a
 * member's power or saved state against a reset of the whole set.
 */
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/file.h>
#include <linux/iommu.h>

#include "pci_private.h"

/* The reset sets, by id; vfnet_pci_sets_lock protects the list and refs */
static DEFINE_MUTEX(vfnet_pci_sets_lock);
static LIST_HEAD(vfnet_pci_sets);

/* What a hot reset of @pdev would hit together, as upstream groups them */
static const void *reset_set_id(struct vfnet_pci_device *pv)
{
	struct pci_dev *pdev = pv->pdev;

	if (pci_is_root_bus(pdev->bus))
		return pv;
	if (!pci_probe_reset_slot(pdev->slot))
		return pdev->slot;
	return pdev->bus;
}

/* Probe: put @pv into its set before it can be opened */
int vfnet_pci_reset_set_join(struct vfnet_pci_device *pv)
{
	const void *id = reset_set_id(pv);
	struct vfnet_pci_reset_set *set;

	mutex_lock(&vfnet_pci_sets_lock);
	list_for_each_entry(set, &vfnet_pci_sets, next)
		if (set->id == id)
			goto found;
	set = kzalloc(sizeof(*set), GFP_KERNEL);
	if (!set) {
		mutex_unlock(&vfnet_pci_sets_lock);
		return -ENOMEM;
	}
	set->id = id;
	mutex_init(&set->lock);
	INIT_LIST_HEAD(&set->devices);
	list_add(&set->next, &vfnet_pci_sets);
found:
	set->refs++;
	mutex_lock(&set->lock);
	list_add_tail(&pv->reset_set_next, &set->devices);
	pv->reset_set = set;
	mutex_unlock(&set->lock);
	mutex_unlock(&vfnet_pci_sets_lock);
	return 0;
}

/* Remove, after the core let go of @pv: no reset of the set can see it */
void vfnet_pci_reset_set_leave(struct vfnet_pci_device *pv)
{
	struct vfnet_pci_reset_set *set = pv->reset_set;

	mutex_lock(&vfnet_pci_sets_lock);
	mutex_lock(&set->lock);
	list_del(&pv->reset_set_next);
	mutex_unlock(&set->lock);
	pv->reset_set = NULL;
	if (!--set->refs) {
		list_del(&set->next);
		mutex_destroy(&set->lock);
		kfree(set);
	}
	mutex_unlock(&vfnet_pci_sets_lock);
}

static struct vfnet_pci_device *reset_set_find(struct vfnet_pci_reset_set *set,
					       struct pci_dev *pdev)
{
	struct vfnet_pci_device *pv;

	lockdep_assert_held(&set->lock);
	list_for_each_entry(pv, &set->devices, reset_set_next)
		if (pv->pdev == pdev)
			return pv;
	return NULL;
}

/* Does a D3hot->D0 transition lose config state (No_Soft_Reset clear)? */
void vfnet_pci_probe_power_state(struct vfnet_pci_device *pv)
{
	struct pci_dev *pdev = pv->pdev;
	u16 pmcsr;

	if (!pdev->pm_cap)
		return;
	pci_read_config_word(pdev, pdev->pm_cap + PCI_PM_CTRL, &pmcsr);
	pv->needs_pm_restore = !(pmcsr & PCI_PM_CTRL_NO_SOFT_RESET);
}

void vfnet_pci_set_power_state(struct vfnet_pci_device *pv,
			       pci_power_t state)
{
	struct pci_dev *pdev = pv->pdev;
	const int d3hot = vfnet_pm_depth(PCI_D3hot), to = vfnet_pm_depth(state);
	bool needs_restore = false, needs_save = false;
	int ret;

	/* a PF with VFs stays in D0 */
	if (pci_num_vf(pdev) && to > vfnet_pm_depth(PCI_D0))
		return;

	if (pv->needs_pm_restore) {
		if (vfnet_pm_depth(pdev->current_state) < d3hot && to >= d3hot) {
			pci_save_state(pdev);
			needs_save = true;
		}
		if (vfnet_pm_depth(pdev->current_state) >= d3hot &&
		    to <= vfnet_pm_depth(PCI_D0))
			needs_restore = true;
	}

	ret = pci_set_power_state(pdev, state);
	if (ret)
		return;

	/* D3 may be refused by a quirk: only save if we got there */
	if (needs_save && vfnet_pm_depth(pdev->current_state) >= d3hot) {
		kfree(pv->pm_save);
		pv->pm_save = pci_store_saved_state(pdev);
	} else if (needs_restore) {
		pci_load_and_free_saved_state(pdev, &pv->pm_save);
		pci_restore_state(pdev);
	}
}

int vfnet_pci_ioctl_reset(struct vfnet_pci_device *pv)
{
	int ret;

	if (!pv->reset_works)
		return -EINVAL;

	vfnet_zap_and_down_write_memory_lock(pv);

	/* a PM reset needs D0, and a NoSoftRst- device loses state in D3 */
	vfnet_pci_set_power_state(pv, PCI_D0);

	ret = pci_try_reset_function(pv->pdev);
	up_write(&pv->memory_lock);
	return ret;
}

/* ---- the functions a slot or bus reset would hit ---- */

struct reset_walk {
	struct pci_dev *pdev;		/* the device the user asked about */
	bool slot;
	int (*fn)(struct pci_dev *pdev, void *data);
	void *data;
	int ret;
};

static bool dev_below_slot(struct pci_dev *pdev, struct pci_slot *slot)
{
	for (; pdev; pdev = pdev->bus->self)
		if (pdev->bus == slot->bus)
			return pdev->slot == slot;
	return false;
}

static int reset_walk_one(struct pci_dev *pdev, void *data)
{
	struct reset_walk *walk = data;

	if (!walk->slot || dev_below_slot(pdev, walk->pdev->slot))
		walk->ret = walk->fn(pdev, walk->data);
	return walk->ret;
}

static int walk_affected(struct pci_dev *pdev, bool slot,
			     int (*fn)(struct pci_dev *, void *), void *data)
{
	struct reset_walk walk = {
		.pdev = pdev, .slot = slot, .fn = fn, .data = data,
	};

	pci_walk_bus(pdev->bus, reset_walk_one, &walk);
	return walk.ret;
}

/* -ENODEV when neither a slot nor a bus reset is possible */
static int probe_hot_reset(struct pci_dev *pdev, bool *slot)
{
	*slot = false;
	if (!pci_probe_reset_slot(pdev->slot)) {
		*slot = true;
		return 0;
	}
	return pci_probe_reset_bus(pdev->bus) ? -ENODEV : 0;
}

static int count_devs(struct pci_dev *pdev, void *data)
{
	(*(int *)data)++;
	return 0;
}

struct fill_info {
	struct vfio_pci_dependent_device *devices;
	int max;
	int cur;
};

static int fill_devs(struct pci_dev *pdev, void *data)
{
	struct fill_info *fill = data;
	struct iommu_group *group;

	if (fill->cur == fill->max)
		return -EAGAIN;	/* a device appeared: try again */

	group = iommu_group_get(&pdev->dev);
	if (!group)
		return -EPERM;	/* not isolated: cannot reset */

	fill->devices[fill->cur].group_id = iommu_group_id(group);
	fill->devices[fill->cur].segment = pci_domain_nr(pdev->bus);
	fill->devices[fill->cur].bus = pdev->bus->number;
	fill->devices[fill->cur].devfn = pdev->devfn;
	fill->cur++;
	iommu_group_put(group);
	return 0;
}

int vfnet_pci_hot_reset_info(struct vfnet_pci_device *pv, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_pci_hot_reset_info,
					  count);
	struct vfio_pci_hot_reset_info __user *uarg = arg;
	struct vfio_pci_hot_reset_info hdr;
	struct fill_info fill = { };
	bool slot;
	int ret;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	if (hdr.argsz < minsz)
		return -EINVAL;

	hdr.flags = 0;

	ret = probe_hot_reset(pv->pdev, &slot);
	if (ret)
		return ret;

	ret = walk_affected(pv->pdev, slot, count_devs, &fill.max);
	if (ret)
		return ret;

	if (hdr.argsz < sizeof(hdr) + fill.max * sizeof(*fill.devices)) {
		ret = -ENOSPC;
		hdr.count = fill.max;
		goto out;
	}

	fill.devices = kcalloc(fill.max, sizeof(*fill.devices), GFP_KERNEL);
	if (!fill.devices)
		return -ENOMEM;

	ret = walk_affected(pv->pdev, slot, fill_devs, &fill);
	if (!ret)
		hdr.count = fill.cur;
out:
	if (copy_to_user(arg, &hdr, minsz))
		ret = -EFAULT;
	if (!ret && copy_to_user(&uarg->devices, fill.devices,
				 hdr.count * sizeof(*fill.devices)))
		ret = -EFAULT;
	kfree(fill.devices);
	return ret;
}

struct reset_set {
	struct vfnet_pci_reset_set *set;
	struct vfnet_pci_device **pvs;
	int max;
	int cur;
	struct file **files;
	int nfiles;
};

/*
 * Every affected function must be a member of the caller's reset set
 * (bound to us) and belong to one of the groups whose fds the user
 * passed; the proof is the group itself (vfnet_file_has_dev()), so the fd
 * of a group whose devices were unbound proves nothing.
 */
static int collect_dev(struct pci_dev *pdev, void *data)
{
	struct reset_set *set = data;
	struct vfnet_pci_device *pv;
	bool owned = false;
	int i;

	if (set->cur == set->max)
		return -EAGAIN;
	pv = reset_set_find(set->set, pdev);
	if (!pv)
		return -EINVAL;
	for (i = 0; i < set->nfiles; i++)
		if (vfnet_file_has_dev(set->files[i], &pv->vdev))
			owned = true;
	if (!owned)
		return -EINVAL;

	set->pvs[set->cur++] = pv;
	return 0;
}

static int do_hot_reset(struct vfnet_pci_device *pv, bool slot,
			struct reset_set *set)
{
	int i, nvma = 0, nmem = 0, ret;

	lockdep_assert_held(&set->set->lock);
	ret = walk_affected(pv->pdev, slot, collect_dev, set);
	if (ret)
		return ret;

	/*
	 * Locking several devices can deadlock against their users: only
	 * try, and back out with -EBUSY on contention.
	 */
	for (nvma = 0; nvma < set->cur; nvma++) {
		if (!vfnet_zap_and_vma_trylock(set->pvs[nvma])) {
			ret = -EBUSY;
			goto out_unlock;
		}
	}
	for (nmem = 0; nmem < set->cur; nmem++) {
		if (!down_write_trylock(&set->pvs[nmem]->memory_lock)) {
			ret = -EBUSY;
			goto out_unlock;
		}
	}

	/* the bus reset puts everyone in D0 behind our back: do it first */
	for (i = 0; i < set->cur; i++)
		vfnet_pci_set_power_state(set->pvs[i], PCI_D0);

	ret = pci_reset_bus(pv->pdev);

out_unlock:
	for (i = 0; i < nmem; i++)
		up_write(&set->pvs[i]->memory_lock);
	for (i = 0; i < nvma; i++)
		mutex_unlock(&set->pvs[i]->vma_lock);
	return ret;
}

int vfnet_pci_hot_reset(struct vfnet_pci_device *pv, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_pci_hot_reset, count);
	struct vfio_pci_hot_reset __user *uarg = arg;
	struct vfio_pci_hot_reset hdr;
	struct reset_set set = { };
	s32 *group_fds = NULL;
	int i, count = 0, ret;
	bool slot;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	if (hdr.argsz < minsz || hdr.flags)
		return -EINVAL;

	ret = probe_hot_reset(pv->pdev, &slot);
	if (ret)
		return ret;

	/* one group per affected device at most: bounds the copy */
	ret = walk_affected(pv->pdev, slot, count_devs, &count);
	if (ret)
		return ret;
	if (!hdr.count || hdr.count > count)
		return -EINVAL;

	group_fds = kcalloc(hdr.count, sizeof(*group_fds), GFP_KERNEL);
	set.files = kcalloc(hdr.count, sizeof(*set.files), GFP_KERNEL);
	set.pvs = kcalloc(count, sizeof(*set.pvs), GFP_KERNEL);
	set.max = count;
	if (!group_fds || !set.files || !set.pvs) {
		ret = -ENOMEM;
		goto out_free;
	}

	if (copy_from_user(group_fds, uarg->group_fds,
			   hdr.count * sizeof(*group_fds))) {
		ret = -EFAULT;
		goto out_free;
	}

	/* hold each group across the reset */
	for (i = 0; i < hdr.count; i++) {
		struct file *file = fget(group_fds[i]);

		if (!file) {
			ret = -EBADF;
			break;
		}
		if (!vfnet_file_is_group(file)) {
			fput(file);
			ret = -EINVAL;
			break;
		}
		set.files[set.nfiles++] = file;
	}

	if (!ret) {
		set.set = pv->reset_set;
		mutex_lock(&set.set->lock);
		ret = do_hot_reset(pv, slot, &set);
		mutex_unlock(&set.set->lock);
	}

	for (i = 0; i < set.nfiles; i++)
		fput(set.files[i]);
out_free:
	kfree(set.pvs);
	kfree(set.files);
	kfree(group_fds);
	return ret;
}

/*
 * Last close: put back the state saved at open and reset the function
 * so that no user state survives (restore, then reset with the restored
 * state, then restore again: pci_restore_state() is what the next owner
 * sees).  A function that cannot be reset on its own keeps needs_reset
 * for vfnet_pci_set_try_reset().
 */
void vfnet_pci_restore_on_close(struct vfnet_pci_device *pv)
{
	struct pci_dev *pdev = pv->pdev;

	lockdep_assert_held(&pv->reset_set->lock);
	pv->needs_reset = true;

	if (pci_load_and_free_saved_state(pdev, &pv->pci_saved_state)) {
		pci_info(pdev, "vfnet-pci: couldn't reload saved state\n");
		if (!pv->reset_works)
			return;
		pci_save_state(pdev);
	}

	/* no INTx or MSI while resetting (as pci_reset_function() does) */
	pci_write_config_word(pdev, PCI_COMMAND, PCI_COMMAND_INTX_DISABLE);

	/*
	 * Only try the device lock: it is held when we get here from an
	 * unbind, and the locked reset interface keeps our restored state.
	 */
	if (pv->reset_works && pci_dev_trylock(pdev)) {
		if (!__pci_reset_function_locked(pdev))
			pv->needs_reset = false;
		pci_dev_unlock(pdev);
	}

	pci_restore_state(pdev);
}

/* Is every function a reset of @pdev would hit a member of @set? */
static int in_set(struct pci_dev *pdev, void *data)
{
	return reset_set_find(data, pdev) ? 0 : -EBUSY;
}

/**
 * vfnet_pci_set_try_reset - bus reset of a set that was left dirty
 * @set: the reset set of a device whose last close just finished
 *
 * As upstream's vfio_pci_dev_set_try_reset(): when some member was closed
 * without a reset of its own (needs_reset), no member is open any more,
 * and a slot or bus reset hits members only, reset them all, so the next
 * user of any of them starts from a reset device.  Best effort: the PCI
 * core only tries the device locks, and a close from an unbind holds one.
 */
void vfnet_pci_set_try_reset(struct vfnet_pci_reset_set *set)
{
	struct vfnet_pci_device *cur;
	bool needs_reset = false, slot;
	struct pci_dev *pdev;

	lockdep_assert_held(&set->lock);
	list_for_each_entry(cur, &set->devices, reset_set_next) {
		if (cur->set_open)
			return;
		needs_reset |= cur->needs_reset;
	}
	if (!needs_reset)
		return;

	cur = list_first_entry(&set->devices, struct vfnet_pci_device,
			       reset_set_next);
	pdev = cur->pdev;
	if (probe_hot_reset(pdev, &slot) ||
	    walk_affected(pdev, slot, in_set, set))
		return;
	if (pci_reset_bus(pdev))
		return;
	list_for_each_entry(cur, &set->devices, reset_set_next)
		cur->needs_reset = false;
}

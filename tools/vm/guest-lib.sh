# SPDX-License-Identifier: BSD-3-Clause
#
# Shell functions for scripts that run inside the test VM; source it:
#   . "$src/tools/vm/guest-lib.sh"

# vm_bind DRIVER BDF...: bind each device to DRIVER through driver_override.
# At the first device that does not end up on DRIVER, print which driver it
# has and return 1.
vm_bind() {
	_vb_drv=$1
	shift
	for _vb_d in "$@"; do
		_vb_dev=/sys/bus/pci/devices/$_vb_d
		echo "$_vb_drv" > "$_vb_dev/driver_override" || return 1
		[ -e "$_vb_dev/driver" ] && echo "$_vb_d" > "$_vb_dev/driver/unbind"
		echo "$_vb_d" > /sys/bus/pci/drivers_probe 2>/dev/null
		_vb_cur=$(basename "$(readlink "$_vb_dev/driver")" 2>/dev/null)
		if [ "$_vb_cur" != "$_vb_drv" ]; then
			echo "$_vb_d is bound to '${_vb_cur:-nothing}', not $_vb_drv"
			return 1
		fi
	done
}

# vm_unbind BDF...: detach each device from its driver, clear the override.
vm_unbind() {
	for _vb_d in "$@"; do
		_vb_dev=/sys/bus/pci/devices/$_vb_d
		[ -e "$_vb_dev/driver" ] && echo "$_vb_d" > "$_vb_dev/driver/unbind"
		echo > "$_vb_dev/driver_override"
	done
	return 0
}

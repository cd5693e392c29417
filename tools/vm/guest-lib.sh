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

# vm_monitor_cpus: print, as TAP "# " lines, what QEMU's monitor (on
# VFN_VM_MONITOR, from --guest-monitor) says of each vCPU: RIP and RFLAGS,
# and its local APIC's LVT timer, counts, spurious-vector register, ISR,
# IRR and priorities.
vm_monitor_cpus() {
	_vm_out=/run/vm_monitor.$$
	stty -F "$VFN_VM_MONITOR" raw -echo 2>/dev/null
	timeout 6 cat "$VFN_VM_MONITOR" > "$_vm_out" &
	_vm_cat=$!
	sleep 0.5
	_vm_cmds=";info registers -a"	# an empty line first: a fresh prompt
	for _vm_c in /sys/devices/system/cpu/cpu[0-9]*; do
		_vm_cmds="$_vm_cmds;info lapic ${_vm_c##*cpu}"
	done
	echo "$_vm_cmds" | tr ';' '\n' | while read -r _vm_l; do
		printf '%s\r\n' "$_vm_l" > "$VFN_VM_MONITOR"
		sleep 0.5
	done
	wait "$_vm_cat"
	echo "# QEMU's monitor: each vCPU's RIP/RFL (IF is RFL bit 9) and local APIC:"
	tr -d '\r' < "$_vm_out" |
		grep -E '^(CPU#|RIP=|dumping|LVTT|Timer|SPIV|ESR|ISR|IRR|APR)' |
		sed 's/^/#   /'
	rm -f "$_vm_out"
}

# vm_watchdog SECONDS NAME: in the background, after SECONDS, if a process
# called NAME still runs, print (as TAP "# " lines) the kernel stack and
# wait channel of each of its threads, every CPU's backtrace (sysrq l)
# and the kernel's list of blocked tasks (sysrq w), then kill it: a hang
# under test then fails with where it hung, well before the VM's own
# timeout kills everything unexplained.  It also raises the console log
# level to 7 at once, so that an RCU stall's NMI backtraces and the hung
# tasks' stacks reach the console while NAME runs (under `quiet` they
# stay in the kernel's buffer, lost with the VM).  With --guest-monitor
# (VFN_VM_MONITOR) it also prints QEMU's view of each vCPU: its RIP and
# RFLAGS (IF is bit 9) and its local APIC's timer, ISR and IRR, which
# tell a CPU spinning with interrupts off from one whose APIC stopped
# delivering its ticks (see tests/vm/kernel/robust/STALL.md).
# Prints the watchdog's pid; kill it when NAME is done.
vm_watchdog() {
	dmesg -n 7
	(
		sleep "$1"
		_vw_pids=$(pidof "$2") || exit 0
		echo "# watchdog: $2 still runs after $1 s; its threads:"
		for _vw_p in $_vw_pids; do
			for _vw_t in /proc/"$_vw_p"/task/*; do
				[ -d "$_vw_t" ] || continue
				echo "# ${_vw_t##*/} $(cat "$_vw_t/stat" 2>/dev/null |
					cut -d' ' -f3) wchan $(cat "$_vw_t/wchan" 2>/dev/null)"
				sed 's/^/#   /' "$_vw_t/stack" 2>/dev/null
			done
		done
		echo l > /proc/sysrq-trigger
		echo w > /proc/sysrq-trigger
		sleep 1
		echo "# watchdog: every CPU's backtrace (sysrq l; a vCPU stuck"
		echo "# in QEMU prints none) and the blocked tasks (sysrq w):"
		dmesg | sed -n '/sysrq: Show backtrace of all active CPUs/,$p' |
			head -n 300 | sed 's/^/#   /'
		[ -z "${VFN_VM_MONITOR:-}" ] || vm_monitor_cpus
		kill -9 $_vw_pids
	) >&2 &
	echo $!
}

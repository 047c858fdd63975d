#!/usr/bin/env bats
# Fault containment (SPEC section 6, issue 7): a fault in module code --
# init, exit, a parameter's set or get, a timer callback, a work item --
# is an Oops in the log, taints D and fails only the operation that ran
# it; WARN() logs, taints W and goes on; an init that never returns
# blocks only its writer.  The modules: tests/modules/faulty.c (mode=N in
# init, exit_mode=N in exit, N written to "crash", read_mode=N for reads of
# "crashget"), abibreak.c, faultytimer.c, initwrite.c and spin.c.

load helpers

FAULTY_SRC='[^ ]*tests/modules/faulty\.c'
CUT='------------\[ cut here \]------------'
END_TRACE='---\[ end trace 0000000000000000 \]---'
# the first Oops: D is added after the report (oops_end()), as on Linux
TAINT_OE='Tainted: G           OE      6\.1\.0-kmodfs #1'
TAINT_MAYBE_D_OE='Tainted: G      [D ]    OE      6\.1\.0-kmodfs #1'
FN='\+0x[0-9a-f]+/0x[0-9a-f]+'

# oops_body HEADER TAINT RIP MODULES: after a record matching HEADER, an
# Oops body in Linux's order: the task line with TAINT, the hardware
# name, RIP: 0010:RIP, the registers, the call trace, "Modules linked in:
# MODULES" and the end marker
oops_body() {
	klog_in_order "$1" \
		"CPU: [0-9]+ PID: [0-9]+ Comm: [^ ]+ $2" \
		"Hardware name: kmodfs user-space kernel" \
		"RIP: 0010:$3" "${REGS[@]}" \
		"Call Trace:" " <TASK>" " </TASK>" \
		"Modules linked in: $4" "$END_TRACE"
}

# trace_has FUNC MODULE: a call trace has " ? FUNC+0xOFF/0xLEN [MODULE]"
# with OFF > 0: a return address into FUNC, the caller of what faulted
# (the stack as it was at the fault, not words written there since)
trace_has() {
	klog | sed -n '/^Call Trace:$/,/^ <\/TASK>$/p' |
		grep -qE "^ \? $1\+0x0*[1-9a-f][0-9a-f]*/0x[0-9a-f]+ \[$2\]\$" && return 0
	echo "no call trace shows a return into $1 [$2]" >&2
	return 1
}

# load_fails_efault FILE.ko: cp fails at close() with EFAULT
load_fails_efault() {
	run cp "$1" "$MNT/load/"
	[ "$status" -eq 1 ]
	same "cp: failed to close '$MNT/load/$(basename "$1")': Bad address" "$output"
}

# nothing_left NAME: no trace of NAME in the mount, load/ is empty
nothing_left() {
	[ ! -e "$MNT/sys/module/$1" ]
	refute grep -q "^$1 " "$MNT/proc/modules"
	refute grep -q "\[$1\]\$" "$MNT/proc/kallsyms"
	[ -z "$(ls -A "$MNT/load")" ]
}

# still_serves: the mount loads, lists and unloads another module
still_serves() {
	kload "$EX/hello.ko"
	[ "$(kattr hello initstate)" = live ]
	modline hello | grep -q ' Live 0x'
	rmdir "$MNT/sys/module/hello"
	[ ! -e "$MNT/sys/module/hello" ]
	log_has "hello: exit"
}

# ---- faults in init: the load fails with EFAULT, nothing is left ----

@test "NULL dereference in init: Oops, EFAULT, nothing left, the mount serves" {
	modopts faulty mode=3
	load_fails_efault "$TM/faulty.ko"
	nothing_left faulty
	# the Oops, line by line, in Linux's order
	grep -qE '^<1>\[ *[0-9.]+\] BUG: kernel NULL pointer dereference, address: 0000000000000000$' "$MNT/dmesg"
	klog_in_order \
		"BUG: kernel NULL pointer dereference, address: 0000000000000000" \
		"#PF: supervisor read access in kernel mode" \
		"#PF: error_code\(0x0000\) - not-present page" \
		"Oops: 0000 \[#1\] PREEMPT SMP NOPTI"
	oops_body "Oops: 0000 \[#1\] PREEMPT SMP NOPTI" "$TAINT_OE" \
		"misbehave$FN \[faulty\]" "faulty\(OE\+\)"
	# the executive summary after the body: CR2, the end, the registers
	klog_in_order "Modules linked in: faulty\(OE\+\)" "CR2: 0000000000000000" \
		"$END_TRACE" "RIP: 0010:misbehave$FN \[faulty\]" "${REGS[@]}"
	# faulty_init called misbehave
	trace_has faulty_init faulty
	refute log_has "faulty: init survived"
	# no "Disabling lock debugging": oops_enter() turns it off silently
	refute log_has "Disabling lock debugging"
	# D (128) joins O (4096) and E (8192)
	[ "$(tainted)" -eq $((128 + 4096 + 8192)) ]
	still_serves
	# the name is free again: the same module loads when it behaves
	modopts faulty mode=0
	kload "$TM/faulty.ko"
	[ "$(kattr faulty initstate)" = live ]
	log_has "faulty: init survived mode 0"
	# a second Oops is numbered #2
	rmdir "$MNT/sys/module/faulty"
	modopts faulty mode=3
	load_fails_efault "$TM/faulty.ko"
	klog_line "Oops: 0000 \[#2\] PREEMPT SMP NOPTI"
	[ "$(log_count "BUG: kernel NULL pointer dereference")" -eq 2 ]
	nothing_left faulty
}

@test "BUG() in init: kernel BUG at faulty.c:LINE!, invalid opcode, EFAULT" {
	local line
	line=$(srcline faulty.c "BUG();")
	[ -n "$line" ]
	modopts faulty mode=2
	load_fails_efault "$TM/faulty.ko"
	nothing_left faulty
	grep -qE "^<2>\[ *[0-9.]+\] kernel BUG at $FAULTY_SRC:$line!\$" "$MNT/dmesg"
	klog_in_order "$CUT" "kernel BUG at $FAULTY_SRC:$line!" \
		"invalid opcode: 0000 \[#1\] PREEMPT SMP NOPTI"
	oops_body "invalid opcode: 0000 \[#1\] PREEMPT SMP NOPTI" "$TAINT_OE" \
		"misbehave$FN \[faulty\]" "faulty\(OE\+\)"
	trace_has faulty_init faulty
	[ "$(tainted)" -eq $((128 + 4096 + 8192)) ]
	still_serves
}

@test "divide by zero in init: divide error, EFAULT" {
	modopts faulty mode=5
	load_fails_efault "$TM/faulty.ko"
	nothing_left faulty
	oops_body "divide error: 0000 \[#1\] PREEMPT SMP NOPTI" "$TAINT_OE" \
		"misbehave$FN \[faulty\]" "faulty\(OE\+\)"
	# no page-fault lines for a divide error
	refute log_has "BUG:"
	refute log_has "#PF:"
	[ "$(tainted)" -eq $((128 + 4096 + 8192)) ]
	still_serves
}

@test "a wild pointer in init: page fault at 00000000deadbeef, EFAULT" {
	modopts faulty mode=8
	load_fails_efault "$TM/faulty.ko"
	nothing_left faulty
	klog_in_order \
		"BUG: unable to handle page fault for address: 00000000deadbeef" \
		"#PF: supervisor read access in kernel mode" \
		"#PF: error_code\(0x0000\) - not-present page"
	oops_body "Oops: 0000 \[#1\] PREEMPT SMP NOPTI" "$TAINT_OE" \
		"misbehave$FN \[faulty\]" "faulty\(OE\+\)"
	still_serves
}

@test "a non-canonical pointer (LIST_POISON1): general protection fault, not NULL" {
	modopts faulty mode=9
	load_fails_efault "$TM/faulty.ko"
	nothing_left faulty
	# x86 raises #GP, not #PF, for a non-canonical address: Linux says
	# "general protection fault, probably for non-canonical address
	# 0xdead000000000100" (or just "general protection fault" when it
	# cannot decode the instruction), never "NULL pointer dereference"
	refute log_has "NULL pointer dereference"
	refute log_has "#PF:"
	oops_body "general protection fault(, probably for non-canonical address 0xdead000000000100)?: 0000 \[#1\] PREEMPT SMP NOPTI" \
		"$TAINT_OE" "misbehave$FN \[faulty\]" "faulty\(OE\+\)"
	still_serves
}

@test "a ud2 that is no BUG(): invalid opcode without a kernel BUG line" {
	modopts faulty mode=10
	load_fails_efault "$TM/faulty.ko"
	nothing_left faulty
	oops_body "invalid opcode: 0000 \[#1\] PREEMPT SMP NOPTI" "$TAINT_OE" \
		"misbehave$FN \[faulty\]" "faulty\(OE\+\)"
	refute log_has "kernel BUG at"
	refute log_has "WARNING:"
	still_serves
}

@test "a stack overflow in init: page fault on the guard page, a call trace, EFAULT" {
	modopts faulty mode=11
	load_fails_efault "$TM/faulty.ko"
	nothing_left faulty
	klog_in_order \
		"BUG: unable to handle page fault for address: $H16" \
		"#PF: supervisor write access in kernel mode" \
		"#PF: error_code\(0x0002\) - not-present page"
	oops_body "Oops: 0002 \[#1\] PREEMPT SMP NOPTI" "$TAINT_OE" \
		"faulty_recurse$FN \[faulty\]" "faulty\(OE\+\)"
	# the trace shows the recursion (the stack pointer is at the guard
	# page: the scan must start where the stack is readable)
	trace_has faulty_recurse faulty
	still_serves
	# the load threads are fine afterwards
	modopts faulty mode=0
	kload "$TM/faulty.ko"
	[ "$(kattr faulty initstate)" = live ]
}

@test "SIGBUS (a misaligned access with EFLAGS.AC) in init is contained" {
	modopts faulty mode=12
	load_fails_efault "$TM/faulty.ko"
	nothing_left faulty
	kill -0 "$KPID"
	oops_body "[a-z][a-z ,]*: [0-9a-f]{4} \[#1\] PREEMPT SMP NOPTI" "$TAINT_OE" \
		"faulty_misaligned_with_ac$FN \[faulty\]" "faulty\(OE\+\)"
	[ "$(tainted)" -eq $((128 + 4096 + 8192)) ]
	# the alignment check does not stay on for the daemon's own code
	still_serves
	cat "$MNT/proc/kallsyms" "$MNT/dmesg" >/dev/null
	kill -0 "$KPID"
}

# ---- module functions that break the calling convention ----
# (tests/modules/abibreak.c: written in assembly)

ABI_LINE='kmodfs: init_module\+0x0/0x[0-9a-f]+ \[abibreak\] returned without keeping the x86-64 calling convention:'

@test "an init that returns with callee-saved registers changed: reported, EFAULT, the daemon is intact" {
	modopts abibreak mode=1
	load_fails_efault "$TM/abibreak.ko"
	nothing_left abibreak
	klog_in_order "$ABI_LINE callee-saved registers changed: rbx rbp r12 r13 r14 r15\$"
	oops_body "Oops: 0000 \[#1\] PREEMPT SMP NOPTI" "$TAINT_OE" \
		"init_module$FN \[abibreak\]" "abibreak\(OE\+\)"
	# the module's register values are in the report
	log_has "RBX: 006b616269627265"
	still_serves
	modopts abibreak mode=0
	kload "$TM/abibreak.ko"
	[ "$(kattr abibreak initstate)" = live ]
}

@test "an init that returns with ret \$0x48: the stack pointer is restored, EFAULT" {
	modopts abibreak mode=2
	load_fails_efault "$TM/abibreak.ko"
	nothing_left abibreak
	klog_in_order "$ABI_LINE the stack pointer moved by 72 bytes\$" \
		"Oops: 0000 \[#1\] PREEMPT SMP NOPTI"
	still_serves
	kill -0 "$KPID"
}

@test "a parameter setter and an exit that break the convention: EFAULT, the module stays usable" {
	kload "$TM/abibreak.ko"
	local p=$MNT/sys/module/abibreak/parameters/crash
	for how in 1 2 1; do
		run bash -c 'echo "$1" >"$2"' _ "$how" "$p"
		[ "$status" -eq 1 ]
		[[ "$output" == *"write error: Bad address"* ]]
	done
	klog_in_order "kmodfs: abibreak_set\+0x0/0x[0-9a-f]+ \[abibreak\] returned without keeping the x86-64 calling convention: callee-saved.*" \
		"kmodfs: abibreak_set\+0x0/0x[0-9a-f]+ \[abibreak\] returned without keeping the x86-64 calling convention: the stack pointer moved by 72 bytes\$"
	echo 0 >"$p"
	[ "$(kattr abibreak initstate)" = live ]
	echo 1 >"$MNT/sys/module/abibreak/parameters/exit_mode"
	run rmdir "$MNT/sys/module/abibreak"
	[ "$status" -eq 1 ]
	same "rmdir: failed to remove '$MNT/sys/module/abibreak': Bad address" "$output"
	klog_in_order "kmodfs: cleanup_module\+0x0/0x[0-9a-f]+ \[abibreak\] returned without keeping.*"
	nothing_left abibreak
	still_serves
}

@test "a module that returns with EFLAGS.DF and AC set: the daemon's own code is unaffected" {
	modopts abibreak mode=3
	kload "$TM/abibreak.ko"
	echo 3 >"$MNT/sys/module/abibreak/parameters/crash"
	# memcpy and friends run backwards with DF set, and misaligned
	# accesses fault with AC set: the daemon copies plenty to serve these
	for i in 1 2 3; do
		cat "$MNT/proc/kallsyms" "$MNT/proc/modules" "$MNT/dmesg" >/dev/null
	done
	refute log_has "calling convention"
	[ "$(tainted)" -eq $((4096 + 8192)) ]
	echo 3 >"$MNT/sys/module/abibreak/parameters/exit_mode"
	rmdir "$MNT/sys/module/abibreak"
	nothing_left abibreak
	still_serves
	kill -0 "$KPID"
}

@test "an init or a setter returning no errno (-5000, -600): EINVAL, logged, nobody hangs" {
	local v mode
	for mode in 13 14; do
		v=$([ $mode = 13 ] && echo -5000 || echo -600)
		modopts faulty mode=$mode
		run timeout 10 cp "$TM/faulty.ko" "$MNT/load/"
		[ "$status" -eq 1 ]
		same "cp: failed to close '$MNT/load/faulty.ko': Invalid argument" "$output"
		log_has "kmodfs: load/faulty.ko: init returned $v, which is no errno: the writer gets EINVAL"
		nothing_left faulty
	done
	modopts faulty mode=0
	kload "$TM/faulty.ko"
	for mode in 13 14; do
		v=$([ $mode = 13 ] && echo -5000 || echo -600)
		run timeout 10 bash -c 'echo "$1" >"$2"' _ $mode "$MNT/sys/module/faulty/parameters/crash"
		[ "$status" -eq 1 ]
		[[ "$output" == *"write error: Invalid argument"* ]]
		log_has "kmodfs: sys/module/faulty/parameters/crash: the handler returned $v, which is no errno: EINVAL"
	done
	[ "$(kattr faulty initstate)" = live ]
	still_serves
}

# ---- faults in parameter handlers, exit and at unmount ----

@test "write to read-only data from a parameter write: EFAULT, the module lives on" {
	kload "$TM/faulty.ko"
	local addr
	addr=$(awk '$3 == "answer" && $4 == "[faulty]" { print $1 }' "$MNT/proc/kallsyms")
	[[ "$addr" =~ ^[0-9a-f]{16}$ ]]
	run bash -c 'echo 4 >"$1"' _ "$MNT/sys/module/faulty/parameters/crash"
	[ "$status" -eq 1 ]
	[[ "$output" == *"write error: Bad address"* ]]
	klog_in_order \
		"BUG: unable to handle page fault for address: $addr" \
		"#PF: supervisor write access in kernel mode" \
		"#PF: error_code\(0x0003\) - permissions violation"
	oops_body "Oops: 0003 \[#1\] PREEMPT SMP NOPTI" "$TAINT_OE" \
		"misbehave$FN \[faulty\]" "faulty\(OE\)"
	trace_has set_crash faulty
	# the module is untouched: live, no reference held, parameters work
	[ "$(kattr faulty initstate)" = live ]
	[ "$(kattr faulty refcnt)" = 0 ]
	modline faulty | grep -qE '^faulty [0-9]+ 0 - Live 0x[0-9a-f]{16} \(OE\)$'
	timeout 10 bash -c 'echo 0 >"$1"' _ "$MNT/sys/module/faulty/parameters/crash"
	[ "$(cat "$MNT/sys/module/faulty/parameters/mode")" = 0 ]
	# and it unloads (its parameter lock and sysfs reference were released)
	timeout 10 rmdir "$MNT/sys/module/faulty"
	log_has "faulty: exit"
	nothing_left faulty
}

@test "a NULL dereference in a parameter set: EFAULT; the next writes work" {
	kload "$TM/faulty.ko"
	local crash=$MNT/sys/module/faulty/parameters/crash
	run bash -c 'echo 3 >"$1"' _ "$crash"
	[ "$status" -eq 1 ]
	[[ "$output" == *"write error: Bad address"* ]]
	oops_body "Oops: 0000 \[#1\] PREEMPT SMP NOPTI" "$TAINT_OE" \
		"misbehave$FN \[faulty\]" "faulty\(OE\)"
	# again: Oops #2; then a harmless write succeeds
	run bash -c 'echo 3 >"$1"' _ "$crash"
	[ "$status" -eq 1 ]
	klog_line "Oops: 0000 \[#2\] PREEMPT SMP NOPTI"
	timeout 10 bash -c 'echo 0 >"$1"' _ "$crash"
	[ "$(log_count "Oops:")" -eq 2 ]
	timeout 10 rmdir "$MNT/sys/module/faulty"
	log_has "faulty: exit"
}

@test "a faulting parameter get: the read fails with EFAULT, later reads work" {
	kload "$TM/faulty.ko"
	local p=$MNT/sys/module/faulty/parameters
	echo 3 >"$p/read_mode"
	run cat "$p/crashget"
	[ "$status" -eq 1 ]
	same "cat: $p/crashget: Bad address" "$output"
	oops_body "Oops: 0000 \[#1\] PREEMPT SMP NOPTI" "$TAINT_OE" \
		"misbehave$FN \[faulty\]" "faulty\(OE\)"
	trace_has get_crash faulty
	echo 0 >"$p/read_mode"
	[ "$(timeout 10 cat "$p/crashget")" = 0 ]
	[ "$(kattr faulty initstate)" = live ]
	timeout 10 rmdir "$MNT/sys/module/faulty"
}

@test "a fault in exit: rmdir says EFAULT, the module is gone and loads again" {
	kload "$TM/faulty.ko"
	echo 3 >"$MNT/sys/module/faulty/parameters/exit_mode"
	run rmdir "$MNT/sys/module/faulty"
	[ "$status" -eq 1 ]
	same "rmdir: failed to remove '$MNT/sys/module/faulty': Bad address" "$output"
	# the Oops ran while it was going: "-"
	oops_body "Oops: 0000 \[#1\] PREEMPT SMP NOPTI" "$TAINT_OE" \
		"misbehave$FN \[faulty\]" "faulty\(OE-\)"
	trace_has faulty_exit faulty
	refute log_has "faulty: exit"
	nothing_left faulty
	kload "$TM/faulty.ko"
	[ "$(kattr faulty initstate)" = live ]
	still_serves
}

@test "BUG() in exit at unmount: the other exits run, the daemon exits 0" {
	modopts faulty exit_mode=2
	kload "$TM/faulty.ko"
	kload "$EX/hello.ko"
	kload "$EX/smallmod.ko"
	fusermount3 -u "$MNT"
	local st=0
	wait "$KPID" || st=$?
	KPID=
	[ "$st" -eq 0 ] || { cat "$LOG" >&2; false; }
	refute is_mounted "$MNT"
	# the -f console has the log
	local line
	line=$(srcline faulty.c "BUG();")
	grep -qE "kernel BUG at $FAULTY_SRC:$line!\$" "$LOG"
	grep -qE "invalid opcode: 0000 \[#1\] PREEMPT SMP NOPTI\$" "$LOG"
	grep -q 'hello: exit$' "$LOG"
	refute grep -q 'faulty: exit$' "$LOG"
}

# ---- warnings: logged, taint W, execution goes on ----

@test "WARN_ON in init: WARNING with faulty.c:LINE, taint W, the load succeeds" {
	local line
	line=$(srcline faulty.c "WARN_ON(1);")
	modopts faulty mode=1
	kload "$TM/faulty.ko"
	[ "$(kattr faulty initstate)" = live ]
	grep -qE "^<4>\[ *[0-9.]+\] WARNING: CPU: [0-9]+ PID: [0-9]+ at $FAULTY_SRC:$line misbehave$FN \[faulty\]\$" "$MNT/dmesg"
	# Linux's __warn(): the WARNING line, the modules, then the task (the
	# taint is added after the report: no W in it yet), registers, trace
	klog_in_order "$CUT" \
		"WARNING: CPU: [0-9]+ PID: [0-9]+ at $FAULTY_SRC:$line misbehave$FN \[faulty\]" \
		"Modules linked in: faulty\(OE\+\)" \
		"CPU: [0-9]+ PID: [0-9]+ Comm: [^ ]+ Tainted: G           OE      6\.1\.0-kmodfs #1" \
		"Hardware name: kmodfs user-space kernel" \
		"RIP: 0010:misbehave$FN \[faulty\]" "${REGS[@]}" \
		"Call Trace:" " <TASK>" " </TASK>" "$END_TRACE" \
		"faulty: init survived mode 1"
	trace_has faulty_init faulty
	# W (512), no D
	[ "$(tainted)" -eq $((512 + 4096 + 8192)) ]
	[ "$(kattr faulty taint)" = OE ]
	refute log_has "Oops"
	refute log_has "BUG:"
	# the next report shows the W
	echo 1 >"$MNT/sys/module/faulty/parameters/crash"
	[ "$(log_count "WARNING: CPU:")" -eq 2 ]
	klog_line "CPU: [0-9]+ PID: [0-9]+ Comm: [^ ]+ Tainted: G        W  OE      6\.1\.0-kmodfs #1"
	rmdir "$MNT/sys/module/faulty"
	log_has "faulty: exit"
}

@test "WARN(1, fmt) prints its message between cut here and WARNING" {
	local line
	line=$(srcline faulty.c 'WARN(1, "faulty: warning with a message')
	modopts faulty mode=7
	kload "$TM/faulty.ko"
	klog_in_order "$CUT" "faulty: warning with a message 7" \
		"WARNING: CPU: [0-9]+ PID: [0-9]+ at $FAULTY_SRC:$line misbehave$FN \[faulty\]" \
		"$END_TRACE" "faulty: init survived mode 7"
	# one cut-here line only (the WARN's ud2 has no cut of its own)
	[ "$(log_count "[ cut here ]")" -eq 1 ]
	[ "$(tainted)" -eq $((512 + 4096 + 8192)) ]
}

@test "WARN_ON_ONCE warns once per site, ever" {
	local first second
	first=$(srcline faulty.c "WARN_ON_ONCE(1);")
	second=$((first + 1))
	modopts faulty mode=6
	kload "$TM/faulty.ko"
	klog_in_order \
		"WARNING: CPU: [0-9]+ PID: [0-9]+ at $FAULTY_SRC:$first misbehave$FN \[faulty\]" \
		"WARNING: CPU: [0-9]+ PID: [0-9]+ at $FAULTY_SRC:$second misbehave$FN \[faulty\]"
	[ "$(log_count "WARNING:")" -eq 2 ]
	# both sites again: silent, and the write succeeds
	echo 6 >"$MNT/sys/module/faulty/parameters/crash"
	echo 6 >"$MNT/sys/module/faulty/parameters/crash"
	[ "$(log_count "WARNING:")" -eq 2 ]
	[ "$(tainted)" -eq $((512 + 4096 + 8192)) ]
}

# ---- faults in deferred work ----

@test "a faulting timer callback and work item: Oopses, the tick and workers go on" {
	local bugline
	bugline=$(srcline faultytimer.c "BUG();")
	modopts faultytimer timer_mode=3 timer_shots=3 work_mode=2
	kload "$TM/faultytimer.ko"
	# the callback re-arms itself before faulting: three shots, three Oopses
	wait_for '[ "$(cat "$MNT/sys/module/faultytimer/parameters/shots")" -eq 3 ]'
	wait_for '[ "$(log_count "BUG: kernel NULL pointer dereference")" -eq 3 ]'
	klog_in_order "faultytimer: timer shot 1" \
		"BUG: kernel NULL pointer dereference, address: 0000000000000000" \
		"#PF: supervisor write access in kernel mode" \
		"#PF: error_code\(0x0002\) - not-present page" \
		"Oops: 0002 \[#[0-9]\] PREEMPT SMP NOPTI" \
		"CPU: [0-9]+ PID: [0-9]+ Comm: [^ ]+ $TAINT_MAYBE_D_OE" \
		"Hardware name: kmodfs user-space kernel" \
		"RIP: 0010:misbehave$FN \[faultytimer\]" "${REGS[@]}" \
		"Call Trace:" " <TASK>" " </TASK>" \
		"Modules linked in: faultytimer\(OE\)" "$END_TRACE" \
		"faultytimer: timer shot 2" "faultytimer: timer shot 3"
	trace_has crash_timer_fn faultytimer
	trace_has crash_work_fn faultytimer
	refute log_has "survived"
	# the work's BUG(), and the work queued after it still ran
	klog_in_order "faultytimer: work 1 runs" "$CUT" \
		"kernel BUG at [^ ]*tests/modules/faultytimer\.c:$bugline!" \
		"invalid opcode: 0000 \[#[0-9]\] PREEMPT SMP NOPTI"
	wait_until log_has "faultytimer: work 2 ran"
	# four Oopses, numbered 1 to 4
	local n
	for n in 1 2 3 4; do
		[ "$(klog | grep -cE "^(Oops: 0002|invalid opcode: 0000) \[#$n\] PREEMPT SMP NOPTI\$")" -eq 1 ]
	done
	[ "$(tainted)" -eq $((128 + 4096 + 8192)) ]
	# other timers still fire: kaidock's first one, a second after its load
	kload "$EX/kaidock.ko"
	local before
	before=$(klog | grep -cE '^[0-9a-f]{8,16}$' || true)
	wait_for '[ "$(klog | grep -cE "^[0-9a-f]{8,16}\$" || true)" -gt "$before" ]'
	[ "$(kattr faultytimer initstate)" = live ]
	rmdir "$MNT/sys/module/faultytimer"
	log_has "faultytimer: exit"
	rmdir "$MNT/sys/module/kaidock"
}

@test "a timer writes to freed .init.data: Oops at that address, the module lives on" {
	modopts initwrite how=0
	kload "$TM/initwrite.ko"
	local data
	data=$(klog | sed -nE 's/^initwrite: data ([0-9a-f]{16}) text [0-9a-f]{16} fn [0-9a-f]{16}$/\1/p')
	[ -n "$data" ]
	# init is over: its sections are gone
	[ "$(kattr initwrite initsize)" = 0 ]
	wait_until log_has "Oops:"
	klog_in_order "initwrite: timer fires \(how=0\)" \
		"BUG: unable to handle page fault for address: $data" \
		"#PF: supervisor write access in kernel mode" \
		"#PF: error_code\(0x0002\) - not-present page"
	oops_body "Oops: 0002 \[#1\] PREEMPT SMP NOPTI" "$TAINT_OE" \
		"initwrite_timer_fn$FN \[initwrite\]" "initwrite\(OE\)"
	refute log_has "initwrite: timer survived"
	[ "$(kattr initwrite initstate)" = live ]
	rmdir "$MNT/sys/module/initwrite"
	log_has "initwrite: exit"
	still_serves
}

@test "a timer calls a freed __init function: instruction fetch fault, RIP is the bare address" {
	modopts initwrite how=1
	kload "$TM/initwrite.ko"
	local fn
	fn=$(klog | sed -nE 's/^initwrite: data [0-9a-f]{16} text [0-9a-f]{16} fn ([0-9a-f]{16})$/\1/p')
	[ -n "$fn" ]
	wait_until log_has "Oops:"
	klog_in_order "initwrite: timer fires \(how=1\)" \
		"BUG: unable to handle page fault for address: $fn" \
		"#PF: supervisor instruction fetch access in kernel mode" \
		"#PF: error_code\(0x0010\) - not-present page"
	# no symbol is there any more: %pS prints the address
	oops_body "Oops: 0010 \[#1\] PREEMPT SMP NOPTI" "$TAINT_OE" \
		"0x$(echo "$fn" | sed 's/^0*//')" "initwrite\(OE\)"
	# the caller is on the stack
	trace_has initwrite_timer_fn initwrite
	[ "$(kattr initwrite initstate)" = live ]
	rmdir "$MNT/sys/module/initwrite"
	log_has "initwrite: exit"
}

@test "printk of a freed .init string faults inside the kernel's printf; printk still works" {
	modopts initwrite how=2
	kload "$TM/initwrite.ko"
	local text
	text=$(klog | sed -nE 's/^initwrite: data [0-9a-f]{16} text ([0-9a-f]{16}) fn [0-9a-f]{16}$/\1/p')
	[ -n "$text" ]
	wait_until log_has "Oops:"
	klog_in_order "initwrite: timer fires \(how=2\)" \
		"BUG: unable to handle page fault for address: $text" \
		"#PF: supervisor read access in kernel mode" \
		"#PF: error_code\(0x0000\) - not-present page" \
		"Oops: 0000 \[#1\] PREEMPT SMP NOPTI" "$END_TRACE"
	refute log_has "this string was freed"
	trace_has initwrite_timer_fn initwrite
	# the log lock was not left held: printk, dmesg and dev/kmsg work
	still_serves
	kmsg_records | grep -q ';hello: exit$'
	rmdir "$MNT/sys/module/initwrite"
	log_has "initwrite: exit"
}

# ---- an init that does not return ----

@test "an init that sleeps forever blocks only its writer" {
	cp "$TM/spin.ko" "$MNT/load/" 2>"$BATS_TEST_TMPDIR/cp.err" &
	local cpid=$!
	wait_until [ -e "$MNT/sys/module/spin/initstate" ]
	wait_until log_has "spin: init spins (busy=0 forever=0)"
	[ "$(kattr spin initstate)" = coming ]
	# Linux's line for a module in init: core + init size, one reference
	modline spin | grep -qE '^spin [0-9]+ 1 - Loading 0x[0-9a-f]{16} \(OE\+\)$'
	# everything else goes on: other loads and unloads, reads, the log
	kload "$EX/hello.ko"
	kload "$EX/smallmod.ko"
	kload "$EX/smalluser.ko"
	[ "$(wc -l <"$MNT/proc/modules")" -eq 4 ]
	rmdir "$MNT/sys/module/smalluser"
	rmdir "$MNT/sys/module/smallmod"
	cat "$MNT/proc/kallsyms" "$MNT/dmesg" >/dev/null
	kmsg_records | grep -q ';hello: init$'
	# it cannot be removed while coming
	run rmdir "$MNT/sys/module/spin"
	[ "$status" -eq 1 ]
	[[ "$output" == *"Device or resource busy"* ]]
	# its writer still waits, in close()
	kill -0 "$cpid"
	# a parameter written while init runs ends it; the load succeeds
	local r1 r2
	r1=$(cat "$MNT/sys/module/spin/parameters/rounds")
	wait_for '[ "$(cat "$MNT/sys/module/spin/parameters/rounds")" -gt "$r1" ]'
	echo 1 >"$MNT/sys/module/spin/parameters/stop"
	local st=0
	wait "$cpid" || st=$?
	[ "$st" -eq 0 ] || { cat "$BATS_TEST_TMPDIR/cp.err" >&2; false; }
	[ "$(kattr spin initstate)" = live ]
	log_has "spin: init stops after"
	modline spin | grep -qE '^spin [0-9]+ 0 - Live 0x[0-9a-f]{16} \(OE\)$'
	rmdir "$MNT/sys/module/spin"
	rmdir "$MNT/sys/module/hello"
}

@test "an init spinning on the CPU: other modules still come and go; stop ends it" {
	modopts spin busy=1
	cp "$TM/spin.ko" "$MNT/load/" 2>"$BATS_TEST_TMPDIR/cp.err" &
	local cpid=$!
	wait_until log_has "spin: init spins (busy=1 forever=0)"
	local i
	for i in 1 2 3; do
		kload "$EX/kaidock.ko"
		kload "$EX/mulfile.ko"
		rmdir "$MNT/sys/module/mulfile"
		rmdir "$MNT/sys/module/kaidock"
	done
	[ "$(kattr spin initstate)" = coming ]
	echo Y >"$MNT/sys/module/spin/parameters/stop"
	wait "$cpid"
	[ "$(kattr spin initstate)" = live ]
}

@test "unmount while an init spins forever: -u is refused, SIGTERM ends the daemon" {
	modopts spin forever=1
	cp "$TM/spin.ko" "$MNT/load/" 2>"$BATS_TEST_TMPDIR/cp.err" &
	local cpid=$!
	wait_until log_has "spin: init spins (busy=0 forever=1)"
	# the writer holds a file open in the mount: a plain unmount is busy
	run fusermount3 -u "$MNT"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Device or resource busy"* ]]
	is_mounted "$MNT"
	[ "$(wc -l <"$MNT/proc/modules")" -eq 1 ]
	kload "$EX/hello.ko"
	# a lazy unmount detaches it, but the writer's close() still waits:
	# the daemon stays until told to go
	fusermount3 -uz "$MNT"
	refute is_mounted "$MNT"
	sleep 0.5
	kill -0 "$KPID"
	kill -0 "$cpid"
	# SIGTERM: the waiting close() ends with EINTR, the other modules
	# are unloaded, the daemon exits 0 although the init never returned
	kill -TERM "$KPID"
	local st=0 _
	for _ in $(seq 400); do
		kill -0 "$KPID" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$KPID" 2>/dev/null; then
		kill -9 "$KPID"
		echo "kmodfs did not exit on SIGTERM while an init spins" >&2
		return 1
	fi
	wait "$KPID" || st=$?
	KPID=
	[ "$st" -eq 0 ] || { cat "$LOG" >&2; false; }
	st=0
	wait "$cpid" || st=$?
	[ "$st" -eq 1 ]
	grep -q "Interrupted system call" "$BATS_TEST_TMPDIR/cp.err"
	grep -q 'hello: exit$' "$LOG"
	# the same directory takes a new mount
	mount_kmodfs_again
	kload "$EX/hello.ko"
	[ "$(kattr hello initstate)" = live ]
}

# mount_kmodfs_again: a new -f mount on this test's $MNT
mount_kmodfs_again() {
	"$KMODFS" -f "$MNT" 2>>"$LOG" &
	KPID=$!
	wait_until mountpoint -q "$MNT"
}

# badfree_load HOW: load badfree.ko with how=HOW; its init goes on
badfree_load() {
	modopts badfree how=$1
	kload "$TM/badfree.ko"
	[ "$(kattr badfree initstate)" = live ]
	log_has "badfree: init goes on (how=$1)"
}

@test "a double kfree: SLUB's Object already free report, not freed, taint B, the daemon lives" {
	badfree_load 1
	# slab_bug() and slab_fix(): kmalloc(100) is from kmalloc-128
	klog_in_order "=============================================================================" \
		"BUG kmalloc-128 \(Tainted: G           OE     \): Object already free" \
		"-----------------------------------------------------------------------------" \
		"CPU: [0-9]+ PID: [0-9]+ Comm: [^ ]+ Tainted: G           OE      6\.1\.0-kmodfs #1" \
		"Call Trace:" " <TASK>" " \? badfree_init\+0x[0-9a-f]+/0x[0-9a-f]+ \[badfree\]" " </TASK>" \
		"FIX kmalloc-128: Object at 0x[0-9a-f]+ not freed" \
		"badfree: init goes on \(how=1\)"
	[ "$(log_count "Object already free")" -eq 1 ]
	# B (32) with O and E
	[ "$(tainted)" -eq $((32 + 4096 + 8192)) ]
	refute log_has "Oops"
	rmdir "$MNT/sys/module/badfree"
	kload "$EX/hello.ko"
	[ "$(kattr hello initstate)" = live ]
}

@test "kfree of a static variable, kmem_cache_free and vfree twice, krealloc of freed memory: reported, ignored" {
	badfree_load 2
	klog_line "kmodfs: kfree\(\) of [0-9a-f]{16}, which no allocator returned \(or already freed\): ignored"
	rmdir "$MNT/sys/module/badfree"
	badfree_load 3
	klog_line "BUG badfree_cache \(Tainted: G    B      OE     \): Object already free"
	klog_line "FIX badfree_cache: Object at 0x[0-9a-f]+ not freed"
	rmdir "$MNT/sys/module/badfree"
	badfree_load 4
	klog_line "Trying to vfree\(\) nonexistent vm area \([0-9a-f]+\)"
	rmdir "$MNT/sys/module/badfree"
	badfree_load 5
	klog_line "BUG kmalloc-2k \(Tainted: G    B      OE     \): Object already free"
	log_has "badfree: krealloc gave NULL"
	rmdir "$MNT/sys/module/badfree"
	# vfree of kmalloc'ed memory is refused (Linux: no such vm area), and
	# the kfree that follows is a good one
	badfree_load 6
	[ "$(log_count "Trying to vfree() nonexistent vm area")" -eq 2 ]
	[ "$(log_count "Object already free")" -eq 2 ]
	rmdir "$MNT/sys/module/badfree"
	[ "$(tainted)" -eq $((32 + 4096 + 8192)) ]
	refute log_has "Oops"
}

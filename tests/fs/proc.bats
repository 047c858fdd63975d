#!/usr/bin/env bats
# proc/: modules (exact lines, order, users), lsmod over the mount,
# kallsyms, and the tainted sysctl (facts sections 5 and 10).

load helpers

# Linux's /proc/modules line (facts section 10)
LINE_RE='^([a-z0-9_]+) ([0-9]+) (-?[0-9]+) (-|([a-z0-9_]+,|\[permanent\],)+) (Live|Loading|Unloading) 0x([0-9a-f]{16})( \([A-Z]+[-+]?\))?$'

# expected_line NAME USERS: the exact line NAME must have once live
expected_line() {
	local base
	base=$(modline "$1" | cut -d' ' -f6)
	echo "$1 $(kattr "$1" coresize) $(kattr "$1" refcnt) $2 Live $base (OE)"
}

@test "proc/modules: exact lines, newest first" {
	[ "$(stat -c '%a' "$MNT/proc/modules")" = 444 ]
	[ -z "$(cat "$MNT/proc/modules")" ]
	kload "$EX/smallmod.ko"
	kload "$EX/hello.ko"
	kload "$EX/smalluser.ko"
	kload "$TM/permanent.ko"
	run cat "$MNT/proc/modules"
	[ "${#lines[@]}" -eq 4 ]
	local l
	for l in "${lines[@]}"; do
		[[ "$l" =~ $LINE_RE ]]
	done
	[ "${lines[0]}" = "$(expected_line permanent '[permanent],')" ]
	[ "${lines[1]}" = "$(expected_line smalluser -)" ]
	[ "${lines[2]}" = "$(expected_line hello -)" ]
	[ "${lines[3]}" = "$(expected_line smallmod smalluser,)" ]
	[[ "${lines[3]}" =~ ^smallmod\ [0-9]+\ 1\ smalluser,\ Live\ 0x ]]
	[[ "${lines[1]}" =~ ^smalluser\ [0-9]+\ 0\ -\ Live\ 0x ]]
	[[ "${lines[0]}" =~ ^permanent\ [0-9]+\ 0\ \[permanent\],\ Live\ 0x ]]
}

@test "proc/modules: the address is the core base, distinct per module" {
	kload "$EX/smallmod.ko"
	kload "$EX/hello.ko"
	local m base
	for m in smallmod hello; do
		base=$(modline "$m" | cut -d' ' -f6)
		[[ "$base" =~ ^0x[0-9a-f]{16}$ ]]
		[ "$base" != 0x0000000000000000 ]
		[ $((base % 4096)) -eq 0 ]
	done
	# smallmod's .text is the first thing in its core
	[ "$(modline smallmod | cut -d' ' -f6)" = "$(secaddr smallmod .text)" ]
	[ "$(modline smallmod | cut -d' ' -f6)" != "$(modline hello | cut -d' ' -f6)" ]
}

@test "proc/modules: the taints come from the license" {
	kload "$TM/proprietary.ko"
	kload "$TM/noinit.ko"
	[[ "$(modline proprietary)" =~ \ Live\ 0x[0-9a-f]{16}\ \(POE\)$ ]]
	[[ "$(modline noinit)" =~ ^noinit\ [0-9]+\ 0\ -\ Live\ 0x[0-9a-f]{16}\ \(OE\)$ ]]
}

@test "proc/modules: an unloaded module's line goes, the users drop" {
	kload "$EX/smallmod.ko"
	kload "$EX/smalluser.ko"
	rmdir "$MNT/sys/module/smalluser"
	run cat "$MNT/proc/modules"
	[ "${#lines[@]}" -eq 1 ]
	[ "${lines[0]}" = "$(expected_line smallmod -)" ]
	[[ "${lines[0]}" =~ ^smallmod\ [0-9]+\ 0\ -\ Live ]]
}

@test "lsmod over the mount prints exactly what Linux's would" {
	kload "$EX/smallmod.ko"
	kload "$EX/hello.ko"
	kload "$EX/smalluser.ko"
	kload "$TM/permanent.ko"
	run unshare -m sh -c 'mount --bind "$1/proc" /proc && mount --bind "$1/sys" /sys && lsmod' _ "$MNT"
	[ "$status" -eq 0 ]
	local expected
	expected=$(printf '%s\n' 'Module                  Size  Used by'
		printf '%-19s %8d  %d\n' permanent "$(kattr permanent coresize)" 0
		printf '%-19s %8d  %d\n' smalluser "$(kattr smalluser coresize)" 0
		printf '%-19s %8d  %d\n' hello "$(kattr hello coresize)" 0
		printf '%-19s %8d  %d %s\n' smallmod "$(kattr smallmod coresize)" 1 smalluser)
	echo "$output"
	[ "$output" = "$expected" ]
	[ "${lines[4]}" = "smallmod               16384  1 smalluser" ] ||
		[[ "${lines[4]}" =~ ^smallmod\ +[0-9]+\ \ 1\ smalluser$ ]]
}

@test "lsmod with nothing loaded prints only its header" {
	run unshare -m sh -c 'mount --bind "$1/proc" /proc && mount --bind "$1/sys" /sys && lsmod' _ "$MNT"
	[ "$status" -eq 0 ]
	[ "$output" = "Module                  Size  Used by" ]
}

@test "proc/kallsyms: kernel exports" {
	[ "$(stat -c '%a' "$MNT/proc/kallsyms")" = 444 ]
	grep -Eq '^[0-9a-f]{16} T _printk$' "$MNT/proc/kallsyms"
	grep -Eq '^[0-9a-f]{16} D jiffies$' "$MNT/proc/kallsyms"
	grep -Eq '^[0-9a-f]{16} T kmalloc_trace$' "$MNT/proc/kallsyms"
	# every line has the format
	! grep -Ev '^[0-9a-f]{16} [a-zA-Z] [^ 	]+(	\[[a-z0-9_]+\])?$' "$MNT/proc/kallsyms" || false
	# no module symbols with nothing loaded
	! grep -q '	\[' "$MNT/proc/kallsyms" || false
}

@test "proc/kallsyms: module symbols, exports upper case" {
	kload "$EX/hello.ko"
	kload "$EX/smallmod.ko"
	kload "$TM/testmod.ko"
	local k=$MNT/proc/kallsyms
	grep -Eq '^[0-9a-f]{16} t hello_init	\[hello\]$' "$k"
	grep -Eq '^[0-9a-f]{16} t hello_exit	\[hello\]$' "$k"
	grep -Eq '^[0-9a-f]{16} d __this_module	\[hello\]$' "$k"
	# exported data is upper case, everything else lower case
	local s
	for s in aa1 aa2 bbb1 bbb2; do
		grep -Eq "^[0-9a-f]{16} D $s	\\[smallmod\\]$" "$k"
	done
	grep -Eq '^[0-9a-f]{16} D testmod_value	\[testmod\]$' "$k"
	grep -Eq '^[0-9a-f]{16} T testmod_gpl_fn	\[testmod\]$' "$k"
	grep -Eq '^[0-9a-f]{16} b init_ret	\[testmod\]$' "$k"
	# init code is gone once live
	! grep -q ' testmod_init	' "$k" || false
	# the address of hello_init is in hello's core
	local a base size
	a=$((0x$(grep ' hello_init	\[hello\]$' "$k" | cut -d' ' -f1)))
	base=$(($(modline hello | cut -d' ' -f6)))
	size=$(kattr hello coresize)
	[ "$a" -ge "$base" ] && [ "$a" -lt $((base + size)) ]
	# and after unloading, hello's symbols are gone
	rmdir "$MNT/sys/module/hello"
	! grep -q '	\[hello\]$' "$k" || false
	grep -q '	\[smallmod\]$' "$k"
}

@test "proc/kallsyms: the module symbols match its ELF file" {
	kload "$EX/smallmod.ko"
	kload "$EX/mulfile.ko"
	python3 "$ELFINFO" checksyms "$EX/smallmod.ko" "$MNT" smallmod
	python3 "$ELFINFO" checksyms "$EX/mulfile.ko" "$MNT" mulfile
	grep -Eq '^[0-9a-f]{16} t mymodule_sub	\[mulfile\]$' "$MNT/proc/kallsyms" ||
		grep -Eq '^[0-9a-f]{16} T mymodule_sub	\[mulfile\]$' "$MNT/proc/kallsyms"
}

@test "proc/sys/kernel/tainted: 0, then 12288 after an out-of-tree unsigned load" {
	local t=$MNT/proc/sys/kernel/tainted
	[ "$(stat -c '%a' "$t")" = 644 ]
	[ "$(cat "$t")" = 0 ]
	kload "$EX/hello.ko"
	[ "$(cat "$t")" = 12288 ]
	kload "$TM/proprietary.ko"
	[ "$(cat "$t")" = 12289 ]
	# unloading does not clear taints
	rmdir "$MNT/sys/module/proprietary"
	[ "$(cat "$t")" = 12289 ]
}

@test "writing tainted adds taints and never clears" {
	local t=$MNT/proc/sys/kernel/tainted
	kload "$EX/hello.ko"
	echo 4 >"$t"
	[ "$(cat "$t")" = 12292 ]
	echo 0 >"$t"
	[ "$(cat "$t")" = 12292 ]
	echo 512 >"$t"
	[ "$(cat "$t")" = 12804 ]
	echo 12288 >"$t"
	[ "$(cat "$t")" = 12804 ]
	run bash -c 'echo abc > "$1"' _ "$t"
	[ "$status" -eq 1 ]
	[[ "$output" == *"write error: Invalid argument" ]]
	[ "$(cat "$t")" = 12804 ]
	# the module's own taint is unchanged
	[ "$(kattr hello taint)" = OE ]
}

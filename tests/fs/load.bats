#!/usr/bin/env bats
# load/: every way of writing a module image into it, and every way a load
# fails (SPEC sections 2 and 4; the errno is what close() returns).

load helpers

# loaded_ok NAME: NAME is live in sys/module and proc/modules, load/ is empty
loaded_ok() {
	[ "$(kattr "$1" initstate)" = live ]
	modline "$1" | grep -q " Live 0x"
	[ -z "$(ls -A "$MNT/load")" ]
}

# not_loaded NAME: no trace of NAME in sys/module or proc/modules
not_loaded() {
	[ ! -e "$MNT/sys/module/$1" ]
	! grep -q "^$1 " "$MNT/proc/modules" || false
}

@test "cp loads the module and the file leaves load/" {
	run cp "$EX/hello.ko" "$MNT/load/"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	loaded_ok hello
	# gone from the listing at once; the name may resolve a little longer
	# (install(1) chmods it by name after close), but not for good
	[ "$(ls -A "$MNT/load")" = "" ]
	wait_until [ ! -e "$MNT/load/hello.ko" ]
	[ "$(log_count "hello: init")" -eq 1 ]
}

@test "cp under another file name loads the module by its own name" {
	cp "$EX/hello.ko" "$MNT/load/whatever.bin"
	loaded_ok hello
	[ ! -e "$MNT/sys/module/whatever" ]
	wait_until [ ! -e "$MNT/load/whatever.bin" ]
}

@test "cat x.ko > load/x.ko (a shell redirection) loads it" {
	run bash -c 'cat "$1" > "$2"' _ "$EX/hello.ko" "$MNT/load/hello.ko"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	loaded_ok hello
	log_has "hello: init"
}

@test "a failing load through a shell redirection reports the error" {
	head -c 3000 "$EX/hello.ko" >"$BATS_TEST_TMPDIR/short.ko"
	run bash -c 'cat "$1" > "$2"' _ "$BATS_TEST_TMPDIR/short.ko" "$MNT/load/short.ko"
	[ "$status" -eq 1 ]
	[[ "$output" == *"Exec format error"* ]]
	not_loaded hello
	[ -z "$(ls -A "$MNT/load")" ]
}

@test "dd bs=1k into load/ loads the module" {
	run dd if="$EX/mulfile.ko" of="$MNT/load/mulfile.ko" bs=1k status=none
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	loaded_ok mulfile
	log_has "my_module: init"
	log_has "mymodule_sub: called"
}

@test "install -m 644 into load/ loads the module" {
	run install -m 644 "$EX/getargs.ko" "$MNT/load/"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	loaded_ok getargs
	log_has "getargs: init"
}

@test "an image written in chunks out of order, holes last, loads" {
	python3 - "$EX/smallmod.ko" "$MNT/load/smallmod.ko" <<'EOF'
import os, sys
data = open(sys.argv[1], 'rb').read()
fd = os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
chunk = 1000
offs = list(range(0, len(data), chunk))
# the last chunk first (a hole up to it), then the others backwards
for off in [offs[-1]] + offs[-2::-1]:
    assert os.pwrite(fd, data[off:off + chunk], off) == len(data[off:off + chunk])
assert os.fstat(fd).st_size == len(data)
os.close(fd)
EOF
	loaded_ok smallmod
	modline smallmod
}

@test "an image rewritten in place before close loads the last content" {
	python3 - "$EX/hello.ko" "$MNT/load/x.ko" <<'EOF'
import os, sys
data = open(sys.argv[1], 'rb').read()
fd = os.open(sys.argv[2], os.O_RDWR | os.O_CREAT, 0o644)
os.write(fd, b'\xff' * len(data) * 2)	# garbage, longer than the module
os.ftruncate(fd, 0)
os.pwrite(fd, data, 0)
assert os.pread(fd, 16, 0) == data[:16]	# reads back what was written
os.close(fd)
EOF
	loaded_ok hello
}

@test "five writers loading five modules at once all succeed" {
	local pids=() m st=0
	for m in "$EX/hello.ko" "$EX/mulfile.ko" "$EX/getargs.ko" \
		"$EX/smallmod.ko" "$TM/testmod.ko"; do
		cp "$m" "$MNT/load/" &
		pids+=($!)
	done
	for m in "${pids[@]}"; do
		wait "$m" || st=$?
	done
	[ "$st" -eq 0 ]
	for m in hello mulfile getargs smallmod testmod; do
		loaded_ok "$m"
	done
	[ "$(wc -l <"$MNT/proc/modules")" -eq 5 ]
	# five different core allocations
	[ "$(awk '{print $6}' "$MNT/proc/modules" | sort -u | wc -l)" -eq 5 ]
}

@test "garbage: cp fails with Exec format error, nothing is loaded" {
	head -c 4096 /dev/urandom >"$BATS_TEST_TMPDIR/garbage.ko"
	run cp "$BATS_TEST_TMPDIR/garbage.ko" "$MNT/load/"
	[ "$status" -eq 1 ]
	[ "$output" = "cp: failed to close '$MNT/load/garbage.ko': Exec format error" ]
	[ -z "$(ls -A "$MNT/load")" ]
	[ -z "$(cat "$MNT/proc/modules")" ]
	[ -z "$(ls "$MNT/sys/module" | grep -vx module)" ]
	log_has "Invalid ELF header magic: != "
}

@test "a text file is not a module (Exec format error)" {
	printf 'hello world\n%.0s' $(seq 100) >"$BATS_TEST_TMPDIR/text.ko"
	run cp "$BATS_TEST_TMPDIR/text.ko" "$MNT/load/"
	[ "$status" -eq 1 ]
	[ "$output" = "cp: failed to close '$MNT/load/text.ko': Exec format error" ]
}

@test "loading a loaded module again: File exists" {
	kload "$EX/hello.ko"
	run cp "$EX/hello.ko" "$MNT/load/"
	[ "$status" -eq 1 ]
	[ "$output" = "cp: failed to close '$MNT/load/hello.ko': File exists" ]
	[ "$(grep -c '^hello ' "$MNT/proc/modules")" -eq 1 ]
	[ "$(log_count "hello: init")" -eq 1 ]
	[ -z "$(ls -A "$MNT/load")" ]
	# the loaded one is untouched
	[ "$(kattr hello initstate)" = live ]
}

@test "smalluser without smallmod: No such file or directory, Unknown symbol logged" {
	run cp "$EX/smalluser.ko" "$MNT/load/"
	[ "$status" -eq 1 ]
	[ "$output" = "cp: failed to close '$MNT/load/smalluser.ko': No such file or directory" ]
	not_loaded smalluser
	log_has "smalluser: Unknown symbol aa1 (err -2)"
	# one line per missing symbol
	for s in aa1 aa2 bbb1 bbb2; do
		[ "$(log_count "smalluser: Unknown symbol $s (err -2)")" -eq 1 ]
	done
	! log_has "smalluser: aa1=" || false
	# with smallmod it loads
	kload "$EX/smallmod.ko"
	kload "$EX/smalluser.ko"
	loaded_ok smalluser
	log_has "smalluser: aa1=1 bbb1=1 aa2=1 bbb2=1"
}

@test "a truncated module: Exec format error" {
	local n
	for n in 64 1000 3000 $(($(stat -c %s "$EX/hello.ko") - 100)); do
		head -c "$n" "$EX/hello.ko" >"$BATS_TEST_TMPDIR/hello.ko"
		run cp "$BATS_TEST_TMPDIR/hello.ko" "$MNT/load/"
		[ "$status" -eq 1 ]
		[ "$output" = "cp: failed to close '$MNT/load/hello.ko': Exec format error" ]
		not_loaded hello
	done
	[ -z "$(ls -A "$MNT/load")" ]
	! log_has "hello: init" || false
	# and the whole file still loads
	kload "$EX/hello.ko"
	loaded_ok hello
}

@test "an empty file in load/ is no module" {
	# (finit_module says EINVAL for an empty file; a loader that waits
	# for data before loading may also just let it go: both are fine)
	run cp /dev/null "$MNT/load/empty.ko"
	[ "$status" -eq 0 ] ||
		[ "$output" = "cp: failed to close '$MNT/load/empty.ko': Invalid argument" ] ||
		[ "$output" = "cp: failed to close '$MNT/load/empty.ko': Exec format error" ]
	wait_until [ -z "$(ls -A "$MNT/load")" ]
	[ -z "$(cat "$MNT/proc/modules")" ]
	# the mount is fine afterwards
	kload "$EX/hello.ko"
	loaded_ok hello
}

@test "dupexport with smallmod loaded: Exec format error, duplicate logged" {
	kload "$EX/smallmod.ko"
	run cp "$TM/dupexport.ko" "$MNT/load/"
	[ "$status" -eq 1 ]
	[ "$output" = "cp: failed to close '$MNT/load/dupexport.ko': Exec format error" ]
	not_loaded dupexport
	log_has "dupexport: exports duplicate symbol aa1 (owned by smallmod)"
	# smallmod still owns aa1
	grep -q " D aa1	\[smallmod\]$" "$MNT/proc/kallsyms"
	# without smallmod, dupexport loads
	rmdir "$MNT/sys/module/smallmod"
	kload "$TM/dupexport.ko"
	loaded_ok dupexport
}

@test "modules_disabled: 1 refuses loads and unloads, cannot go back to 0" {
	local f=$MNT/proc/sys/kernel/modules_disabled
	[ "$(stat -c %a "$f")" = 644 ] && [ -f "$f" ]
	[ "$(cat "$f")" = 0 ]
	kload "$EX/hello.ko"
	echo 1 >"$f"
	[ "$(cat "$f")" = 1 ]
	run cp "$EX/mulfile.ko" "$MNT/load/"
	[ "$status" -eq 1 ]
	[ "$output" = "cp: failed to close '$MNT/load/mulfile.ko': Operation not permitted" ]
	not_loaded mulfile
	[ -z "$(ls -A "$MNT/load")" ]
	run rmdir "$MNT/sys/module/hello"
	[ "$status" -eq 1 ]
	[ "$output" = "rmdir: failed to remove '$MNT/sys/module/hello': Operation not permitted" ]
	[ "$(kattr hello initstate)" = live ]
	! log_has "hello: exit" || false
	run bash -c 'echo 0 > "$1"' _ "$f"
	[ "$status" -eq 1 ]
	[[ "$output" == *"write error: Invalid argument" ]]
	[ "$(cat "$f")" = 1 ]
	# writing 1 again is accepted and changes nothing
	echo 1 >"$f"
	[ "$(cat "$f")" = 1 ]
}

@test "modules_disabled rejects values other than 0 and 1" {
	local f=$MNT/proc/sys/kernel/modules_disabled v
	for v in 2 -1 abc ""; do
		run bash -c 'echo "$2" > "$1"' _ "$f" "$v"
		[ "$status" -eq 1 ]
		[[ "$output" == *"write error: Invalid argument" ]]
	done
	[ "$(cat "$f")" = 0 ]
	kload "$EX/hello.ko"
}

@test "unlink of a half-written file in load/ drops it, nothing loads" {
	run python3 - "$EX/hello.ko" "$MNT/load/hello.ko" <<'EOF'
import os, sys
data = open(sys.argv[1], 'rb').read()
fd = os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT, 0o644)
os.write(fd, data[:len(data) // 2])
d = os.path.dirname(sys.argv[2])
print(os.listdir(d), os.stat(sys.argv[2]).st_size == len(data) // 2)
os.unlink(sys.argv[2])
print(os.listdir(d), os.path.exists(sys.argv[2]))
os.write(fd, data[len(data) // 2:])
os.close(fd)
print("closed")
EOF
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "['hello.ko'] True" ]
	[ "${lines[1]}" = "[] False" ]
	[ "${lines[2]}" = "closed" ]
	not_loaded hello
	! log_has "hello: init" || false
	# rm by another process while the writer still has it open
	python3 - "$EX/mulfile.ko" "$MNT/load/mulfile.ko" "$BATS_TEST_TMPDIR" \
		>"$BATS_TEST_TMPDIR/out" 2>&1 <<'EOF' &
import os, sys, time
img, path, tmp = sys.argv[1:]
fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
os.write(fd, open(img, 'rb').read()[:100])
open(os.path.join(tmp, 'ready'), 'w').close()
for _ in range(200):
    if not os.path.exists(path):
        break
    time.sleep(0.05)
os.write(fd, open(img, 'rb').read()[100:])
os.close(fd)
print("closed")
EOF
	local py=$!
	wait_until [ -e "$BATS_TEST_TMPDIR/ready" ]
	[ "$(ls "$MNT/load")" = mulfile.ko ]
	rm "$MNT/load/mulfile.ko"
	[ -z "$(ls -A "$MNT/load")" ]
	wait "$py"
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = closed ]
	not_loaded mulfile
	! log_has "my_module: init" || false
	run rm "$MNT/load/nonexistent.ko"
	[ "$status" -eq 1 ]
	[[ "$output" == *"No such file or directory" ]]
}

@test "a process the writer forks does not load the image early" {
	# the child's copy of the descriptor is closed at exec and exit
	# (a FUSE flush), but the writer has not finished: no load yet
	run python3 - "$EX/hello.ko" "$MNT/load/hello.ko" <<'EOF'
import os, subprocess, sys
data = open(sys.argv[1], 'rb').read()
fd = os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT, 0o644)
os.write(fd, data[:2000])
subprocess.run(['true'], check=True)
pid = os.fork()
if pid == 0:
    os._exit(0)
os.waitpid(pid, 0)
print(os.listdir(os.path.dirname(sys.argv[2])))
os.write(fd, data[2000:])
os.close(fd)
print("closed")
EOF
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "['hello.ko']" ]
	[ "${lines[1]}" = "closed" ]
	loaded_ok hello
	! log_has "Invalid ELF" || false
}

@test "mkdir anywhere in the mount fails (Operation not permitted)" {
	kload "$EX/hello.ko"
	local d
	for d in x load/x sys/x sys/module/x sys/module/hello/x \
		sys/module/hello/holders/x proc/x dev/x; do
		run mkdir "$MNT/$d"
		[ "$status" -eq 1 ]
		[ "$output" = "mkdir: cannot create directory ‘$MNT/$d’: Operation not permitted" ] ||
			[ "$output" = "mkdir: cannot create directory '$MNT/$d': Operation not permitted" ]
		[ ! -e "$MNT/$d" ]
	done
}

@test "files cannot be created outside load/ (Permission denied)" {
	local f
	for f in x sys/module/x proc/x dev/x; do
		run touch "$MNT/$f"
		[ "$status" -eq 1 ]
		[[ "$output" == *"Permission denied" ]]
		[ ! -e "$MNT/$f" ]
	done
}

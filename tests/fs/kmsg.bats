#!/usr/bin/env bats
# dev/kmsg (Linux's /dev/kmsg record interface) and dmesg (the syslog
# format snapshot that util-linux dmesg -F reads).

load helpers

REC_RE='^([0-9]+),([0-9]+),([0-9]+),[-c];'

@test "dev/kmsg records: format, levels, sequence numbers one apart" {
	[ "$(stat -c '%a' "$MNT/dev/kmsg")" = 644 ]
	kload "$EX/hello.ko"
	run kmsg_records
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -ge 4 ]
	local i=0 l prev_ts=0
	for l in "${lines[@]}"; do
		[[ "$l" =~ $REC_RE ]]
		[ "${BASH_REMATCH[2]}" -eq "$i" ]
		[ "${BASH_REMATCH[3]}" -ge "$prev_ts" ]
		prev_ts=${BASH_REMATCH[3]}
		i=$((i + 1))
	done
	# levels as printk gave them: pr_warn, pr_notice, pr_info
	printf '%s\n' "${lines[@]}" | grep -Eq '^4,[0-9]+,[0-9]+,-;hello: loading out-of-tree module taints kernel\.$'
	printf '%s\n' "${lines[@]}" | grep -Eq '^5,[0-9]+,[0-9]+,-;hello: module verification failed: signature and/or required key missing - tainting kernel$'
	printf '%s\n' "${lines[@]}" | grep -Eq '^6,[0-9]+,[0-9]+,-;hello: init$'
	# the last record is the newest
	[[ "${lines[-1]}" =~ ^6,[0-9]+,[0-9]+,-\;hello:\ init$ ]]
}

@test "dev/kmsg escapes unprintable bytes as \\xNN; continuations merge" {
	kload "$EX/getargs.ko"
	run kmsg_records
	printf '%s\n' "${lines[@]}" | grep -Fq ';getargs: => intparam\x09= 0'
	printf '%s\n' "${lines[@]}" | grep -Fq ';getargs: => array\x09= [ 0 0 0 0 0 0 0 0]'
	# a record is one line: no raw tab anywhere
	! printf '%s\n' "${lines[@]}" | grep -q '	' || false
}

@test "two readers each start at the oldest record, with their own cursor" {
	kload "$EX/hello.ko"
	run python3 - "$MNT/dev/kmsg" <<'EOF'
import os, sys
a = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
b = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
a1, a2, a3 = (os.read(a, 8192) for _ in range(3))
b1 = os.read(b, 8192)
b2 = os.read(b, 8192)
a4 = os.read(a, 8192)
c = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
c1 = os.read(c, 8192)
seq = lambda r: int(r.split(b',')[1])
print(seq(a1), seq(a2), seq(a3), seq(a4), seq(b1), seq(b2), seq(c1))
print(a1 == b1 == c1, a2 == b2)
EOF
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "0 1 2 3 0 1 0" ]
	[ "${lines[1]}" = "True True" ]
}

@test "O_NONBLOCK read at the end: EAGAIN" {
	run python3 - "$MNT/dev/kmsg" <<'EOF'
import errno, os, sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
n = 0
while True:
    try:
        os.read(fd, 8192)
        n += 1
    except OSError as e:
        print(n > 0, errno.errorcode[e.errno])
        break
try:
    os.read(fd, 8192)
except OSError as e:
    print(errno.errorcode[e.errno])
EOF
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "True EAGAIN" ]
	[ "${lines[1]}" = "EAGAIN" ]
}

@test "a blocking reader at the end waits for the next record" {
	local out=$BATS_TEST_TMPDIR/reader.out
	"$PYTHON" - "$MNT/dev/kmsg" "$BATS_TEST_TMPDIR/ready" >"$out" 2>&1 <<'EOF' &
import os, signal, sys
def timeout(*_):
    print("timed out")
    sys.exit(1)
signal.signal(signal.SIGALRM, timeout)
signal.alarm(20)
nb = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
n = 0
try:
    while True:
        os.read(nb, 8192)
        n += 1
except BlockingIOError:
    pass
fd = os.open(sys.argv[1], os.O_RDONLY)
for _ in range(n):
    os.read(fd, 8192)
open(sys.argv[2], 'w').close()
while True:
    rec = os.read(fd, 8192).decode()	# blocks
    print(rec, end='', flush=True)
    if 'hello: init' in rec:
        break
EOF
	local reader=$!
	wait_until [ -e "$BATS_TEST_TMPDIR/ready" ]
	# it is asleep in read(2) (syscall 0)
	wait_until in_syscall "$reader" 0
	[ ! -s "$out" ]
	kload "$EX/hello.ko"
	wait "$reader"
	cat "$out"
	grep -Eq '^4,[0-9]+,[0-9]+,-;hello: loading out-of-tree module taints kernel\.$' "$out"
	grep -Eq '^6,[0-9]+,[0-9]+,-;hello: init$' "$out"
	! grep -q 'Linux version' "$out" || false
}

@test "poll() reports POLLIN when a new record arrives" {
	local out=$BATS_TEST_TMPDIR/poller.out
	"$PYTHON" - "$MNT/dev/kmsg" "$BATS_TEST_TMPDIR/ready" >"$out" 2>&1 <<'EOF' &
import os, select, sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
try:
    while True:
        os.read(fd, 8192)
except BlockingIOError:
    pass
p = select.poll()
p.register(fd, select.POLLIN)
print("at end:", p.poll(0))
open(sys.argv[2], 'w').close()
ev = p.poll(20000)	# blocks in poll(2) until the record comes
print("woken:", [(f == fd, bool(r & select.POLLIN)) for f, r in ev])
print(os.read(fd, 8192).decode(), end='')
EOF
	local poller=$!
	wait_until [ -e "$BATS_TEST_TMPDIR/ready" ]
	wait_until in_syscall "$poller" 7
	echo "<6>poke" >"$MNT/dev/kmsg"
	wait "$poller"
	cat "$out"
	[ "$(sed -n 1p "$out")" = "at end: []" ]
	[ "$(sed -n 2p "$out")" = "woken: [(True, True)]" ]
	[[ "$(sed -n 3p "$out")" =~ ^14,[0-9]+,[0-9]+,-\;poke$ ]]
}

@test "writing <3>text to dev/kmsg adds a user-facility record" {
	echo "<3>hello from user" >"$MNT/dev/kmsg"
	run kmsg_records
	[[ "${lines[-1]}" =~ ^11,[0-9]+,[0-9]+,-\;hello\ from\ user$ ]]
	# without a prefix: facility user, the default level (4)
	echo "plain text" >"$MNT/dev/kmsg"
	run kmsg_records
	[[ "${lines[-1]}" =~ ^12,[0-9]+,[0-9]+,-\;plain\ text$ ]]
	# an explicit facility is kept
	echo '<30>daemon says hi' >"$MNT/dev/kmsg"
	run kmsg_records
	[[ "${lines[-1]}" =~ ^30,[0-9]+,[0-9]+,-\;daemon\ says\ hi$ ]]
	# one record each, numbered on
	[[ "${lines[-3]}" =~ ^11,([0-9]+), ]]
	local s=${BASH_REMATCH[1]}
	[[ "${lines[-1]}" =~ ^30,$((s + 2)), ]]
	grep -q '^<11>\[ *[0-9]*\.[0-9]*\] hello from user$' "$MNT/dmesg"
}

@test "a read buffer too small for the record: EINVAL, the record stays" {
	run python3 - "$MNT/dev/kmsg" <<'EOF'
import errno, os, sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
try:
    os.read(fd, 10)
except OSError as e:
    print(errno.errorcode[e.errno])
print(os.read(fd, 8192).decode(), end='')
EOF
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = EINVAL ]
	[[ "${lines[1]}" =~ ^6,0,[0-9]+,-\;Linux\ version ]]
}

@test "dmesg: cat shows <PRI>[seconds.micros] text lines" {
	kload "$EX/hello.ko"
	[ "$(stat -c '%a' "$MNT/dmesg")" = 444 ]
	run cat "$MNT/dmesg"
	[ "$status" -eq 0 ]
	local l
	for l in "${lines[@]}"; do
		[[ "$l" =~ ^\<[0-9]+\>\[\ *[0-9]+\.[0-9]{6}\]\  ]]
	done
	[[ "${lines[0]}" =~ ^\<6\>\[\ *[0-9]+\.[0-9]{6}\]\ Linux\ version ]]
	printf '%s\n' "${lines[@]}" | grep -Eq '^<6>\[ {4}[0-9]\.[0-9]{6}\] hello: init$' ||
		printf '%s\n' "${lines[@]}" | grep -Eq '^<6>\[ *[0-9]+\.[0-9]{6}\] hello: init$'
	# one line per dev/kmsg record, same text
	[ "${#lines[@]}" -eq "$(kmsg_records | wc -l)" ]
	[ "$(cut -d';' -f2- <(kmsg_records))" = "$(sed 's/^<[0-9]*>\[[ 0-9.]*\] //' "$MNT/dmesg")" ]
	# the snapshot is taken at each open: new records show up
	! grep -q 'hello: exit' "$MNT/dmesg" || false
	rmdir "$MNT/sys/module/hello"
	grep -q '^<6>\[ *[0-9]*\.[0-9]*\] hello: exit$' "$MNT/dmesg"
}

@test "util-linux dmesg -F decodes it, -r shows it raw" {
	kload "$EX/hello.ko"
	run dmesg -F "$MNT/dmesg"
	[ "$status" -eq 0 ]
	printf '%s\n' "${lines[@]}" | grep -Eq '^\[ *[0-9]+\.[0-9]{6}\] hello: init$'
	[ "${#lines[@]}" -eq "$(wc -l <"$MNT/dmesg")" ]
	run dmesg -r -F "$MNT/dmesg"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$MNT/dmesg")" ]
	# levels decoded: only the warnings
	run dmesg -F "$MNT/dmesg" -l warn
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^\[\ *[0-9]+\.[0-9]{6}\]\ hello:\ loading\ out-of-tree\ module\ taints\ kernel\.$ ]]
}

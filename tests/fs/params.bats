#!/usr/bin/env bats
# Module parameters (facts section 9): every standard type's read format
# and write parsing through sys/module/NAME/parameters, arrays, strings,
# the module's own kernel_param_ops, permissions (root and another user),
# load-time values from etc/modprobe.d and --cmdline with parse_args'
# rules, the built-in sig_enforce, and the seed tutorials' getargs and
# kaidock runs.  Most tests use tests/modules/allparams.c.

load helpers

P=	# sys/module/allparams/parameters once loaded

load_allparams() {
	kload "$TM/allparams.ko"
	P=$MNT/sys/module/allparams/parameters
}

# pread FILE: FILE's bytes, newlines shown as \n ("" for an empty read)
pread() {
	local s
	s=$(cat -- "$1" && echo .) || return 1
	s=${s%.}
	printf '%s\n' "${s//$'\n'/\\n}"
}

# preads NAME...: "NAME: content" (as pread shows it) for each parameter
preads() {
	local n
	for n; do
		printf '%s: %s\n' "$n" "$(pread "$P/$n")"
	done
}

# pwrite FILE VALUE...: for each VALUE: open FILE O_WRONLY, one write(2) of
# exactly VALUE's bytes, close; then read FILE afresh.  Prints one line
# per VALUE: "VALUE => RESULT READBACK", RESULT being write's return value
# or its errno name, READBACK what FILE reads then (or the read's errno
# name); newlines in VALUE and READBACK are shown as \n.
pwrite() {
	python3 - "$@" <<'EOF'
import errno, os, sys
path = sys.argv[1]
for v in sys.argv[2:]:
    try:
        fd = os.open(path, os.O_WRONLY)
        try:
            r = str(os.write(fd, os.fsencode(v)))
        finally:
            os.close(fd)
    except OSError as e:
        r = errno.errorcode[e.errno]
    try:
        with open(path, 'rb') as f:
            back = f.read().decode().replace('\n', '\\n')
    except OSError as e:
        back = errno.errorcode[e.errno]
    print(v.replace('\n', '\\n'), '=>', r, back)
EOF
}

# OPENS: a bash script; for each file argument prints
# "NAME r=... w=... rw=...", each "ok" or the error text of that open
OPENS='for f; do
	printf "%s" "${f##*/}"
	for m in r w rw; do
		case $m in
		r) e=$( { exec 3<"$f"; } 2>&1 ) ;;
		w) e=$( { exec 3>>"$f"; } 2>&1 ) ;;
		rw) e=$( { exec 3<>"$f"; } 2>&1 ) ;;
		esac
		[ -n "$e" ] && e=${e##*: } || e=ok
		printf " %s=%s" $m "$e"
	done
	echo
done'

# mark_log: remember where the log ends; new_log: its records since then
mark_log() {
	LOGMARK=$(log_text | wc -l)
}
new_log() {
	log_text | tail -n +$((LOGMARK + 1))
}

# set_conf TEXT [FILE]: etc/modprobe.d/FILE.conf (allparams.conf) holds TEXT
set_conf() {
	printf '%s\n' "$1" >"$MNT/etc/modprobe.d/${2:-allparams}.conf"
}

# rss: the daemon's resident set, in kB
rss() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$KPID/status"
}

ALL_FILES='a_beo a_bint a_bool a_byte a_charp a_hexint a_int a_int_nc a_invbool
a_long a_short a_uint a_ullong a_ulong a_ushort beo_p bigstr bint_p bool_p
byte_p charp_null charp_p danger flag hexint_p int_p invbool_p long_p pct
perm_0200 perm_0400 perm_0444 perm_0600 perm_0644 perm_0664 renamed ro_cb
short_p state string_p uint_p ullong_p ulong_p under_score ushort_p wo_cb'

# ---- the files ----

@test "parameters/ has a file for each perm != 0 parameter, mode = perm, size 4096" {
	load_allparams
	[ "$(stat -c '%a %F' "$P")" = "755 directory" ]
	same "$(echo $ALL_FILES)" "$(echo $(LC_ALL=C ls "$P"))"
	[ ! -e "$P/perm_0" ]
	# the file is named after the parameter, not the variable, and
	# sysfs names are exact (no -/_ equivalence)
	[ ! -e "$P/internal_value" ]
	[ ! -e "$P/under-score" ]
	run stat -c '%n %a %s %F' "$P"/perm_* "$P/state" "$P/int_p"
	same "$P/perm_0200 200 4096 regular file
$P/perm_0400 400 4096 regular file
$P/perm_0444 444 4096 regular file
$P/perm_0600 600 4096 regular file
$P/perm_0644 644 4096 regular file
$P/perm_0664 664 4096 regular file
$P/state 444 4096 regular file
$P/int_p 644 4096 regular file" "$output"
	# every other file is 0644 root:root
	local f
	for f in $ALL_FILES; do
		case $f in perm_*|state) continue ;; esac
		[ "$(stat -c '%a %U:%G' "$P/$f")" = "644 root:root" ]
	done
}

# ---- read formats ----

@test "every standard type reads in Linux's format" {
	load_allparams
	run preads byte_p short_p ushort_p int_p uint_p long_p ulong_p ullong_p \
		hexint_p charp_p charp_null bool_p invbool_p bint_p beo_p string_p \
		bigstr renamed under_score danger perm_0400 perm_0444 perm_0600 \
		perm_0644 perm_0664
	same 'byte_p: 7\n
short_p: -5\n
ushort_p: 65535\n
int_p: -42\n
uint_p: 4000000000\n
long_p: -9000000000\n
ulong_p: 18000000000000000000\n
ullong_p: 1\n
hexint_p: 0x000000\n
charp_p: hello\n
charp_null: (null)\n
bool_p: Y\n
invbool_p: N\n
bint_p: 0\n
beo_p: N\n
string_p: abc\n
bigstr: \n
renamed: 11\n
under_score: 0\n
danger: 0\n
perm_0400: 400\n
perm_0444: 444\n
perm_0600: 600\n
perm_0644: 644\n
perm_0664: 664\n' "$output"
}

@test "arrays read as their elements joined by commas; an empty array reads 0 bytes" {
	load_allparams
	run preads a_byte a_short a_ushort a_int a_int_nc a_uint a_long a_ulong \
		a_ullong a_hexint a_charp a_bool a_invbool a_bint a_beo
	same 'a_byte: 1,2,3\n
a_short: 
a_ushort: 65535,0\n
a_int: 
a_int_nc: 0,0,0\n
a_uint: 
a_long: -1,1\n
a_ulong: 
a_ullong: 0,0\n
a_hexint: 0x000000,0x000000\n
a_charp: x,y\n
a_bool: Y,N\n
a_invbool: Y,N\n
a_bint: 
a_beo: N,N\n' "$output"
	local a
	for a in a_short a_int a_uint a_ulong a_bint; do
		[ "$(wc -c <"$P/$a")" = 0 ]
	done
}

# ---- writes: integers ----

@test "byte: kstrtou8, base 0, one trailing newline, overflow is ERANGE" {
	load_allparams
	run pwrite "$P/byte_p" 255 256 -1 0 0xff 0377 +7 $'9\n' $'9\n\n' ' 1' '1 ' \
		0x 09 1a 0x1G 99999999999999999999x ++1 0X0A
	same '255 => 3 255\n
256 => ERANGE 255\n
-1 => EINVAL 255\n
0 => 1 0\n
0xff => 4 255\n
0377 => 4 255\n
+7 => 2 7\n
9\n => 2 9\n
9\n\n => EINVAL 9\n
 1 => EINVAL 9\n
1  => EINVAL 9\n
0x => EINVAL 9\n
09 => EINVAL 9\n
1a => EINVAL 9\n
0x1G => EINVAL 9\n
99999999999999999999x => ERANGE 9\n
++1 => EINVAL 9\n
0X0A => 4 10\n' "$output"
}

@test "short and ushort: boundaries and signs" {
	load_allparams
	run pwrite "$P/short_p" 32767 32768 -32768 -32769 -0 +-1 -+1 0x7fff -0x8000 -010
	same '32767 => 5 32767\n
32768 => ERANGE 32767\n
-32768 => 6 -32768\n
-32769 => ERANGE -32768\n
-0 => 2 0\n
+-1 => EINVAL 0\n
-+1 => EINVAL 0\n
0x7fff => 6 32767\n
-0x8000 => 7 -32768\n
-010 => 4 -8\n' "$output"
	run pwrite "$P/ushort_p" 0 65536 -1 0xFFFF 65535 $'7\n'
	same '0 => 1 0\n
65536 => ERANGE 0\n
-1 => EINVAL 0\n
0xFFFF => 6 65535\n
65535 => 5 65535\n
7\n => 2 7\n' "$output"
}

@test "int and uint: boundaries, octal and hex" {
	load_allparams
	run pwrite "$P/int_p" 2147483647 2147483648 -2147483648 -2147483649 0x7fffffff \
		0X10 010 08 -x $'\n'
	same '2147483647 => 10 2147483647\n
2147483648 => ERANGE 2147483647\n
-2147483648 => 11 -2147483648\n
-2147483649 => ERANGE -2147483648\n
0x7fffffff => 10 2147483647\n
0X10 => 4 16\n
010 => 3 8\n
08 => EINVAL 8\n
-x => EINVAL 8\n
\n => EINVAL 8\n' "$output"
	run pwrite "$P/uint_p" 4294967295 4294967296 -1 +5 0xffffffff 0x100000000
	same '4294967295 => 10 4294967295\n
4294967296 => ERANGE 4294967295\n
-1 => EINVAL 4294967295\n
+5 => 2 5\n
0xffffffff => 10 4294967295\n
0x100000000 => ERANGE 4294967295\n' "$output"
}

@test "long, ulong and ullong: 64-bit boundaries" {
	load_allparams
	run pwrite "$P/long_p" 9223372036854775807 9223372036854775808 \
		-9223372036854775808 -9223372036854775809 0x7fffffffffffffff -1
	same '9223372036854775807 => 19 9223372036854775807\n
9223372036854775808 => ERANGE 9223372036854775807\n
-9223372036854775808 => 20 -9223372036854775808\n
-9223372036854775809 => ERANGE -9223372036854775808\n
0x7fffffffffffffff => 18 9223372036854775807\n
-1 => 2 -1\n' "$output"
	local f
	for f in ulong_p ullong_p; do
		run pwrite "$P/$f" 18446744073709551615 18446744073709551616 -1 0x10 \
			0xffffffffffffffff 01777777777777777777777
		same '18446744073709551615 => 20 18446744073709551615\n
18446744073709551616 => ERANGE 18446744073709551615\n
-1 => EINVAL 18446744073709551615\n
0x10 => 4 16\n
0xffffffffffffffff => 18 18446744073709551615\n
01777777777777777777777 => 23 18446744073709551615\n' "$output"
	done
}

@test "hexint: reads as the kernel's %#08x (0 is 0x000000), parses like uint" {
	load_allparams
	run pwrite "$P/hexint_p" 255 0x12345678 0 1 0xdeadbeef 0x1000000 16 \
		4294967296 xyz -1
	same '255 => 3 0x0000ff\n
0x12345678 => 10 0x12345678\n
0 => 1 0x000000\n
1 => 1 0x000001\n
0xdeadbeef => 10 0xdeadbeef\n
0x1000000 => 9 0x1000000\n
16 => 2 0x000010\n
4294967296 => ERANGE 0x000010\n
xyz => EINVAL 0x000010\n
-1 => EINVAL 0x000010\n' "$output"
}

# ---- writes: the bool family ----

@test "bool: kstrtobool looks at the first one or two characters" {
	load_allparams
	run pwrite "$P/bool_p" n y f t N T 0 1 F Y off on OF oN offline yes 1000 \
		Yak o ox ' y' 2 $'\n' $'y\n'
	same 'n => 1 N\n
y => 1 Y\n
f => 1 N\n
t => 1 Y\n
N => 1 N\n
T => 1 Y\n
0 => 1 N\n
1 => 1 Y\n
F => 1 N\n
Y => 1 Y\n
off => 3 N\n
on => 2 Y\n
OF => 2 N\n
oN => 2 Y\n
offline => 7 N\n
yes => 3 Y\n
1000 => 4 Y\n
Yak => 3 Y\n
o => EINVAL Y\n
ox => EINVAL Y\n
 y => EINVAL Y\n
2 => EINVAL Y\n
\n => EINVAL Y\n
y\n => 2 Y\n' "$output"
}

@test "invbool stores the negation, bint stores 0 or 1 in an int" {
	load_allparams
	grep -q ' invbool_p=1 ' "$P/state"
	run pwrite "$P/invbool_p" Y N x 1
	same 'Y => 1 Y\n
N => 1 N\n
x => EINVAL N\n
1 => 1 Y\n' "$output"
	# the module's own variable is the opposite of what the file says
	grep -q ' invbool_p=0 ' "$P/state"
	run pwrite "$P/bint_p" Y n 10 2 on $'t\n'
	same 'Y => 1 1\n
n => 1 0\n
10 => 2 1\n
2 => EINVAL 1\n
on => 2 1\n
t\n => 2 1\n' "$output"
}

@test "bool_enable_only: can be switched on, never off (EROFS)" {
	load_allparams
	run pwrite "$P/beo_p" N x Y N 0 off x y
	same 'N => 1 N\n
x => EINVAL N\n
Y => 1 Y\n
N => EROFS Y\n
0 => EROFS Y\n
off => EROFS Y\n
x => EINVAL Y\n
y => 1 Y\n' "$output"
}

# ---- writes: strings ----

@test "charp keeps the written bytes verbatim, newline included; over 1024: ENOSPC" {
	load_allparams
	local k=$(printf 'k%.0s' $(seq 1024))
	run pwrite "$P/charp_p" world $'world\n' 'a b,c' "$k"
	same "world => 5 world\\n
world\\n => 6 world\\n\\n
a b,c => 5 a b,c\\n
$k => 1024 $k\\n" "$output"
	mark_log
	run pwrite "$P/charp_p" "${k}x" "$k"$'\n'
	same "${k}x => ENOSPC $k\\n
$k\\n => ENOSPC $k\\n" "$output"
	same 'charp_p: string parameter too long
charp_p: string parameter too long' "$(new_log)"
	# echo's newline is part of the value; NULL reads (null) until set
	echo hi >"$P/charp_null"
	[ "$(pread "$P/charp_null")" = 'hi\n\n' ]
	# the store gets a NUL-terminated copy: an embedded NUL ends the value
	run python3 -c 'import os, sys; fd = os.open(sys.argv[1], os.O_WRONLY); print(os.write(fd, b"ab\0cd"))' "$P/charp_p"
	[ "$output" = 5 ]
	[ "$(pread "$P/charp_p")" = 'ab\n' ]
	# the module sees what the file shows
	grep -q ' charp_p=ab flag=' "$P/state"
}

@test "module_param_string: at most maxlen - 1 chars, else ENOSPC with Linux's message" {
	load_allparams
	mark_log
	run pwrite "$P/string_p" abcdefg $'abcdefg\n' abcdefgh abc $'abc\n' ''
	same 'abcdefg => 7 abcdefg\n
abcdefg\n => ENOSPC abcdefg\n
abcdefgh => ENOSPC abcdefg\n
abc => 3 abc\n
abc\n => 4 abc\n\n
 => 0 abc\n\n' "$output"
	same "string_p: string doesn't fit in 7 chars.
string_p: string doesn't fit in 7 chars." "$(new_log)"
}

@test "a write of more than 4096 bytes is cut to 4096, a read to 4095" {
	load_allparams
	run python3 - "$P" <<'EOF'
import errno, os, sys
d = sys.argv[1]
def w(name, data):
    fd = os.open(d + '/' + name, os.O_WRONLY)
    try:
        return str(os.write(fd, data))
    except OSError as e:
        return errno.errorcode[e.errno]
    finally:
        os.close(fd)
def r(name):
    with open(d + '/' + name, 'rb') as f:
        return f.read()
print(w('bigstr', b'a' * 5000))
b = r('bigstr')
print(len(b), b == b'a' * 4095)
# only the first 4096 bytes reach the setter: the x is cut off
print(w('int_p', b'0' * 4096 + b'x'), r('int_p'))
print(w('int_p', b'1' + b'0' * 4096), r('int_p'))
print(w('charp_p', b'c' * 5000), r('charp_p'))
EOF
	same "4096
4095 True
4096 b'0\\n'
ERANGE b'0\\n'
ENOSPC b'hello\\n'" "$output"
}

@test "a zero-length write returns 0 and calls no setter" {
	load_allparams
	mark_log
	run pwrite "$P/bool_p" ''
	[ "$output" = ' => 0 Y\n' ]
	run pwrite "$P/pct" ''
	[ "$output" = ' => 0 50%\n' ]
	[ -z "$(new_log)" ]
}

# ---- writes: arrays ----

@test "array with a count: the count is what was parsed, partial updates stay" {
	load_allparams
	mark_log
	run pwrite "$P/a_int" 1,2,3 7 4,5,x 1,2,3,4,5 $'\n' 1,,2 9,8 $'6,5\n' 0x10,-1
	same '1,2,3 => 5 1,2,3\n
7 => 1 7\n
4,5,x => EINVAL 4,5\n
1,2,3,4,5 => EINVAL 1,2,3,4\n
\n => EINVAL 
1,,2 => EINVAL 1\n
9,8 => 3 9,8\n
6,5\n => 4 6,5\n
0x10,-1 => 7 16,-1\n' "$output"
	same 'a_int: can only take 4 arguments' "$(new_log)"
	grep -q ' nr_int=2 ' "$P/state"
}

@test "array without a count: always shows every element, the rest keep their values" {
	load_allparams
	mark_log
	run pwrite "$P/a_byte" 9 4,5 6,x 1,2,3,4 256 7,8,9
	same '9 => 1 9,2,3\n
4,5 => 3 4,5,3\n
6,x => EINVAL 6,5,3\n
1,2,3,4 => EINVAL 1,2,3\n
256 => ERANGE 1,2,3\n
7,8,9 => 5 7,8,9\n' "$output"
	same 'a_byte: can only take 3 arguments' "$(new_log)"
}

@test "arrays of every element type parse and print like their element" {
	load_allparams
	local out=
	out+=$(pwrite "$P/a_short" -32768,32767 32768)$'\n'
	out+=$(pwrite "$P/a_ushort" 1 65536,1)$'\n'
	out+=$(pwrite "$P/a_int_nc" 1,-2 2147483648)$'\n'
	out+=$(pwrite "$P/a_uint" 4294967295,0 -1)$'\n'
	out+=$(pwrite "$P/a_long" -9223372036854775808,9223372036854775807)$'\n'
	out+=$(pwrite "$P/a_ulong" 18446744073709551615 18446744073709551616)$'\n'
	out+=$(pwrite "$P/a_ullong" 1,0x10)$'\n'
	out+=$(pwrite "$P/a_hexint" 255,0xdeadbeef 0)$'\n'
	out+=$(pwrite "$P/a_charp" p,q,r $'s,t\n' a,b,c,d ',')$'\n'
	out+=$(pwrite "$P/a_bool" y,n,on,off 1,2)$'\n'
	out+=$(pwrite "$P/a_invbool" N,Y Y)$'\n'
	out+=$(pwrite "$P/a_bint" y,0 Y,N,Y)$'\n'
	out+=$(pwrite "$P/a_beo" Y,N N Y,Y N,N)
	same '-32768,32767 => 12 -32768,32767\n
32768 => ERANGE 
1 => 1 1,0\n
65536,1 => ERANGE 1,0\n
1,-2 => 4 1,-2,0\n
2147483648 => ERANGE 1,-2,0\n
4294967295,0 => 12 4294967295,0\n
-1 => EINVAL 
-9223372036854775808,9223372036854775807 => 40 -9223372036854775808,9223372036854775807\n
18446744073709551615 => 20 18446744073709551615\n
18446744073709551616 => ERANGE 
1,0x10 => 6 1,16\n
255,0xdeadbeef => 14 0x0000ff,0xdeadbeef\n
0 => 1 0x000000,0xdeadbeef\n
p,q,r => 5 p,q,r\n
s,t\n => 4 s,t\n\n
a,b,c,d => EINVAL a,b,c\n
, => 1 ,\n
y,n,on,off => 10 Y,N,Y,N\n
1,2 => EINVAL Y\n
N,Y => 3 N,Y\n
Y => 1 Y,Y\n
y,0 => 3 1,0\n
Y,N,Y => EINVAL 1,0\n
Y,N => 3 Y,N\n
N => EROFS Y,N\n
Y,Y => 3 Y,Y\n
N,N => EROFS Y,Y\n' "$out"
	# a too long element: the element's own error, under the array's name
	mark_log
	run pwrite "$P/a_charp" "ok,$(printf 'z%.0s' $(seq 1025))"
	[ "${output##* => }" = 'ENOSPC ok\n' ]
	same 'a_charp: string parameter too long' "$(new_log)"
}

# ---- the module's own ops ----

@test "a module's own kernel_param_ops: its set and get run in the module" {
	load_allparams
	mark_log
	run pwrite "$P/pct" 75 101 abc $'100\n' -1
	same '75 => 2 75%\n
101 => ERANGE 75%\n
abc => EINVAL 75%\n
100\n => 4 100%\n
-1 => ERANGE 100%\n' "$output"
	same 'allparams: pct set to 75
allparams: pct=101 refused: not a percentage
allparams: pct set to 100
allparams: pct=-1 refused: not a percentage' "$(new_log)"
}

@test "ops without set: a write is EPERM; ops without get: a read is EPERM" {
	load_allparams
	run pwrite "$P/ro_cb" 9
	[ "$output" = '9 => EPERM 5\n' ]
	run pwrite "$P/wo_cb" 9
	[ "$output" = '9 => 1 EPERM' ]
	run cat "$P/wo_cb"
	[ "$status" -eq 1 ]
	[ "$output" = "cat: $P/wo_cb: Operation not permitted" ]
	# both share the module's variable
	[ "$(cat "$P/ro_cb")" = 9 ]
	grep -q ' cb_value=9 ' "$P/state"
}

@test "a module's own ops at load time: set runs in the module, its error fails the load" {
	# (the first module code this daemon runs: nothing has set up a CPU yet)
	set_conf 'options allparams int_p=x pct=101'
	mark_log
	run cp "$TM/allparams.ko" "$MNT/load/"
	[ "$status" -eq 1 ]
	[ "$output" = "cp: failed to close '$MNT/load/allparams.ko': Numerical result out of range" ]
	same "allparams: loading out-of-tree module taints kernel.
allparams: module verification failed: signature and/or required key missing - tainting kernel
allparams: \`x' invalid for parameter \`int_p'
allparams: pct=101 refused: not a percentage
allparams: \`101' invalid for parameter \`pct'
allparams: pct free, last value 50" "$(new_log)"
	[ ! -e "$MNT/sys/module/allparams" ]
	set_conf 'options allparams pct=101 int_p=x pct=7'
	mark_log
	run cp "$TM/allparams.ko" "$MNT/load/"
	[ "$status" -eq 1 ]
	[ "$output" = "cp: failed to close '$MNT/load/allparams.ko': Invalid argument" ]
	same "allparams: pct=101 refused: not a percentage
allparams: \`101' invalid for parameter \`pct'
allparams: \`x' invalid for parameter \`int_p'
allparams: pct set to 7
allparams: pct free, last value 7" "$(new_log)"
	set_conf 'options allparams pct=7'
	mark_log
	load_allparams
	[ "$(cat "$P/pct")" = 7% ]
	same 'allparams: pct set to 7
allparams: init int_p=-42 perm_0=1 charp_p=hello pct=7 nr_int=0' "$(new_log)"
}

@test "a NOARG custom op gets NULL for a bare name at load" {
	set_conf 'options allparams flag'
	load_allparams
	log_has 'allparams: flag set with (none)'
	[ "$(cat "$P/flag")" = 0 ]
	echo abc >"$P/flag"
	[ "$(cat "$P/flag")" = 4 ]
	log_has 'allparams: flag set with abc'
}

@test "an unsafe parameter taints the kernel (U) when it is set" {
	load_allparams
	[ "$(cat "$MNT/proc/sys/kernel/tainted")" = 12288 ]
	echo 1 >"$P/danger"
	[ "$(cat "$P/danger")" = 1 ]
	log_has 'Setting dangerous option danger - tainting kernel'
	[ "$(cat "$MNT/proc/sys/kernel/tainted")" = 12352 ]
	# a global taint, not the module's
	[ "$(kattr allparams taint)" = OE ]
}

@test "module_param_named: the file has the parameter's name, the module its variable" {
	set_conf 'options allparams renamed=5 internal_value=6'
	load_allparams
	[ "$(cat "$P/renamed")" = 5 ]
	grep -q ' renamed=5 ' "$P/state"
	log_has "allparams: unknown parameter 'internal_value' ignored"
	echo 8 >"$P/renamed"
	grep -q ' renamed=8 ' "$P/state"
}

# ---- permissions ----

@test "root too: opening without the read or write bit is EACCES" {
	load_allparams
	run bash -c "$OPENS" _ "$P"/perm_* "$P/state"
	same 'perm_0200 r=Permission denied w=ok rw=Permission denied
perm_0400 r=ok w=Permission denied rw=Permission denied
perm_0444 r=ok w=Permission denied rw=Permission denied
perm_0600 r=ok w=ok rw=ok
perm_0644 r=ok w=ok rw=ok
perm_0664 r=ok w=ok rw=ok
state r=ok w=Permission denied rw=Permission denied' "$output"
	# write-only works for writing
	echo 7 >"$P/perm_0200"
	run cat "$P/perm_0200"
	[ "$status" -eq 1 ]
	[ "$output" = "cat: $P/perm_0200: Permission denied" ]
	run bash -c 'echo 1 >"$1"' _ "$P/perm_0444"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$P/perm_0444: Permission denied" ]]
	[ "$(cat "$P/perm_0444")" = 444 ]
}

@test "another user (allow_other): the mode decides, group bits included" {
	ensure_test_user
	remount_kmodfs -o allow_other
	chmod 755 "$TMPD"
	load_allparams
	[ "$(as_user ls "$P" | wc -l)" = 46 ]
	run as_user bash -c "$OPENS" _ "$P"/perm_* "$P/state" "$P/int_p"
	same 'perm_0200 r=Permission denied w=Permission denied rw=Permission denied
perm_0400 r=Permission denied w=Permission denied rw=Permission denied
perm_0444 r=ok w=Permission denied rw=Permission denied
perm_0600 r=Permission denied w=Permission denied rw=Permission denied
perm_0644 r=ok w=Permission denied rw=Permission denied
perm_0664 r=ok w=Permission denied rw=Permission denied
state r=ok w=Permission denied rw=Permission denied
int_p r=ok w=Permission denied rw=Permission denied' "$output"
	[ "$(as_user cat "$P/perm_0444")" = 444 ]
	[ "$(as_user cat "$P/int_p")" = -42 ]
	run as_user cat "$P/perm_0600"
	[ "$status" -eq 1 ]
	[ "$output" = "cat: $P/perm_0600: Permission denied" ]
	run as_user bash -c 'echo 1 >"$1"' _ "$P/int_p"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$P/int_p: Permission denied" ]]
	[ "$(cat "$P/int_p")" = -42 ]
	# in group root, 0664 is writable (and nothing else is)
	as_user_group0 bash -c 'echo 9 >"$1"' _ "$P/perm_0664"
	[ "$(cat "$P/perm_0664")" = 9 ]
	run as_user_group0 bash -c "$OPENS" _ "$P/perm_0644" "$P/perm_0600"
	same 'perm_0644 r=ok w=Permission denied rw=Permission denied
perm_0600 r=Permission denied w=Permission denied rw=Permission denied' "$output"
	# the built-in sig_enforce (0644) and etc/modprobe.d are root's
	run as_user bash -c 'echo Y >"$1"' _ "$MNT/sys/module/module/parameters/sig_enforce"
	[ "$status" -eq 1 ]
	[[ "$output" == *"sig_enforce: Permission denied" ]]
	[ "$(cat "$MNT/sys/module/module/parameters/sig_enforce")" = N ]
	run as_user bash -c 'echo "options allparams int_p=1" >"$1"' _ "$MNT/etc/modprobe.d/u.conf"
	[ "$status" -eq 1 ]
	[[ "$output" == *"u.conf: Permission denied" ]]
	[ ! -e "$MNT/etc/modprobe.d/u.conf" ]
}

# ---- unload, memory ----

@test "unload: exit, then the ops' free; the files go; a held fd gets ENODEV" {
	load_allparams
	echo 42 >"$P/pct"
	exec 7>"$P/int_p"
	mark_log
	rmdir "$MNT/sys/module/allparams"
	same 'allparams: exit charp_p=hello
allparams: pct free, last value 42' "$(new_log)" || { exec 7>&-; false; }
	[ ! -e "$MNT/sys/module/allparams" ] || { exec 7>&-; false; }
	# a write through an fd opened before: the node is gone
	run bash -c 'echo 5 >&7'
	exec 7>&-
	local st=$status out=$output
	# a new load starts from the module's defaults
	load_allparams
	[ "$(cat "$P/pct")" = 50% ]
	[ "$(cat "$P/charp_p")" = hello ]
	[ "$(cat "$P/int_p")" = -42 ]
	# kernfs fails it with ENODEV (it cannot get the node's active reference)
	[ "$st" -eq 1 ]
	[[ "$out" == *"write error: No such device" ]]
}

@test "charp writes free the string they replace (the daemon does not grow)" {
	# (ASan's allocator holds on to freed memory: RSS says nothing there)
	if ldd "$KMODFS" | grep -q libasan; then
		skip "RSS is meaningless under ASan"
	fi
	# one malloc arena: memory freed by one FUSE thread is reused by all
	MALLOC_ARENA_MAX=1 remount_kmodfs
	load_allparams
	# warm up (FUSE buffers, threads), then 12 MB of strings
	python3 - "$P" 200 <<'EOF'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    for name, v in (('charp_p', b'x' * 1000 + str(i).encode()),
                    ('a_charp', b','.join([b'y' * 1000] * 3))):
        fd = os.open(d + '/' + name, os.O_WRONLY)
        os.write(fd, v)
        os.close(fd)
EOF
	local before after
	before=$(rss)
	python3 - "$P" 3000 <<'EOF'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    for name, v in (('charp_p', b'x' * 1000 + str(i).encode()),
                    ('a_charp', b','.join([b'y' * 1000] * 3))):
        fd = os.open(d + '/' + name, os.O_WRONLY)
        os.write(fd, v)
        os.close(fd)
EOF
	after=$(rss)
	echo "VmRSS $before kB -> $after kB" >&2
	[ $((after - before)) -lt 3072 ]
	[ "$(head -c 4 "$P/charp_p")" = xxxx ]
}

@test "concurrent writers and readers of charp parameters (the param lock)" {
	load_allparams
	run python3 - "$P" <<'EOF'
import os, re, sys, threading
d = sys.argv[1]
bad = []
def writer(name, ch):
    for i in range(300):
        v = ch * (1 + i % 1000)
        if name == 'a_charp':
            v = ','.join([v] * 3)
        fd = os.open(d + '/' + name, os.O_WRONLY)
        os.write(fd, v.encode())
        os.close(fd)
def reader(name):
    pat = re.compile(r'^(a+|b+)\n$' if name == 'charp_p' else r'^(a+|b+),(a+|b+),(a+|b+)\n$')
    for i in range(300):
        with open(d + '/' + name) as f:
            s = f.read()
        if not pat.match(s):
            bad.append(s[:40])
# (the defaults, hello and x,y, are not what the readers expect)
for n in ('charp_p', 'a_charp'):
    writer(n, 'a')
ts = [threading.Thread(target=writer, args=(n, c)) for n in ('charp_p', 'a_charp') for c in 'ab']
ts += [threading.Thread(target=reader, args=(n,)) for n in ('charp_p', 'a_charp') for _ in range(2)]
for t in ts: t.start()
for t in ts: t.join()
print(len(bad), bad[:3])
EOF
	echo "$output" >&2
	[ "$output" = '0 []' ]
	[ "$(kattr allparams initstate)" = live ]
}

# ---- load time: etc/modprobe.d ----

@test "etc/modprobe.d: create, write, read back, append, list, rename, remove" {
	local d=$MNT/etc/modprobe.d
	[ "$(stat -c '%a %F' "$d")" = "755 directory" ]
	[ -z "$(ls -A "$d")" ]
	echo 'options allparams int_p=1' >"$d/a.conf"
	echo 'options allparams int_p=2' >>"$d/a.conf"
	echo '# nothing' >"$d/b.conf"
	[ "$(ls "$d" | tr '\n' ' ')" = "a.conf b.conf " ]
	same 'options allparams int_p=1
options allparams int_p=2' "$(cat "$d/a.conf")"
	mv "$d/a.conf" "$d/c.conf"
	[ "$(ls "$d" | tr '\n' ' ')" = "b.conf c.conf " ]
	load_allparams
	[ "$(cat "$P/int_p")" = 2 ]
	rm "$d/b.conf" "$d/c.conf"
	[ -z "$(ls -A "$d")" ]
	rmdir "$MNT/sys/module/allparams"
	load_allparams
	[ "$(cat "$P/int_p")" = -42 ]
}

@test "options lines: # comments, \\ continuation, other modules and files ignored" {
	cat >"$MNT/etc/modprobe.d/allparams.conf" <<'EOF'
# options allparams int_p=1
options allparams int_p=2 \
	charp_p=cont \
	renamed=3
options other int_p=4
install allparams /bin/true
alias foo allparams
options allparams
EOF
	echo 'options allparams int_p=5' >"$MNT/etc/modprobe.d/notconf.txt"
	echo 'options allparams int_p=6' >"$MNT/etc/modprobe.d/.conf"
	load_allparams
	run preads int_p charp_p renamed
	same 'int_p: 2\n
charp_p: cont\n
renamed: 3\n' "$output"
	# applied again at every load, as the files say then
	rmdir "$MNT/sys/module/allparams"
	set_conf 'options allparams int_p=7'
	load_allparams
	run preads int_p charp_p renamed
	same 'int_p: 7\n
charp_p: hello\n
renamed: 11\n' "$output"
}

@test "files in name order, then --cmdline: the last value wins" {
	remount_kmodfs --cmdline="allparams.int_p=99 allparams.renamed=7 other.int_p=1"
	set_conf 'options allparams int_p=20 charp_p=b a_int=2' 20-b
	set_conf 'options allparams int_p=10 renamed=10 charp_p=a a_int=1,1 string_p=a' 10-a
	load_allparams
	run preads int_p renamed charp_p a_int string_p
	same 'int_p: 99\n
renamed: 7\n
charp_p: b\n
a_int: 2\n
string_p: a\n' "$output"
}

@test "parse_args: quotes, -/_ equivalence, bare bools, unknown names, --" {
	set_conf 'options allparams charp_p="a b" "charp_null=c d" under-score=5 bool_p=N bool_p bint_p beo_p string_p=x"y z" nosuch=1 a-int=1,2 -- int_p=7 pct=1'
	mark_log
	load_allparams
	run preads charp_p charp_null under_score bool_p bint_p beo_p string_p int_p a_int pct
	same 'charp_p: a b\n
charp_null: c d\n
under_score: 5\n
bool_p: Y\n
bint_p: 1\n
beo_p: Y\n
string_p: x"y z"\n
int_p: -42\n
a_int: 1,2\n
pct: 50%\n' "$output"
	same "allparams: loading out-of-tree module taints kernel.
allparams: module verification failed: signature and/or required key missing - tainting kernel
allparams: unknown parameter 'nosuch' ignored
allparams: parameters 'int_p=7 pct=1' after \`--' ignored
allparams: init int_p=-42 perm_0=1 charp_p=a b pct=50 nr_int=2" "$(new_log)"
	# a final -- leaves nothing after it, and still says so
	rmdir "$MNT/sys/module/allparams"
	set_conf 'options allparams int_p=3 --'
	mark_log
	load_allparams
	[ "$(cat "$P/int_p")" = 3 ]
	same "allparams: parameters '' after \`--' ignored
allparams: init int_p=3 perm_0=1 charp_p=hello pct=50 nr_int=0" "$(new_log)"
}

@test "dyndbg and async_probe are not unknown parameters" {
	set_conf 'options allparams dyndbg=+p async_probe int_p=1 async_probe=0 dyndbg'
	mark_log
	load_allparams
	[ "$(cat "$P/int_p")" = 1 ]
	[ -z "$(new_log | grep -F 'unknown parameter')" ]
}

@test "load-time values: perm-0 parameters, arrays, charp arrays" {
	set_conf 'options allparams perm_0=99 a_int=1,2,3 a_charp=p,q,r a_byte=4 perm_0400=5'
	load_allparams
	grep -q '^perm_0=99 .* nr_int=3 nr_charp=3 ' "$P/state"
	run preads a_int a_charp a_byte perm_0400
	same 'a_int: 1,2,3\n
a_charp: p,q,r\n
a_byte: 4,2,3\n
perm_0400: 5\n' "$output"
	log_has 'allparams: init int_p=-42 perm_0=99 charp_p=hello pct=50 nr_int=3'
}

@test "a bad value fails the load with the last error, in Linux's words" {
	# (a first load logs the taint messages; keep them out of the way)
	load_allparams
	rmdir "$MNT/sys/module/allparams"
	local k
	k=$(printf 'k%.0s' $(seq 1025))

	# try OPTIONS ERRNO-TEXT EXPECTED-LOG
	try() {
		set_conf "options allparams $1"
		mark_log
		run cp "$TM/allparams.ko" "$MNT/load/"
		[ "$status" -eq 1 ]
		same "cp: failed to close '$MNT/load/allparams.ko': $2" "$output"
		same "$3" "$(new_log)"
		[ ! -e "$MNT/sys/module/allparams" ]
		[ -z "$(grep '^allparams ' "$MNT/proc/modules")" ]
	}
	try 'int_p=x' 'Invalid argument' "allparams: \`x' invalid for parameter \`int_p'
allparams: pct free, last value 50"
	# parsing goes on after an error; the last error is the load's
	try 'int_p=x bool_p=Y string_p=abcdefgh' 'No space left on device' "allparams: \`x' invalid for parameter \`int_p'
string_p: string doesn't fit in 7 chars.
allparams: \`abcdefgh' too large for parameter \`string_p'
allparams: pct free, last value 50"
	try 'string_p=abcdefgh int_p=x int_p=1' 'Invalid argument' "string_p: string doesn't fit in 7 chars.
allparams: \`abcdefgh' too large for parameter \`string_p'
allparams: \`x' invalid for parameter \`int_p'
allparams: pct free, last value 50"
	try 'string_p=abcdefgh' 'No space left on device' "string_p: string doesn't fit in 7 chars.
allparams: \`abcdefgh' too large for parameter \`string_p'
allparams: pct free, last value 50"
	try 'int_p=3000000000' 'Numerical result out of range' "allparams: \`3000000000' invalid for parameter \`int_p'
allparams: pct free, last value 50"
	# a bare name needs NOARG ops (bool, bint, bool_enable_only; not invbool)
	try 'int_p invbool_p charp_p bool_p=' 'Invalid argument' "allparams: \`' invalid for parameter \`int_p'
allparams: \`' invalid for parameter \`invbool_p'
allparams: \`' invalid for parameter \`charp_p'
allparams: \`' invalid for parameter \`bool_p'
allparams: pct free, last value 50"
	# param_array cuts the value at each comma: the message shows the first
	try 'a_int=1,2,3,4,5' 'Invalid argument' "a_int: can only take 4 arguments
allparams: \`1' invalid for parameter \`a_int'
allparams: pct free, last value 50"
	try 'a_int=1,x,3' 'Invalid argument' "allparams: \`1' invalid for parameter \`a_int'
allparams: pct free, last value 50"
	# an error before -- is still the load's error
	try 'int_p=x -- int_p=1' 'Invalid argument' "allparams: \`x' invalid for parameter \`int_p'
allparams: pct free, last value 50"
	# charp over 1024 chars (the log record itself is long: check its start)
	set_conf "options allparams charp_p=$k"
	mark_log
	run cp "$TM/allparams.ko" "$MNT/load/"
	[ "$status" -eq 1 ]
	[ "$output" = "cp: failed to close '$MNT/load/allparams.ko': No space left on device" ]
	run new_log
	[ "${lines[0]}" = 'charp_p: string parameter too long' ]
	[[ "${lines[1]}" == "allparams: \`${k:0:900}"* ]]
	[ "${lines[2]}" = 'allparams: pct free, last value 50' ]
	[ "${#lines[@]}" -eq 3 ]
	# init never ran for any of them
	[ "$(log_count 'allparams: init')" -eq 1 ]
}

# ---- load time: --cmdline ----

@test "--cmdline: MODULE.PARAM=VALUE words, quoting, bare names, other modules" {
	remount_kmodfs --cmdline='allparams.charp_p="a b" allparams.bool_p=0 allparams.bint_p "allparams.charp_null=c d" allparams.a_int=1,2 getargs.intparam=9 allparams.under-score=4'
	load_allparams
	run preads charp_p bool_p bint_p charp_null a_int under_score
	same 'charp_p: a b\n
bool_p: N\n
bint_p: 1\n
charp_null: c d\n
a_int: 1,2\n
under_score: 4\n' "$output"
	[ -z "$(log_text | grep -F 'unknown parameter')" ]
	kload "$EX/getargs.ko"
	log_has "getargs: => intparam"$'\t'"= 9"
}

@test "--cmdline with a bad value fails every load of that module only" {
	remount_kmodfs --cmdline='allparams.int_p=abc'
	run cp "$TM/allparams.ko" "$MNT/load/"
	[ "$status" -eq 1 ]
	[ "$output" = "cp: failed to close '$MNT/load/allparams.ko': Invalid argument" ]
	log_has "allparams: \`abc' invalid for parameter \`int_p'"
	# modprobe.d comes first: a good value there does not help
	set_conf 'options allparams int_p=1'
	run cp "$TM/allparams.ko" "$MNT/load/"
	[ "$status" -eq 1 ]
	[ ! -e "$MNT/sys/module/allparams" ]
	kload "$EX/hello.ko"
	[ "$(kattr hello initstate)" = live ]
}

# ---- the built-in sig_enforce ----

@test "sig_enforce with --sig-enforce: Y, cannot be switched off, unsigned loads rejected" {
	remount_kmodfs --sig-enforce
	local p=$MNT/sys/module/module/parameters/sig_enforce
	[ "$(stat -c '%a %s' "$p")" = "644 4096" ]
	[ "$(ls "$MNT/sys/module/module/parameters")" = sig_enforce ]
	run pwrite "$p" N 0 x Y $'y\n' n
	same 'N => EROFS Y\n
0 => EROFS Y\n
x => EINVAL Y\n
Y => 1 Y\n
y\n => 2 Y\n
n => EROFS Y\n' "$output"
	mark_log
	run cp "$TM/allparams.ko" "$MNT/load/"
	[ "$status" -eq 1 ]
	[ "$output" = "cp: failed to close '$MNT/load/allparams.ko': Key was rejected by service" ]
	same 'Loading of unsigned module is rejected' "$(new_log)"
	[ ! -e "$MNT/sys/module/allparams" ]
}

@test "sig_enforce without the option: N, then N -> Y is allowed and rejects unsigned loads" {
	local p=$MNT/sys/module/module/parameters/sig_enforce
	run pwrite "$p" N x Y N
	same 'N => 1 N\n
x => EINVAL N\n
Y => 1 Y\n
N => EROFS Y\n' "$output"
	run cp "$TM/allparams.ko" "$MNT/load/"
	[ "$status" -eq 1 ]
	[ "$output" = "cp: failed to close '$MNT/load/allparams.ko': Key was rejected by service" ]
	log_has 'Loading of unsigned module is rejected'
}

@test "--cmdline=module.sig_enforce=1 sets the built-in parameter, as on Linux's command line" {
	remount_kmodfs --cmdline='module.sig_enforce=1'
	[ "$(cat "$MNT/sys/module/module/parameters/sig_enforce")" = Y ]
	run cp "$TM/allparams.ko" "$MNT/load/"
	[ "$status" -eq 1 ]
	[ "$output" = "cp: failed to close '$MNT/load/allparams.ko': Key was rejected by service" ]
}

# ---- modinfo ----

@test "parm and parmtype: what module_param* writes to .modinfo" {
	run modinfo -F parmtype "$TM/allparams.ko"
	same 'a_beo:array of bool_enable_only
a_bint:array of bint
a_bool:array of bool
a_byte:array of byte
a_charp:array of charp
a_hexint:array of hexint
a_int:array of int
a_int_nc:array of int
a_invbool:array of invbool
a_long:array of long
a_short:array of short
a_uint:array of uint
a_ullong:array of ullong
a_ulong:array of ulong
a_ushort:array of ushort
beo_p:bool_enable_only
bigstr:string
bint_p:bint
bool_p:bool
byte_p:byte
charp_null:charp
charp_p:charp
danger:int
hexint_p:hexint
int_p:int
invbool_p:invbool
long_p:long
perm_0200:int
perm_0400:int
perm_0444:int
perm_0600:int
perm_0644:int
perm_0664:int
perm_0:int
renamed:int
short_p:short
string_p:string
uint_p:uint
ullong_p:ullong
ulong_p:ulong
under_score:int
ushort_p:ushort' "$(printf '%s\n' "$output" | LC_ALL=C sort)"
	# descriptions: module_param_cb adds no parmtype, as in Linux
	local parm
	parm=$(modinfo -F parm "$TM/allparams.ko")
	grep -Fxq 'int_p:an int (int)' <<<"$parm"
	grep -Fxq 'string_p:at most 7 chars (string)' <<<"$parm"
	grep -Fxq 'a_int:up to 4 ints (array of int)' <<<"$parm"
	grep -Fxq "pct:a percentage (module's own ops)" <<<"$parm"
	grep -Fxq 'short_p: (short)' <<<"$parm"
	[ -z "$(modinfo -F parmtype "$TM/allparams.ko" | grep -E '^(pct|flag|state|ro_cb|wo_cb):')" ]
}

@test "parm and parmtype stay out of sys/module, as in Linux's sysfs" {
	load_allparams
	# Linux shows them nowhere under /sys/module, and neither does the mount
	[ -z "$(ls "$MNT/sys/module/allparams" | grep -E '^(parm|parmtype|modinfo)$')" ]
	[ -d "$MNT/sys/module/allparams/parameters" ]
}

# ---- the seed tutorials ----

@test "getargs: the tutorial's three insmod runs, options from etc/modprobe.d" {
	kload "$EX/getargs.ko"
	# every parameter is perm 0: no parameters/ at all
	[ ! -e "$MNT/sys/module/getargs/parameters" ]
	rmdir "$MNT/sys/module/getargs"
	# insmod getargs.ko intparam=123 arg=456 file=`pwd`/getargs.c filepath=`pwd`/getargs.ko
	set_conf 'options getargs intparam=123 arg=456 file=/home/mori/build/hello/getargs.c filepath=/home/mori/build/hello/getargs.ko' getargs
	kload "$EX/getargs.ko"
	rmdir "$MNT/sys/module/getargs"
	# insmod getargs.ko array=12,23,34,45,56
	set_conf 'options getargs array=12,23,34,45,56' getargs
	kload "$EX/getargs.ko"
	rmdir "$MNT/sys/module/getargs"
	same "$(getargs_tutorial_log)" "$(log_text | grep '^getargs: ')"
}

@test "getargs: the same through --cmdline; a 128-char filepath does not fit" {
	remount_kmodfs --cmdline='getargs.intparam=123 getargs.arg=456 getargs.file=/home/mori/build/hello/getargs.c getargs.filepath=/home/mori/build/hello/getargs.ko getargs.array=12,23,34,45,56'
	kload "$EX/getargs.ko"
	local T=$'\t'
	same "getargs: init
getargs: => intparam$T= 123
getargs: => intparam2$T= 456
getargs: => file$T= /home/mori/build/hello/getargs.c
getargs: => file2$T= /home/mori/build/hello/getargs.ko
getargs: => array$T= [ 12 23 34 45 56 0 0 0]" "$(log_text | grep '^getargs: ' | tail -n 6)"
	rmdir "$MNT/sys/module/getargs"
	# file2 holds 127 chars: 128 fail, even though the good --cmdline
	# value comes later (parse_args keeps the last error, not the last value)
	local long=/$(printf 'p%.0s' $(seq 127))
	set_conf "options getargs filepath=$long array=1,2,3,4,5,6,7,8,9" getargs
	mark_log
	run cp "$EX/getargs.ko" "$MNT/load/"
	[ "$status" -eq 1 ]
	[ "$output" = "cp: failed to close '$MNT/load/getargs.ko': Invalid argument" ]
	same "filepath: string doesn't fit in 127 chars.
getargs: \`$long' too large for parameter \`filepath'
array: can only take 8 arguments
getargs: \`1' invalid for parameter \`array'" "$(new_log)"
	set_conf "options getargs filepath=$long" getargs
	run cp "$EX/getargs.ko" "$MNT/load/"
	[ "$status" -eq 1 ]
	[ "$output" = "cp: failed to close '$MNT/load/getargs.ko': No space left on device" ]
	[ ! -e "$MNT/sys/module/getargs" ]
}

# three_err_records: the log has (at least) three KERN_ERR records
three_err_records() {
	[ "$(grep -c '^<3>' "$MNT/dmesg")" -ge 3 ]
}

@test "kaidock loop=3: jiffies printed three times, a second apart, then it stops" {
	# insmod kaidock.ko loop=3
	set_conf 'options kaidock loop=3' kaidock
	kload "$EX/kaidock.ko"
	local p=$MNT/sys/module/kaidock/parameters/loop
	[[ "$(cat "$p")" =~ ^[23]$ ]]
	wait_until three_err_records
	# one more second: no fourth
	sleep 1.3
	run kmsg_records
	local recs load_us
	recs=$(printf '%s\n' "$output" | grep '^3,')
	load_us=$(printf '%s\n' "$output" | grep ';kaidock: loading out-of-tree module taints kernel.$' | cut -d, -f3)
	[ "$(printf '%s\n' "$recs" | wc -l)" -eq 3 ]
	local prev_j= prev_us=$load_us j us
	while IFS=';' read -r hdr j; do
		[[ "$j" =~ ^[0-9a-f]+$ ]]
		us=$(cut -d, -f3 <<<"$hdr")
		# a second (HZ = 250 jiffies) after the load, then after each other;
		# kaidock re-arms at jiffies + HZ, so a callback that runs late on a
		# busy host (tick thread descheduled) pushes the next one back too
		(( us - prev_us >= 900000 && us - prev_us <= 1300000 ))
		if [ -n "$prev_j" ]; then
			(( 16#$j - 16#$prev_j >= 245 && 16#$j - 16#$prev_j <= 300 ))
		fi
		prev_j=$j prev_us=$us
	done <<<"$recs"
	[ "$(cat "$p")" = 0 ]
	[ "$(kattr kaidock initstate)" = live ]
	rmdir "$MNT/sys/module/kaidock"
	[ ! -e "$MNT/sys/module/kaidock" ]
}

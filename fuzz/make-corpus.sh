#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# fuzz/make-corpus.sh BUILD_DIR OUT_DIR [MODULE_DIR...]
#
# Build the fuzzers' seed corpora from real modules, at test time (no
# binary is kept in the repository):
#   - the modules fuzz/meson.build built in BUILD_DIR/fuzz, those in
#     BUILD_DIR/examples, BUILD_DIR/tests/modules, BUILD_DIR/tests/kbuild
#     when BUILD_DIR has them, and the *.ko and *.ko.xz in each
#     MODULE_DIR tree given (the smallest 40 of each directory);
#   - each as it is and without debug info, and signed with the fuzz
#     signing key (BUILD_DIR/fuzz/kmodfs-fuzz-key) by the kernel's
#     sign-file and by openssl cms, in the variants kbuild and users make;
#   - compressed with gzip, xz and zstd in their common variants, signed
#     ones too (signed-then-compressed is how kbuild ships modules).
# OUT_DIR/<target>/ gets one directory per fuzz target:
#   link         whole images, uncompressed (signed ones verify)
#   link-kbuild  kbuild modules (BUILD_DIR/tests/kbuild, Debian's own
#                modules in a MODULE_DIR), for KMODFS_FUZZ_KERNEL runs
#   modinfo      .modinfo contents of every module, and hand-made ones
#   sig-trailer  control byte + PKCS#7 signatures of the base module
#   pkcs7        the same signatures, bare
#   gzip xz zstd compressed modules without their magic bytes
#   params       hand-made: a mode byte, then load-time options, a sysfs
#                write or a command line (see fuzz/fuzz_params.c)
# Needs objcopy, openssl, gzip, xz, zstd and python3; sign-file is used
# when a linux-headers tree has one.
set -euo pipefail
trap 'echo "make-corpus: line $LINENO: $BASH_COMMAND failed" >&2' ERR

[ $# -ge 2 ] || { echo "usage: $0 BUILD_DIR OUT_DIR [MODULE_DIR...]" >&2; exit 2; }
build=$(cd "$1" && pwd)
out=$2
shift 2
fuzzdir=$build/fuzz
[ -x "$fuzzdir/kmodfs-fuzz-key" ] && [ -f "$fuzzdir/hello.ko" ] || {
	echo "make-corpus: $fuzzdir has no kmodfs-fuzz-key or hello.ko (ninja -C $build fuzz)" >&2
	exit 1
}

rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
for t in link link-kbuild modinfo sig-trailer pkcs7 gzip xz zstd params; do
	mkdir -p "$out/$t"
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$fuzzdir/kmodfs-fuzz-key" "$tmp"
key=$tmp/key.pem
cert=$tmp/cert.pem
sign_file=$(ls /usr/src/linux-headers-*/scripts/sign-file 2>/dev/null | head -n1 || true)

# append_sig BODY BLOB OUT: BODY + BLOB + struct module_signature + marker
append_sig() {
	python3 - "$1" "$2" "$3" <<'EOF'
import struct, sys
body = open(sys.argv[1], 'rb').read()
blob = open(sys.argv[2], 'rb').read()
ms = struct.pack('>BBBBB3xI', 0, 0, 2, 0, 0, len(blob))
open(sys.argv[3], 'wb').write(body + blob + ms + b'~Module signature appended~\n')
EOF
}

# prefix BYTE FILE OUT: OUT = one byte (hex) + FILE
prefix() {
	{ printf "\\x$1"; cat "$2"; } >"$3"
}

# cms BODY OUT [openssl cms options]: a detached DER PKCS#7 over BODY
cms() {
	local body=$1 o=$2
	shift 2
	openssl cms -sign -binary -outform DER -in "$body" -signer "$cert" \
		-inkey "$key" -out "$o" "$@" 2>/dev/null
}

# ---- the modules ----
# Modules built for the kmodfs SDK (the fuzz build's vermagic) go to
# link, and are signed and compressed below; others (kbuild, Debian's:
# another vermagic) go to link-kbuild, and stripped to link too.
vermagic=$(tr '\0' '\n' <"$fuzzdir/hello.ko" | sed -n '/^vermagic=/{s///p;q}')
n=0
for d in "$fuzzdir" "$build/examples" "$build/tests/modules" "$build/tests/kbuild" "$@"; do
	[ -d "$d" ] || continue
	find "$d" \( -name '*.ko' -o -name '*.ko.xz' \) -size -200k -printf '%s %p\n' |
		sort -n | sed -n '1,40s/^[0-9]* //p'
done >"$tmp/list"
while read -r m; do
	n=$((n + 1))
	b=$(basename "$m")
	b=${b%.xz}
	b=${b%.ko}
	[ -e "$tmp/$b.ko" ] || [ -e "$tmp/$b.kbuild" ] && b=$b-$n
	case $m in
	*.xz)
		tail -c +7 "$m" >"$out/xz/$b"
		xz -dc "$m" >"$tmp/$b.mod"
		;;
	*) cp "$m" "$tmp/$b.mod" ;;
	esac
	objcopy --dump-section .modinfo="$out/modinfo/$b" "$tmp/$b.mod" "$tmp/junk" 2>/dev/null || true
	# (grep -q would stop early, tr then dies of SIGPIPE: pipefail)
	if tr '\0' '\n' <"$tmp/$b.mod" | grep -xF "vermagic=$vermagic" >/dev/null; then
		mv "$tmp/$b.mod" "$tmp/$b.ko"
		objcopy --strip-debug "$tmp/$b.ko" "$tmp/$b-s.ko"
	else
		mv "$tmp/$b.mod" "$out/link-kbuild/$b"
		objcopy --strip-debug "$out/link-kbuild/$b" "$out/link/$b-s" 2>/dev/null || true
	fi
done <"$tmp/list"
[ $n -gt 0 ] || { echo "make-corpus: no modules found" >&2; exit 1; }

# ---- link: plain, stripped, signed ----
i=0
for f in "$tmp"/*.ko; do
	b=$(basename "$f" .ko)
	cp "$f" "$out/link/$b"
	i=$((i + 1))
	# sign the stripped ones (small), a few of the full ones
	case $b in
	*-s) ;;
	*) [ $((i % 4)) -eq 0 ] || continue ;;
	esac
	if [ -n "$sign_file" ]; then
		cp "$f" "$tmp/signed.ko"
		"$sign_file" sha256 "$key" "$cert" "$tmp/signed.ko" 2>/dev/null &&
			cp "$tmp/signed.ko" "$out/link/$b-signfile"
	fi
	cms "$f" "$tmp/p7" -noattr -md sha512 -nocerts -keyid &&
		append_sig "$f" "$tmp/p7" "$out/link/$b-cms-keyid"
	cms "$f" "$tmp/p7" -noattr -md sha256 &&
		append_sig "$f" "$tmp/p7" "$out/link/$b-cms-certs"
done
# a signature that does not match (signed body, then tampered)
f=$tmp/hello-s.ko
cms "$f" "$tmp/p7" -noattr -md sha256 -nocerts
append_sig "$f" "$tmp/p7" "$tmp/tampered"
python3 -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); d[100] ^= 1; open(sys.argv[1], "wb").write(d)' "$tmp/tampered"
cp "$tmp/tampered" "$out/link/tampered-signed"

# ---- signatures over the base module of sig-trailer and pkcs7 ----
body=$fuzzdir/hello.ko
s=0
sig() {	# NAME [openssl cms options]: one signature, in both corpora
	local name=$1
	shift
	cms "$body" "$tmp/p7" "$@" || return 0
	cp "$tmp/p7" "$out/pkcs7/$name"
	prefix 00 "$tmp/p7" "$out/sig-trailer/$name"
}
for md in sha1 sha224 sha256 sha384 sha512; do
	sig "cms-$md" -noattr -md $md -nocerts
	sig "cms-$md-certs" -noattr -md $md
	sig "cms-$md-keyid" -noattr -md $md -nocerts -keyid
done
sig cms-authattrs -md sha256 -nocerts		# authenticated attributes: refused
sig cms-nodetach -noattr -md sha256 -nodetach	# data inside: refused
# a valid signature, but of something else
printf 'not the module' >"$tmp/other"
cms "$tmp/other" "$tmp/p7" -noattr -md sha256 -nocerts
cp "$tmp/p7" "$out/pkcs7/other-data"
prefix 00 "$tmp/p7" "$out/sig-trailer/other-data"
# an unknown key (not in the fuzzers' keyring): RSA, as kernels use
openssl req -new -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=unknown key" \
	-keyout "$tmp/rsa.key" -out "$tmp/rsa.crt" 2>/dev/null
for opt in "" -nocerts; do
	openssl cms -sign -binary -outform DER -in "$body" -signer "$tmp/rsa.crt" \
		-inkey "$tmp/rsa.key" -noattr -md sha256 $opt -out "$tmp/p7" 2>/dev/null
	cp "$tmp/p7" "$out/pkcs7/rsa-unknown$opt"
	prefix 00 "$tmp/p7" "$out/sig-trailer/rsa-unknown$opt"
done
# certificate chains: the fuzz key (trusted) signs an intermediate CA,
# which signs the signer; the message carries the signer's certificate
# and the intermediate's (and the root's, or not)
ext=$tmp/ext.cnf
printf '[ca]\nbasicConstraints=critical,CA:TRUE\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n[leaf]\nbasicConstraints=CA:FALSE\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n' >"$ext"
chain_ok=true
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	-subj "/CN=kmodfs fuzz intermediate" -keyout "$tmp/ca.key" -out "$tmp/ca.csr" 2>/dev/null &&
openssl x509 -req -in "$tmp/ca.csr" -CA "$cert" -CAkey "$key" -set_serial 2 -days 36500 \
	-extfile "$ext" -extensions ca -out "$tmp/ca.crt" 2>/dev/null &&
openssl req -new -newkey rsa:2048 -nodes -subj "/CN=kmodfs fuzz signer" \
	-keyout "$tmp/leaf.key" -out "$tmp/leaf.csr" 2>/dev/null &&
openssl x509 -req -in "$tmp/leaf.csr" -CA "$tmp/ca.crt" -CAkey "$tmp/ca.key" -set_serial 3 \
	-days 36500 -extfile "$ext" -extensions leaf -out "$tmp/leaf.crt" 2>/dev/null ||
	chain_ok=false
if $chain_ok; then
	cat "$tmp/ca.crt" "$cert" >"$tmp/both.crt"
	for extra in ca both; do
		openssl cms -sign -binary -outform DER -in "$body" -signer "$tmp/leaf.crt" \
			-inkey "$tmp/leaf.key" -certfile "$tmp/$extra.crt" -noattr -md sha256 \
			-out "$tmp/p7" 2>/dev/null || continue
		cp "$tmp/p7" "$out/pkcs7/chain-$extra"
		prefix 00 "$tmp/p7" "$out/sig-trailer/chain-$extra"
	done
	f=$tmp/hello-s.ko
	openssl cms -sign -binary -outform DER -in "$f" -signer "$tmp/leaf.crt" \
		-inkey "$tmp/leaf.key" -certfile "$tmp/ca.crt" -noattr -md sha384 \
		-out "$tmp/p7" 2>/dev/null && append_sig "$f" "$tmp/p7" "$out/link/hello-s-chain"
fi
# whole trailers (raw mode, control byte 2), and sig_enforce (bit 0)
if [ -n "$sign_file" ]; then
	cp "$body" "$tmp/signed.ko"
	"$sign_file" sha256 "$key" "$cert" "$tmp/signed.ko"
	tail -c +$(($(stat -c %s "$body") + 1)) "$tmp/signed.ko" >"$tmp/trailer"
	prefix 02 "$tmp/trailer" "$out/sig-trailer/raw-signfile"
	prefix 03 "$tmp/trailer" "$out/sig-trailer/raw-signfile-enforce"
	prefix 06 "$tmp/trailer" "$out/sig-trailer/raw-signfile-mangled"
fi
prefix 01 "$out/pkcs7/cms-sha256" "$out/sig-trailer/cms-sha256-enforce"
printf '\x02' >"$out/sig-trailer/raw-unsigned"
printf '\x03' >"$out/sig-trailer/raw-unsigned-enforce"

# ---- modinfo: hand-made ones around the kernel's vermagic ----
mi() {	# NAME ENTRY...: entries NUL-separated, as .modinfo holds them
	local name=$1
	shift
	printf '%s\0' "$@" >"$out/modinfo/$name"
}
mi gpl "license=GPL" "vermagic=$vermagic" "name=gpltrick"
mi gpl-trick "license=GPL" "for files in the \"GPL\" directory" "vermagic=$vermagic"
mi gpl-trick-padded "license=GPL" "" "" "hidden" "vermagic=$vermagic"
mi dual "license=Dual MIT/GPL" "vermagic=$vermagic" "intree=Y" "retpoline=Y"
mi proprietary "license=Proprietary" "vermagic=$vermagic"
mi two-licenses "license=Proprietary" "license=GPL" "vermagic=$vermagic"
mi no-license "vermagic=$vermagic" "staging=Y" "livepatch=Y" "test=Y"
mi bad-vermagic "license=GPL" "vermagic=6.1.0-other SMP preempt mod_unload "
mi no-vermagic "license=GPL v2" "import_ns=FOO" "depends=" "srcversion=ABC"
mi two-vermagic "vermagic=$vermagic" "vermagic=x" "license=GPL"
mi empty-values "license=" "vermagic=" "=" "=GPL"
: >"$out/modinfo/empty"

# ---- params: hand-made, the names and table indexes of fuzz_params.c ----
pa() {	# NAME MODE TEXT: the mode byte (hex), then TEXT
	{ printf "\\x$2"; printf '%s' "$3"; } >"$out/params/$1"
}
# mode 04: parse_args(), unknown names accepted (as the loader does);
# 00: no unknown(); 08: unknown names refused
pa args-basic 04 'int_p=123 arg=456'
pa args-array 04 'a_int=12,23,34,45,56 a_short=1,2 a_ulong=3'
pa args-quotes 04 '"a b"="c d" -- x'
pa args-dashes 04 'a-int=1 a_int=2 -- a_int=3'
pa args-bools 04 'bool_p nobool_p invbool_p=n bint_p=on beo_p beo_on=0'
pa args-strings 04 'string_p="x y" tiny_p= bigstr=big charp_p="quoted value" charp_null=x'
pa args-too-long 04 'string_p=12345678 tiny_p=x'
pa args-overflow 04 'byte_p=256 short_p=-32769 ushort_p=65536 int_p=2147483648 uint_p=4294967296 long_p=9223372036854775808 ulong_p=18446744073709551616 ullong_p=0x10000000000000000'
pa args-empty 04 'int_p= charp_p= string_p= a_int= bool_p= a_charp='
pa args-charp-arrays 04 'a_charp=a,b,c a_charp_nc=d,,e charp_p=f'
pa args-hex 04 'hexint_p=0xdeadbeef a_hexint=1,0x2,03 a_hexint_big=0,1,2 a_ullong_big=4,5'
pa args-more 04 'unsafe_p=1 a_bool=y,n,Y,N a_invbool=1,0 a_bint=on,off a_beo=1 a_byte=255,0 a_ushort=0x10 a_uint=4 a_long=-1,1 a_ullong=7'
pa args-unknown 00 'unknown=1 int_p=2'
pa args-refused 08 'nosuch int_p=2 "x=y z"'
# mode 01: a sysfs write; the byte after is the table index
pa write-int 01 $'\x03''123'$'\n'
pa write-hexint 01 $'\x08''0x10'
pa write-ullong 01 $'\x07''18446744073709551615'
pa write-beo-off 01 $'\x0f''N'$'\n'
pa write-string 01 $'\x11''x y'$'\n'
pa write-bigstr 01 $'\x13''a big string'
pa write-int-array 01 $'\x17''1,2,3'$'\n'
pa write-charp-array 01 $'\x21''a,b'$'\n'
pa write-hexint-big 01 $'\x23''1,2,3'
pa write-bool 01 $'\x0b''Y'
# near the limits: a charp's 1024 characters, a string near its 4999,
# arrays whose read nearly fills the page
repeat() { printf "%$1s" '' | tr ' ' "$2"; }	# COUNT CHAR
pa args-charp-1024 04 "charp_p=$(repeat 1024 c)"
pa write-bigstr-long 01 $'\x13'"$(repeat 4000 b)"
pa write-hexint-big-long 01 $'\x23'"$(repeat 440 1 | sed 's/1/1,/g')1"
pa write-charp-array-long 01 $'\x21'"$(repeat 1000 a),$(repeat 1000 b),$(repeat 1000 c),$(repeat 1000 d)"
# mode 02: next_arg() alone
pa split-quotes 02 '"a b"="c d" -- x'
pa split-mixed 02 'a="b c" d=e"f g" "=x h=" i='
pa split-spaces 02 $'  a \t b\n"c'

# ---- compressed ----
for f in "$tmp"/*-s.ko "$tmp"/hello.ko; do
	b=$(basename "$f" .ko)
	gzip -9 -c "$f" | tail -c +3 >"$out/gzip/$b"
	gzip -1 -n -c "$f" | tail -c +3 >"$out/gzip/$b-1n"
	xz -c --check=crc32 "$f" | tail -c +7 >"$out/xz/$b-crc32"
	xz -c --check=crc64 "$f" | tail -c +7 >"$out/xz/$b-crc64"
	zstd -q -19 -c "$f" | tail -c +5 >"$out/zstd/$b"
	zstd -q -1 --no-check -c "$f" | tail -c +5 >"$out/zstd/$b-nocheck"
done
f=$tmp/hello-s.ko
xz -c --check=sha256 "$f" | tail -c +7 >"$out/xz/sha256"
xz -c --check=none "$f" | tail -c +7 >"$out/xz/none"
xz -c --x86 --lzma2=preset=6 "$f" | tail -c +7 >"$out/xz/bcj-x86"
xz -c --delta=dist=4 --lzma2=dict=1MiB "$f" | tail -c +7 >"$out/xz/delta"
xz -c --format=xz -e "$out/link/tampered-signed" | tail -c +7 >"$out/xz/signed"
gzip -c --name "$f" | tail -c +3 >"$out/gzip/named"
{ cat "$f" | gzip -c; printf 'trailing garbage'; } | tail -c +3 >"$out/gzip/trailing"
cat "$f" | zstd -q -c --no-content-size | tail -c +5 >"$out/zstd/stream"
zstd -q -c --long=27 "$f" | tail -c +5 >"$out/zstd/long"
zstd -q -c "$out/link/tampered-signed" | tail -c +5 >"$out/zstd/signed"
gzip -c "$out/link/tampered-signed" | tail -c +3 >"$out/gzip/signed"

for t in "$out"/*/; do
	printf '%s: %s seeds\n' "$(basename "$t")" "$(ls "$t" | wc -l)"
done

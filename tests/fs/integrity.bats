#!/usr/bin/env bats
# Integrity through a real mount (SPEC sections 3-4, facts sections 1, 2,
# 4 and 5): compressed images detected by content, signatures checked
# against --keyring, licence and taint rules, vermagic and modversions
# with the force options.  Every fixture is made here by the real tools:
# openssl (keys and certificates), the kernel's scripts/sign-file, zstd,
# xz, gzip; hostile variants by integrity_craft.py.  Debian's own signed
# lib/crc7.ko comes from scripts/fetch-debian-modules.sh's environment.

load helpers

CRAFT=$BATS_TEST_DIRNAME/integrity_craft.py
MARKER='~Module signature appended~'
UNSIGNED_MSG='module verification failed: signature and/or required key missing - tainting kernel'
# taint bits (facts section 5)
T_P=1 T_F=2 T_C=1024 T_O=4096 T_E=8192 T_N=262144

# ---- fixtures, made once for the file ----

# sign HASH KEY OUT [sign-file options]: hello.ko signed by KEY
sign() {
	"$SIGN_FILE" "${@:4}" "$1" "$2.key" "$2.pem" hello.ko "$3"
}

setup_file() {
	local k kh here=$PWD
	export FX=$BATS_FILE_TMPDIR/fx
	mkdir -p "$FX"
	cd "$FX"
	cp "$EX/hello.ko" hello.ko
	# RSA 2048 keys with self-signed certificates (and a subject key id)
	for k in 'a:/O=kmodfs test/CN=kmodfs signing key A' \
		'b:/CN=kmodfs unknown key B' \
		'd1:/O=kmodfs bundle/CN=kmodfs bundle key 1' \
		'd2:/O=kmodfs bundle/CN=kmodfs bundle key 2' \
		'f1:/O=Acme Widgets/CN=kmodfs dir key 1' \
		'f2:/CN=kmodfs dir key 2' \
		'f4:/CN=kmodfs subdir key 4'; do
		openssl req -new -x509 -nodes -days 36500 -newkey rsa:2048 -subj "${k#*:}" \
			-addext subjectKeyIdentifier=hash -keyout "${k%%:*}.key" \
			-out "${k%%:*}.pem" 2>/dev/null
	done
	openssl x509 -in a.pem -outform DER -out a.der
	# an EC P-256 key
	openssl req -new -x509 -nodes -days 36500 -newkey ec \
		-pkeyopt ec_paramgen_curve:prime256v1 -subj '/CN=kmodfs ECDSA key' \
		-addext subjectKeyIdentifier=hash -keyout ec.key -out ec.pem 2>/dev/null
	# a PEM bundle: two certificates with a private key between them
	cat d1.pem d1.key d2.pem >bundle.pem
	# a directory: PEM, DER, EC, a text file, a subdirectory
	mkdir -p certs.d/sub
	cp f1.pem ec.pem certs.d/
	openssl x509 -in f2.pem -outform DER -out certs.d/f2.der
	echo 'not a certificate' >certs.d/README
	cp f4.pem certs.d/sub/

	kh=${KMODFS_KHEADERS:-$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n1)}
	export SIGN_FILE=
	if [ -n "$kh" ] && [ -x "$kh/scripts/sign-file" ]; then
		SIGN_FILE=$kh/scripts/sign-file
		sign sha256 a s256.ko
		sign sha512 a s512.ko
		sign sha256 a s256k.ko -k	# signer by subject key id
		sign sha256 b sb.ko
		for k in d1 d2 f1 f2 ec f4; do
			sign sha256 "$k" "s$k.ko"
		done
	fi
	cd "$here"
}

need_sign_file() {
	[ -n "$SIGN_FILE" ] ||
		skip "no scripts/sign-file: install linux-headers-amd64 or set KMODFS_KHEADERS"
}

# the Debian environment of scripts/fetch-debian-modules.sh; sets CRC7 and KDIR
need_debian() {
	[ -n "${KMODFS_DEBIAN_ROOT:-}" ] && [ -n "${KMODFS_DEBIAN_RELEASE:-}" ] &&
		[ -n "${KMODFS_DEBIAN_CERT:-}" ] ||
		skip 'Debian modules not fetched: eval "$(bash scripts/fetch-debian-modules.sh)"'
	CRC7=$KMODFS_DEBIAN_ROOT/lib/modules/$KMODFS_DEBIAN_RELEASE/kernel/lib/crc7.ko
	KDIR=/usr/src/linux-headers-$KMODFS_DEBIAN_RELEASE
	[ -f "$CRC7" ] || skip "no $CRC7"
	[ -d "$KDIR" ] || skip "no $KDIR"
}

# each test mounts with its own options
setup() {
	:
}

# ---- helpers ----

craft() {
	python3 "$CRAFT" "$@"
}

# cp_ok FILE NAME: cp FILE to load/NAME succeeds silently, load/ is empty after
cp_ok() {
	run cp "$1" "$MNT/load/$2"
	[ "$status" -eq 0 ] && same "" "$output" && [ -z "$(ls -A "$MNT/load")" ]
}

# cp_fails FILE NAME STRERROR: the close of load/NAME fails with STRERROR,
# and nothing is left in load/
cp_fails() {
	run cp "$1" "$MNT/load/$2"
	[ "$status" -eq 1 ] &&
		same "cp: failed to close '$MNT/load/$2': $3" "$output" &&
		[ -z "$(ls -A "$MNT/load")" ]
}

# loaded NAME TAINTS: NAME is live; its proc/modules line ends with
# " (TAINTS)", or with its address when TAINTS is empty; its taint file
# says TAINTS
loaded() {
	local re="^$1 [0-9]+ 0 - Live 0x[0-9a-f]{16}"
	[ -z "$2" ] || re+=" \\($2\\)"
	re+='$'
	[ "$(kattr "$1" initstate)" = live ] || return 1
	[[ "$(modline "$1")" =~ $re ]] || {
		echo "proc/modules: '$(modline "$1")' does not match $re" >&2
		return 1
	}
	same "$2" "$(kattr "$1" taint)"
}

# nothing_loaded: no module in proc/modules or sys/module, load/ empty
nothing_loaded() {
	same "" "$(cat "$MNT/proc/modules")" &&
		same module "$(ls "$MNT/sys/module")" &&
		[ -z "$(ls -A "$MNT/load")" ]
}

# tainted_is N: proc/sys/kernel/tainted is N
tainted_is() {
	same "$1" "$(tainted)"
}

# ere TEXT: TEXT as an extended regular expression matching itself
ere() {
	printf '%s' "$1" | sed 's/[][\.*^$()+?{}|]/\\&/g'
}

# logline TEXT: a log record is exactly TEXT
logline() {
	klog | grep -qxF -- "$1" && return 0
	echo "no log record is exactly: $1" >&2
	return 1
}

# log_seq TEXT...: records that are exactly each TEXT, in this order
log_seq() {
	local t res=()
	for t in "$@"; do
		res+=("$(ere "$t")")
	done
	klog_in_order "${res[@]}"
}

# log_n N TEXT: exactly N records contain TEXT
log_n() {
	same "$1" "$(log_count "$2")"
}

# hexat FILE OFFSET COUNT: COUNT bytes at OFFSET, as hex digits
hexat() {
	od -An -tx1 -j "$2" -N "$3" "$1" | tr -d ' \n'
}

# xz_filters FILE.xz: the filter chain of its (first) block, as xz -lvv says
xz_filters() {
	xz --robot -lvv "$1" | awk -F'\t' '$1 == "block" { print $NF; exit }'
}

# skid CERT [DER]: the subject key id as the keyring logs it
skid() {
	openssl x509 ${2:+-inform DER} -in "$1" -noout -ext subjectKeyIdentifier |
		tail -n1 | tr -d ' :' | tr A-F a-f
}

# ====================================================================
# Decompression (facts section 2; SPEC 3.1: by content, all formats)
# ====================================================================

@test "zstd, xz (kbuild's crc32/1MiB, crc64, BCJ) and gzip -n images load, by content not by name" {
	local d=$BATS_TEST_TMPDIR f name n=0
	zstd -q -c "$FX/hello.ko" >"$d/hello.ko.zst"
	xz --check=crc32 --lzma2=dict=1MiB -c "$FX/hello.ko" >"$d/hello.ko.xz"
	xz --check=crc64 -c "$FX/hello.ko" >"$d/crc64.ko.xz"
	xz --x86 --lzma2 --check=sha256 -c "$FX/hello.ko" >"$d/bcj.ko.xz"
	gzip -n -c "$FX/hello.ko" >"$d/hello.ko.gz"
	# the fixtures are what they claim: magic bytes, xz check type, gzip -n
	[ "$(hexat "$d/hello.ko.zst" 0 4)" = 28b52ffd ]
	[ "$(hexat "$d/hello.ko.xz" 0 8)" = fd377a585a000001 ]	# CRC32
	[ "$(hexat "$d/crc64.ko.xz" 0 8)" = fd377a585a000004 ]	# CRC64
	[ "$(hexat "$d/bcj.ko.xz" 0 8)" = fd377a585a00000a ]	# SHA-256
	[ "$(hexat "$d/hello.ko.gz" 0 8)" = 1f8b080000000000 ]	# no name, no mtime
	[ "$(xz_filters "$d/hello.ko.xz")" = "--lzma2=dict=1MiB" ]
	[ "$(xz_filters "$d/bcj.ko.xz")" = "--x86 --lzma2=dict=8MiB" ]
	mount_kmodfs
	for f in hello.ko.zst hello.ko.xz crc64.ko.xz bcj.ko.xz hello.ko.gz; do
		# under its own name, then under a plain module name
		for name in "$f" hello.ko; do
			cp_ok "$d/$f" "$name"
			loaded hello OE
			[[ "$(modline hello)" == "hello 16384 0 - Live 0x"* ]]
			n=$((n + 1))
			log_n "$n" "hello: init"
			rmdir "$MNT/sys/module/hello"
		done
	done
	[ "$n" -eq 10 ]
	refute log_has "decompression failed"
}

@test "a compressed stream corrupted inside: Invalid argument, the decoder's reason logged" {
	local d=$BATS_TEST_TMPDIR f
	zstd -q -c "$FX/hello.ko" >"$d/h.zst"
	xz --check=crc32 --lzma2=dict=1MiB -c "$FX/hello.ko" >"$d/h.xz"
	xz --check=crc64 -c "$FX/hello.ko" >"$d/h64.xz"
	gzip -n -c "$FX/hello.ko" >"$d/h.gz"
	for f in h.zst h.xz h64.xz h.gz; do
		craft flipmid "$d/$f" "$d/mid-$f"
	done
	# the integrity checks themselves: deterministic reasons
	craft flip "$d/h.gz" "$d/crc-h.gz" -8		# gzip trailer CRC32
	craft flip "$d/h.zst" "$d/crc-h.zst" -1		# zstd XXH64 checksum
	craft flip "$d/h.xz" "$d/crc-h.xz" 8		# xz stream header CRC32
	mount_kmodfs
	cp_fails "$d/mid-h.gz" hello.ko.gz "Invalid argument"
	klog_line 'module: decompression failed with status -[0-9]+ \(zlib: [a-z/ ]+\)'
	cp_fails "$d/mid-h.xz" hello.ko.xz "Invalid argument"
	cp_fails "$d/mid-h64.xz" hello.ko "Invalid argument"
	[ "$(klog | grep -cxE 'module: decompression failed with status 9 \(xz: compressed data is corrupt\)')" -eq 2 ]
	cp_fails "$d/mid-h.zst" hello.ko.zst "Invalid argument"
	klog_line "module: decompression failed with status -[0-9]+ \\(zstd: [A-Za-z' ]+\\)"
	cp_fails "$d/crc-h.gz" hello.ko "Invalid argument"
	logline "module: decompression failed with status -3 (zlib: incorrect data check)"
	cp_fails "$d/crc-h.zst" hello.ko "Invalid argument"
	logline "module: decompression failed with status -22 (zstd: Restored data doesn't match checksum)"
	cp_fails "$d/crc-h.xz" hello.ko "Invalid argument"
	log_n 3 "(xz: compressed data is corrupt)"
	# one line per failed load, nothing else: no taint, nothing loaded
	log_n 7 "module: decompression failed with status "
	[ "$(klog | wc -l)" -eq 8 ]	# and the boot line
	nothing_loaded
	tainted_is 0
	refute log_has "hello:"
}

@test "a truncated compressed stream: Invalid argument, unexpected end of input" {
	local d=$BATS_TEST_TMPDIR f
	zstd -q -c "$FX/hello.ko" >"$d/h.zst"
	xz --check=crc32 --lzma2=dict=1MiB -c "$FX/hello.ko" >"$d/h.xz"
	gzip -n -c "$FX/hello.ko" >"$d/h.gz"
	for f in h.zst h.xz h.gz; do
		craft cut "$d/$f" "$d/half-$f" $(($(stat -c %s "$d/$f") / 2))
		craft cut "$d/$f" "$d/less1-$f" -1
	done
	mount_kmodfs
	for f in half less1; do
		cp_fails "$d/$f-h.gz" hello.ko.gz "Invalid argument"
		cp_fails "$d/$f-h.xz" hello.ko.xz "Invalid argument"
		cp_fails "$d/$f-h.zst" hello.ko.zst "Invalid argument"
	done
	log_n 2 "module: decompression failed with status -5 (zlib: unexpected end of input)"
	log_n 2 "module: decompression failed with status 10 (xz: unexpected end of input)"
	log_n 2 "module: decompression failed with status -72 (zstd: unexpected end of input)"
	[ "$(klog | grep -cxE 'module: decompression failed with status -?[0-9]+ \((zlib|xz|zstd): unexpected end of input\)')" -eq 6 ]
	nothing_loaded
	tainted_is 0
	# the whole stream still loads
	cp_ok "$d/h.zst" hello.ko.zst
	loaded hello OE
}

@test "a decompression bomb stops at --max-module-size: File too large" {
	local d=$BATS_TEST_TMPDIR
	head -c 8M /dev/zero | zstd -q -c >"$d/zeros.zst"		# size not recorded
	head -c 8M /dev/zero | zstd -q --stream-size=8388608 -c >"$d/sized.zst"
	head -c 8M /dev/zero | xz -0 -c >"$d/zeros.xz"
	head -c 8M /dev/zero | gzip -n -c >"$d/zeros.gz"
	{ cat "$FX/hello.ko"; head -c 8M /dev/zero; } | zstd -q -c >"$d/hello+zeros.zst"
	[ "$(stat -c %s "$d/sized.zst")" -lt 10000 ]
	zstd -q -c "$FX/hello.ko" >"$d/hello.ko.zst"
	mount_kmodfs --max-module-size=1M
	for f in zeros.zst sized.zst zeros.xz zeros.gz hello+zeros.zst; do
		cp_fails "$d/$f" "$f" "File too large"
	done
	log_n 5 "module: decompressed size exceeds 1048576 bytes"
	logline "module: decompressed size exceeds 1048576 bytes"
	nothing_loaded
	tainted_is 0
	# a module under the limit loads
	cp_ok "$d/hello.ko.zst" hello.ko.zst
	loaded hello OE
}

# A write past --max-module-size fails with EFBIG; what was accepted
# before it is no image and must not load at the close (a bug the first
# version of this test found: it loaded the first N bytes).
@test "an uncompressed image over --max-module-size: the write fails (File too large), nothing loads" {
	local d=$BATS_TEST_TMPDIR
	head -c 1100000 /dev/zero | cat "$FX/hello.ko" - >"$d/big.ko"
	mount_kmodfs --max-module-size=1M
	run cp "$d/big.ko" "$MNT/load/"
	[ "$status" -eq 1 ]
	same "cp: error writing '$MNT/load/big.ko': File too large" "${lines[0]}"
	# what the failed write left is not loaded: close says so too
	same "cp: failed to close '$MNT/load/big.ko': File too large" "${lines[1]}"
	log_has "kmodfs: load/big.ko: a write failed (File too large): the incomplete image is not loaded"
	wait_until [ -z "$(ls -A "$MNT/load")" ]
	refute log_has "hello: init"
	nothing_loaded
	tainted_is 0
}

# ====================================================================
# Signatures (facts section 1)
# ====================================================================

@test "sign-file sha256 and sha512, by issuer+serial and by SKID: verified against --keyring=DER, no E" {
	need_sign_file
	local f
	# the fixtures: signed, with the hash asked for (kmod's modinfo reads them)
	[ "$(tail -c 28 "$FX/s256.ko" | head -c 27)" = "$MARKER" ]
	[ "$(modinfo -F sig_hashalgo "$FX/s256.ko")" = sha256 ]
	[ "$(modinfo -F sig_hashalgo "$FX/s512.ko")" = sha512 ]
	[ "$(modinfo -F signer "$FX/s256.ko")" = "kmodfs signing key A" ]
	mount_kmodfs --keyring="$FX/a.der"
	# the banner first, as on Linux, then the certificate
	[[ "$(log_text | head -n 1)" == "Linux version "* ]]
	logline "Loaded X.509 cert 'kmodfs signing key A: $(skid "$FX/a.pem")'"
	[ "$(cat "$MNT/sys/module/module/parameters/sig_enforce")" = N ]
	for f in s256.ko s512.ko s256k.ko; do
		cp_ok "$FX/$f" hello.ko
		loaded hello O
		rmdir "$MNT/sys/module/hello"
	done
	log_n 3 "hello: init"
	refute log_has "verification failed"
	tainted_is $T_O
	# enforcing changes nothing for a valid signature
	echo Y >"$MNT/sys/module/module/parameters/sig_enforce"
	cp_ok "$FX/s512.ko" hello.ko
	loaded hello O
	tainted_is $T_O
}

@test "--keyring=PEM bundle: each certificate in it is trusted" {
	need_sign_file
	mount_kmodfs --keyring="$FX/bundle.pem"
	logline "Loaded X.509 cert 'kmodfs bundle key 1: $(skid "$FX/d1.pem")'"
	logline "Loaded X.509 cert 'kmodfs bundle key 2: $(skid "$FX/d2.pem")'"
	log_n 2 "Loaded X.509 cert"
	cp_ok "$FX/sd1.ko" hello.ko
	loaded hello O
	rmdir "$MNT/sys/module/hello"
	cp_ok "$FX/sd2.ko" hello.ko
	loaded hello O
	rmdir "$MNT/sys/module/hello"
	tainted_is $T_O
	# a's key is not in this keyring
	cp_ok "$FX/s256.ko" hello.ko
	loaded hello OE
	logline "hello: $UNSIGNED_MSG"
	tainted_is $((T_O + T_E))
}

@test "--keyring=DIR: its PEM, DER and EC certificates, not its subdirectories" {
	need_sign_file
	local k
	mount_kmodfs --keyring="$FX/certs.d"
	logline "Loaded X.509 cert 'Acme Widgets: kmodfs dir key 1: $(skid "$FX/f1.pem")'"
	logline "Loaded X.509 cert 'kmodfs dir key 2: $(skid "$FX/f2.pem")'"
	logline "Loaded X.509 cert 'kmodfs ECDSA key: $(skid "$FX/ec.pem")'"
	logline "keyring: $FX/certs.d/README: no X.509 certificate, skipped"
	log_n 3 "Loaded X.509 cert"
	refute log_has "subdir key 4"
	for k in f1 f2 ec; do
		cp_ok "$FX/s$k.ko" hello.ko
		loaded hello O
		rmdir "$MNT/sys/module/hello"
	done
	tainted_is $T_O
	# sub/f4.pem was not read: f4's signature has no key
	cp_ok "$FX/sf4.ko" hello.ko
	loaded hello OE
	tainted_is $((T_O + T_E))
}

@test "an unsigned module: taint E with Linux's message, once per boot" {
	need_sign_file
	mount_kmodfs --keyring="$FX/a.der"
	cp_ok "$FX/hello.ko" hello.ko
	loaded hello OE
	log_seq "hello: loading out-of-tree module taints kernel." \
		"hello: $UNSIGNED_MSG" \
		"hello: init"
	tainted_is $((T_O + T_E))
	cp_ok "$EX/smallmod.ko" smallmod.ko
	loaded smallmod OE
	# once per boot: not again for smallmod
	log_n 1 "$UNSIGNED_MSG"
	refute log_has "smallmod: loading out-of-tree"
	# a signed module loaded afterwards is still untainted itself
	rmdir "$MNT/sys/module/hello"
	cp_ok "$FX/s256.ko" hello.ko
	loaded hello O
	tainted_is $((T_O + T_E))
}

@test "--sig-enforce: unsigned and unknown-key modules are rejected (Key was rejected by service)" {
	need_sign_file
	mount_kmodfs --keyring="$FX/a.der" --sig-enforce
	[ "$(cat "$MNT/sys/module/module/parameters/sig_enforce")" = Y ]
	cp_fails "$FX/hello.ko" hello.ko "Key was rejected by service"
	logline "Loading of unsigned module is rejected"
	cp_fails "$FX/sb.ko" hello.ko "Key was rejected by service"
	logline "Loading of module with unavailable key is rejected"
	# refused before any other check: no taint, nothing else logged
	nothing_loaded
	tainted_is 0
	refute log_has "hello:"
	cp_ok "$FX/s256.ko" hello.ko
	loaded hello O
	tainted_is $T_O
	refute log_has "verification failed"
}

@test "an unknown key: taint E; after echo 1 > sig_enforce, unavailable key rejected" {
	need_sign_file
	local p
	mount_kmodfs --keyring="$FX/a.der"
	p=$MNT/sys/module/module/parameters/sig_enforce
	[ "$(modinfo -F signer "$FX/sb.ko")" = "kmodfs unknown key B" ]
	cp_ok "$FX/sb.ko" hello.ko
	loaded hello OE
	log_seq "hello: loading out-of-tree module taints kernel." \
		"hello: $UNSIGNED_MSG" \
		"hello: init"
	tainted_is $((T_O + T_E))
	rmdir "$MNT/sys/module/hello"
	# Linux looks for the key before it checks the digest: a tampered
	# module signed by an unknown key is an unavailable key too
	craft flipsec "$FX/sb.ko" "$BATS_TEST_TMPDIR/sb-flipped.ko" .debug_str
	cp_ok "$BATS_TEST_TMPDIR/sb-flipped.ko" hello.ko
	loaded hello OE
	rmdir "$MNT/sys/module/hello"
	echo 1 >"$p"
	[ "$(cat "$p")" = Y ]
	cp_fails "$FX/sb.ko" hello.ko "Key was rejected by service"
	logline "Loading of module with unavailable key is rejected"
	cp_fails "$FX/hello.ko" hello.ko "Key was rejected by service"
	log_seq "Loading of module with unavailable key is rejected" \
		"Loading of unsigned module is rejected"
	nothing_loaded
	cp_ok "$FX/s256.ko" hello.ko
	loaded hello O
}

@test "one flipped byte anywhere in the signed part: Key was rejected by service, even not enforcing" {
	need_sign_file
	local d=$BATS_TEST_TMPDIR f body
	body=$(stat -c %s "$FX/hello.ko")	# sign-file signs the whole file
	# (hello's code is in .text.unlikely; its .text is empty)
	craft flipsec "$FX/s256.ko" "$d/text.ko" .text.unlikely
	craft flipsec "$FX/s256.ko" "$d/modinfo.ko" .modinfo
	craft flipsec "$FX/s256.ko" "$d/debug.ko" .debug_str
	craft flipsec "$FX/s512.ko" "$d/text512.ko" .text.unlikely
	craft flip "$FX/s256.ko" "$d/magic.ko" 0
	craft flip "$FX/s256.ko" "$d/last.ko" $((body - 1))
	craft flip "$FX/s256k.ko" "$d/skid.ko" $((body / 2))
	# the signature value itself: its last byte, before the 12-byte struct
	craft flip "$FX/s256.ko" "$d/sigvalue.ko" -41
	mount_kmodfs --keyring="$FX/a.der"
	for f in text modinfo debug text512 magic last skid sigvalue; do
		cp_fails "$d/$f.ko" hello.ko "Key was rejected by service"
	done
	# fatal before anything else: no taint, Linux logs nothing
	nothing_loaded
	tainted_is 0
	[ "$(klog | wc -l)" -eq 2 ]	# the certificate and the boot line
	# the untouched module loads
	cp_ok "$FX/s256.ko" hello.ko
	loaded hello O
}

@test "signed then compressed (zstd, xz as kbuild, gzip): verified; the signature inside counts" {
	need_sign_file
	local d=$BATS_TEST_TMPDIR f
	zstd -q -c "$FX/s256.ko" >"$d/s.ko.zst"
	xz --check=crc32 --lzma2=dict=1MiB -c "$FX/s512.ko" >"$d/s.ko.xz"
	gzip -n -c "$FX/s256.ko" >"$d/s.ko.gz"
	craft flipsec "$FX/s256.ko" "$d/bad.ko" .modinfo
	zstd -q -c "$d/bad.ko" >"$d/bad.ko.zst"
	# compressed, then signed: the signature is outside the stream and
	# ignored with the rest of what follows it; the module is unsigned
	zstd -q -c "$FX/hello.ko" >"$d/hello.ko.zst"
	"$SIGN_FILE" sha256 "$FX/a.key" "$FX/a.pem" "$d/hello.ko.zst" "$d/outside.ko.zst"
	mount_kmodfs --keyring="$FX/a.der"
	for f in s.ko.zst s.ko.xz s.ko.gz; do
		cp_ok "$d/$f" "$f"
		loaded hello O
		rmdir "$MNT/sys/module/hello"
	done
	tainted_is $T_O
	cp_fails "$d/bad.ko.zst" bad.ko.zst "Key was rejected by service"
	tainted_is $T_O
	cp_ok "$d/outside.ko.zst" outside.ko.zst
	loaded hello OE
	logline "hello: $UNSIGNED_MSG"
	tainted_is $((T_O + T_E))
	rmdir "$MNT/sys/module/hello"
	echo Y >"$MNT/sys/module/module/parameters/sig_enforce"
	cp_fails "$d/outside.ko.zst" outside.ko.zst "Key was rejected by service"
	logline "Loading of unsigned module is rejected"
	cp_ok "$d/s.ko.xz" s.ko.xz
	loaded hello O
}

@test "hostile trailers: sig_len beyond the file, truncated signature blocks: Bad message" {
	need_sign_file
	local d=$BATS_TEST_TMPDIR f
	craft setms "$FX/s256.ko" "$d/len-max.ko" sig_len 0xffffffff
	craft setms "$FX/s256.ko" "$d/len-file.ko" sig_len 'stripped - 12'
	craft setms "$FX/s256.ko" "$d/len-file1.ko" sig_len 'stripped - 13'
	craft setms "$FX/s256.ko" "$d/len-plus1.ko" sig_len 'blob + 1'
	craft setms "$FX/s256.ko" "$d/len-minus1.ko" sig_len 'blob - 1'
	craft setms "$FX/s256.ko" "$d/len-0.ko" sig_len 0
	# the PKCS#7 cut short, sig_len telling its new length
	craft blob "$FX/s256.ko" "$d/cut.p7" 10
	craft append "$FX/hello.ko" "$d/cut-p7.ko" "$d/cut.p7"
	# the trailer alone (12-byte struct + marker), and the marker after 5 bytes
	tail -c 40 "$FX/s256.ko" >"$d/trailer-only.ko"
	{ head -c 5 "$FX/hello.ko"; printf '%s\n' "$MARKER"; } >"$d/short.ko"
	mount_kmodfs --keyring="$FX/a.der"
	for f in len-max len-file len-file1 len-plus1 len-minus1 len-0 cut-p7 trailer-only short; do
		cp_fails "$d/$f.ko" hello.ko "Bad message"
	done
	nothing_loaded
	tainted_is 0
	[ "$(klog | wc -l)" -eq 2 ]	# Linux logs none of these
	# a file cut inside its signature has no trailer: just unsigned
	craft cut "$FX/s256.ko" "$d/no-trailer.ko" -20
	cp_ok "$d/no-trailer.ko" hello.ko
	loaded hello OE
}

@test "struct module_signature: non-zero reserved fields are Bad message; another id_type is unsupported crypto" {
	need_sign_file
	local d=$BATS_TEST_TMPDIR f
	for f in algo hash signer_len key_id_len pad0 pad1 pad2; do
		craft setms "$FX/s256.ko" "$d/$f.ko" "$f" 1
	done
	craft setms "$FX/s256.ko" "$d/pgp.ko" id_type 0
	craft setms "$FX/s256.ko" "$d/x509.ko" id_type 1
	mount_kmodfs --keyring="$FX/a.der"
	for f in algo hash signer_len key_id_len pad0 pad1 pad2; do
		cp_fails "$d/$f.ko" hello.ko "Bad message"
	done
	log_n 7 "module: PKCS#7 signature info has unexpected non-zero params"
	logline "module: PKCS#7 signature info has unexpected non-zero params"
	nothing_loaded
	tainted_is 0
	# -ENOPKG is not fatal unless enforcing
	cp_ok "$d/pgp.ko" hello.ko
	loaded hello OE
	log_seq "module: not signed with expected PKCS#7 message" \
		"hello: $UNSIGNED_MSG" "hello: init"
	rmdir "$MNT/sys/module/hello"
	cp_ok "$d/x509.ko" hello.ko
	log_n 2 "module: not signed with expected PKCS#7 message"
	rmdir "$MNT/sys/module/hello"
	echo 1 >"$MNT/sys/module/module/parameters/sig_enforce"
	cp_fails "$d/pgp.ko" hello.ko "Key was rejected by service"
	log_seq "module: not signed with expected PKCS#7 message" \
		"Loading of module with unsupported crypto is rejected"
	nothing_loaded
}

@test "PKCS 7 messages a module signature must not be: embedded content, garbage, authattrs" {
	need_sign_file
	local d=$BATS_TEST_TMPDIR f
	# embedded content (opaque signing): the module is in the message too
	openssl cms -sign -nodetach -noattr -binary -outform DER -in "$FX/hello.ko" \
		-signer "$FX/a.pem" -inkey "$FX/a.key" -out "$d/embedded.p7"
	# authenticated attributes (openssl's default without -noattr)
	openssl cms -sign -nocerts -nosmimecap -md sha256 -binary -outform DER \
		-in "$FX/hello.ko" -signer "$FX/a.pem" -inkey "$FX/a.key" -out "$d/authattrs.p7"
	# not signedData at all
	openssl cms -data_create -binary -outform DER -in "$FX/hello.ko" -out "$d/data.p7"
	# garbage: zeros, text
	head -c 300 /dev/zero >"$d/zeros.p7"
	printf 'not a PKCS#7 message %.0s' $(seq 20) >"$d/text.p7"
	for f in embedded authattrs data zeros text; do
		craft append "$FX/hello.ko" "$d/$f.ko" "$d/$f.p7"
	done
	# sha3-256: a digest Linux's PKCS#7 parser does not know
	"$SIGN_FILE" sha3-256 "$FX/a.key" "$FX/a.pem" "$FX/hello.ko" "$d/sha3.ko"
	mount_kmodfs --keyring="$FX/a.der"
	cp_fails "$d/embedded.ko" hello.ko "Bad message"
	log_seq "PKCS7: Data already supplied" "PKCS#7 signature with non-detached data"
	cp_fails "$d/zeros.ko" hello.ko "Bad message"
	cp_fails "$d/text.ko" hello.ko "Bad message"
	cp_fails "$d/authattrs.ko" hello.ko "Key was rejected by service"
	logline "PKCS7: Invalid module sig (has authattrs)"
	cp_fails "$d/data.ko" hello.ko "Invalid argument"
	logline "PKCS7: Only support pkcs7_signedData type"
	nothing_loaded
	tainted_is 0
	# unsupported crypto: not fatal unless enforcing
	cp_ok "$d/sha3.ko" hello.ko
	loaded hello OE
	logline "Unsupported digest algo: 98"
	rmdir "$MNT/sys/module/hello"
	echo Y >"$MNT/sys/module/module/parameters/sig_enforce"
	cp_fails "$d/sha3.ko" hello.ko "Key was rejected by service"
	logline "Loading of module with unsupported crypto is rejected"
}

# ====================================================================
# Licence and taint (facts section 5; proc.bats and sysmodule.bats have
# the POE line and the 12288/12289 masks)
# ====================================================================

@test "Proprietary: Linux's messages in order, once per boot; a failed load keeps its global taints" {
	mount_kmodfs
	# propgpl is Proprietary and uses a GPL-only export: refused
	cp_fails "$TM/propgpl.ko" propgpl.ko "No such file or directory"
	log_seq "propgpl: loading out-of-tree module taints kernel." \
		"propgpl: module license 'Proprietary' taints kernel." \
		"Disabling lock debugging due to kernel taint" \
		"propgpl: $UNSIGNED_MSG" \
		"propgpl: Unknown symbol round_jiffies (err -2)"
	nothing_loaded
	# P, O and E stay set although nothing loaded
	tainted_is $((T_P + T_O + T_E))
	cp_ok "$TM/proprietary.ko" proprietary.ko
	loaded proprietary POE
	logline "proprietary: init"
	# the kernel is already P, O and E: none of the messages again
	log_n 1 "module license 'Proprietary' taints kernel."
	log_n 1 "Disabling lock debugging due to kernel taint"
	log_n 1 "loading out-of-tree module taints kernel."
	log_n 1 "$UNSIGNED_MSG"
	tainted_is $((T_P + T_O + T_E))
}

@test "a module's GPL-only export is invisible to a non-GPL module: Unknown symbol (err -2)" {
	# usetestmod with its license "GPL" made "BSD" (not GPL-compatible)
	craft replace "$TM/usetestmod.ko" "$BATS_TEST_TMPDIR/usetestmod.ko" \
		'license=GPL\0' 'license=BSD\0'
	[ "$(modinfo -F license "$BATS_TEST_TMPDIR/usetestmod.ko")" = BSD ]
	mount_kmodfs
	cp_ok "$TM/testmod.ko" testmod.ko
	cp_fails "$BATS_TEST_TMPDIR/usetestmod.ko" usetestmod.ko "No such file or directory"
	log_seq "usetestmod: module license 'BSD' taints kernel." \
		"Disabling lock debugging due to kernel taint" \
		"usetestmod: Unknown symbol testmod_gpl_fn (err -2)"
	# its non-GPL export resolved; one line per missing symbol
	refute log_has "Unknown symbol testmod_value"
	log_n 1 "Unknown symbol"
	[ ! -e "$MNT/sys/module/usetestmod" ]
	[ "$(kattr testmod refcnt)" = 0 ]
	[ -z "$(ls "$MNT/sys/module/testmod/holders")" ]
	tainted_is $((T_P + T_O + T_E))
	# the GPL original links against both
	cp_ok "$TM/usetestmod.ko" usetestmod.ko
	logline "usetestmod: 42 42"
	loaded usetestmod OE
}

@test "the \"GPL\\0...\" trick: gpltrick is non-GPL to kmodfs, logged, its GPL-only import refused" {
	# what Linux reads: "GPL", and an entry without '=' after it
	[ "$(modinfo -F license "$TM/gpltrick.ko")" = GPL ]
	mount_kmodfs
	# Beyond Linux (SPEC 3.5): Linux 6.1 reads the license as "GPL" and
	# loads gpltrick untainted; kmodfs treats it as non-GPL
	cp_fails "$TM/gpltrick.ko" gpltrick.ko "No such file or directory"
	log_seq "gpltrick: loading out-of-tree module taints kernel." \
		"gpltrick: module license 'GPL' is followed by hidden text 'for files in the \"GPL\" directory; for others, only LICENSE file applies' (a NUL inside the license string): treating the module as non-GPL" \
		"gpltrick: module license 'GPL' taints kernel." \
		"Disabling lock debugging due to kernel taint" \
		"gpltrick: $UNSIGNED_MSG" \
		"gpltrick: Unknown symbol round_jiffies (err -2)"
	nothing_loaded
	tainted_is $((T_P + T_O + T_E))
}

@test "staging and test modules: taints C and N with Linux's messages, letters in Linux's order" {
	# hello.ko's description entry becomes staging=Y and test=Y
	craft replace "$FX/hello.ko" "$BATS_TEST_TMPDIR/hello.ko" \
		'description=hello module\0' 'staging=Y\0test=Y\0\0\0\0\0\0\0\0\0'
	[ "$(modinfo -F staging "$BATS_TEST_TMPDIR/hello.ko")" = Y ]
	[ "$(modinfo -F test "$BATS_TEST_TMPDIR/hello.ko")" = Y ]
	mount_kmodfs
	cp_ok "$BATS_TEST_TMPDIR/hello.ko" hello.ko
	log_seq "hello: loading out-of-tree module taints kernel." \
		"hello: module is from the staging directory, the quality is unknown, you have been warned." \
		"hello: loading test module taints kernel." \
		"hello: $UNSIGNED_MSG" \
		"hello: init"
	# P F C O E K X T N
	loaded hello COEN
	tainted_is $((T_C + T_O + T_E + T_N))
	# C is announced at every load, N once
	rmdir "$MNT/sys/module/hello"
	cp_ok "$BATS_TEST_TMPDIR/hello.ko" hello.ko
	loaded hello COEN
	log_n 2 "hello: module is from the staging directory"
	log_n 1 "hello: loading test module taints kernel."
	# a plain module beside it keeps its own letters
	cp_ok "$EX/smallmod.ko" smallmod.ko
	loaded smallmod OE
	tainted_is $((T_C + T_O + T_E + T_N))
}

# ====================================================================
# vermagic and modversions; the force options (facts section 4)
# ====================================================================

# hello.ko with another vermagic of the same length, in $BATS_TEST_TMPDIR/vm.ko
make_vermagic() {
	craft replace "$FX/hello.ko" "$BATS_TEST_TMPDIR/vm.ko" \
		'vermagic=6.1.0-kmodfs ' 'vermagic=6.1.0-kmodfz '
	[ "$(modinfo -F vermagic "$BATS_TEST_TMPDIR/vm.ko")" = "6.1.0-kmodfz SMP preempt mod_unload " ]
}

@test "a foreign vermagic: Exec format error with Linux's message; --force-modversion does not help" {
	make_vermagic
	mount_kmodfs
	cp_fails "$BATS_TEST_TMPDIR/vm.ko" hello.ko "Exec format error"
	logline "hello: version magic '6.1.0-kmodfz SMP preempt mod_unload ' should be '6.1.0-kmodfs SMP preempt mod_unload '"
	# vermagic is checked before the taints
	nothing_loaded
	tainted_is 0
	refute log_has "kernel tainted."
	remount_kmodfs --force-modversion
	cp_fails "$BATS_TEST_TMPDIR/vm.ko" hello.ko "Exec format error"
	logline "hello: version magic '6.1.0-kmodfz SMP preempt mod_unload ' should be '6.1.0-kmodfs SMP preempt mod_unload '"
	nothing_loaded
}

@test "--force-vermagic, -o force_vermagic, --force, -o force: loaded, tainted F once" {
	local opts
	make_vermagic
	for opts in --force-vermagic "-o force_vermagic" --force "-o force"; do
		if [ -z "${MNT:-}" ]; then
			mount_kmodfs $opts
		else
			remount_kmodfs $opts
		fi
		cp_ok "$BATS_TEST_TMPDIR/vm.ko" hello.ko
		log_seq "hello: bad vermagic: kernel tainted." \
			"Disabling lock debugging due to kernel taint" \
			"hello: loading out-of-tree module taints kernel." \
			"hello: $UNSIGNED_MSG" \
			"hello: init"
		loaded hello FOE
		tainted_is $((T_F + T_O + T_E))
		# every load is forced; the message only while F is new
		cp_ok "$EX/smallmod.ko" smallmod.ko
		loaded smallmod FOE
		log_n 1 "kernel tainted."
		tainted_is $((T_F + T_O + T_E))
	done
}

@test "a forced load is mangled: its signature is not checked (E), and rejected when enforcing" {
	need_sign_file
	mount_kmodfs --keyring="$FX/a.der" --force-vermagic
	cp_ok "$FX/s256.ko" hello.ko
	log_seq "hello: bad vermagic: kernel tainted." \
		"Disabling lock debugging due to kernel taint" \
		"hello: loading out-of-tree module taints kernel." \
		"hello: $UNSIGNED_MSG"
	loaded hello FOE
	tainted_is $((T_F + T_O + T_E))
	remount_kmodfs --keyring="$FX/a.der" --force --sig-enforce
	cp_fails "$FX/s256.ko" hello.ko "Key was rejected by service"
	logline "Loading of unsigned module is rejected"
	nothing_loaded
	tainted_is 0
}

@test "Debian's signed crc7.ko with --kernel and the kernel's certificate: verified, untainted" {
	need_debian
	mount_kmodfs --kernel="$KDIR" --keyring="$KMODFS_DEBIAN_CERT"
	logline "Loaded X.509 cert 'Build time autogenerated kernel key: $(skid "$KMODFS_DEBIAN_CERT" der)'"
	cp_ok "$CRC7" crc7.ko
	loaded crc7 ""
	[[ "$(modline crc7)" =~ ^crc7\ 16384\ 0\ -\ Live\ 0x[0-9a-f]{16}$ ]]
	tainted_is 0
	# in-tree, signed, matching: Linux logs nothing
	refute log_has "crc7"
	# __versions is not loaded
	[ ! -e "$MNT/sys/module/crc7/sections/__versions" ]
	[ -e "$MNT/sys/module/crc7/sections/.text" ]
}

@test "crc7.ko with a wrong CRC: disagrees about version, Invalid argument; signed, Key was rejected" {
	need_debian
	local d=$BATS_TEST_TMPDIR
	craft setcrc "$CRC7" "$d/crc7.ko" __x86_return_thunk
	craft setcrc "$CRC7" "$d/layout.ko" module_layout
	[ "$(craft secoff "$CRC7" __versions)" = "$(craft secoff "$d/crc7.ko" __versions)" ]
	# no keyring: the signature's key is unavailable, the CRCs decide
	mount_kmodfs --kernel="$KDIR"
	cp_fails "$d/layout.ko" crc7.ko "Exec format error"
	logline "crc7: disagrees about version of symbol module_layout"
	# module_layout is checked before anything taints
	tainted_is 0
	cp_fails "$d/crc7.ko" crc7.ko "Invalid argument"
	log_seq "crc7: $UNSIGNED_MSG" \
		"crc7: disagrees about version of symbol __x86_return_thunk" \
		"crc7: Unknown symbol __x86_return_thunk (err -22)"
	log_n 1 "disagrees about version of symbol __x86_return_thunk"
	nothing_loaded
	# in-tree: E only
	tainted_is $T_E
	# with the certificate: the patched __versions breaks the signature
	remount_kmodfs --kernel="$KDIR" --keyring="$KMODFS_DEBIAN_CERT"
	cp_fails "$d/crc7.ko" crc7.ko "Key was rejected by service"
	nothing_loaded
	tainted_is 0
	refute log_has "crc7:"
	# forcing vermagic does not force the CRCs
	remount_kmodfs --kernel="$KDIR" --force-vermagic
	cp_fails "$d/crc7.ko" crc7.ko "Invalid argument"
	logline "crc7: bad vermagic: kernel tainted."
	logline "crc7: Unknown symbol __x86_return_thunk (err -22)"
	tainted_is $((T_F + T_E))
}

@test "--force-modversion and -o force_modversion: crc7.ko with a wrong CRC loads, tainted F and E" {
	need_debian
	local opts
	craft setcrc "$CRC7" "$BATS_TEST_TMPDIR/crc7.ko" __x86_return_thunk
	for opts in --force-modversion "-o force_modversion"; do
		if [ -z "${MNT:-}" ]; then
			mount_kmodfs --kernel="$KDIR" --keyring="$KMODFS_DEBIAN_CERT" $opts
		else
			remount_kmodfs --kernel="$KDIR" --keyring="$KMODFS_DEBIAN_CERT" $opts
		fi
		cp_ok "$BATS_TEST_TMPDIR/crc7.ko" crc7.ko
		# no __versions: module_layout forces first; a forced module
		# counts as unsigned (Linux's "mangled" rule)
		log_seq "crc7: module_layout: kernel tainted." \
			"Disabling lock debugging due to kernel taint" \
			"crc7: $UNSIGNED_MSG"
		log_n 1 "kernel tainted."
		refute log_has "disagrees about version"
		loaded crc7 FE
		tainted_is $((T_F + T_E))
		# with the versions ignored, __versions keeps SHF_ALLOC (Linux)
		[ -e "$MNT/sys/module/crc7/sections/__versions" ]
	done
}

@test "with modversions only the vermagic after the release must match; not when forcing them" {
	need_debian
	local d=$BATS_TEST_TMPDIR rel=$KMODFS_DEBIAN_RELEASE other
	other=$(printf '%s' "$rel" | tr 0-9 1-90)
	craft replace "$CRC7" "$d/release.ko" "vermagic=$rel " "vermagic=$other "
	craft replace "$CRC7" "$d/preempt.ko" "vermagic=$rel SMP preempt" "vermagic=$rel SMP PREEMPT"
	[ "$(modinfo -F vermagic "$d/release.ko")" = "$other SMP preempt mod_unload modversions " ]
	mount_kmodfs --kernel="$KDIR"
	cp_ok "$d/release.ko" crc7.ko
	loaded crc7 E
	rmdir "$MNT/sys/module/crc7"
	cp_fails "$d/preempt.ko" crc7.ko "Exec format error"
	logline "crc7: version magic '$rel SMP PREEMPT mod_unload modversions ' should be '$rel SMP preempt mod_unload modversions '"
	# ignoring the versions, the whole string is compared
	remount_kmodfs --kernel="$KDIR" --force-modversion
	cp_fails "$d/release.ko" crc7.ko "Exec format error"
	logline "crc7: version magic '$other SMP preempt mod_unload modversions ' should be '$rel SMP preempt mod_unload modversions '"
	nothing_loaded
}

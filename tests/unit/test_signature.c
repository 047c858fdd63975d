// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Module signatures end to end: the keyring (DER, PEM bundle, directory),
 * then copies of hello.ko signed at test time with real tools -- the
 * kernel's own scripts/sign-file and openssl -- loaded through
 * load_module(): valid signatures with every hash, signer id and key the
 * keyring offers; unknown keys and unsigned modules with and without
 * sig_enforce; tampered modules and signatures; malformed trailers; and
 * PKCS#7 messages a module signature must not be.
 *
 * One emulated kernel for the whole program: the first load without a
 * valid signature prints the once-per-boot "module verification failed"
 * message and taints the kernel E, so every valid load comes before it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "kernel/taint.h"
#include "ktest.h"
#include "loader/keyring.h"
#include "loader/module.h"
#include "loader/signature.h"

#define MARKER "~Module signature appended~\n"
#define MARKER_LEN (sizeof(MARKER) - 1)

static char dir[64];		/* fixtures, $KMODFS_SIGDIR */
static char sign_file[4096];	/* scripts/sign-file of a kernel build tree */
static struct image hello;	/* unsigned hello.ko */

/* ---- helpers ---- */

/* Run a shell command in the fixture directory; its exit status. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[4096], full[4400];
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "cd '%s' && { %s ; } >>tools.log 2>&1", dir, cmd);
	r = system(full);
	if (r != 0)
		fprintf(stderr, "# failed (%d): %s\n", r, cmd);
	return r;
}

#define SH(...) assert_int_equal(sh(__VA_ARGS__), 0)

static struct image fixture(const char *name)
{
	return ktest_module("KMODFS_SIGDIR", name);
}

/* dir/name, in one of a few rotating buffers */
static const char *fx(const char *name)
{
	static char bufs[4][256];
	static unsigned int next;
	char *b = bufs[next++ % 4];

	snprintf(b, sizeof(bufs[0]), "%s/%s", dir, name);
	return b;
}

static void write_image(const char *name, const struct image *im)
{
	FILE *f = fopen(fx(name), "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(im->data, 1, im->len, f), im->len);
	assert_int_equal(fclose(f), 0);
}

/* body + blob + struct module_signature + marker */
static struct image with_sig(const struct image *body, const void *blob, size_t blob_len)
{
	uint8_t ms[12] = { 0, 0, 2 };
	uint32_t be = htonl((uint32_t)blob_len);
	struct image im = { malloc(body->len + blob_len + 12 + MARKER_LEN), 0 };

	assert_non_null(im.data);
	memcpy(ms + 8, &be, 4);
	memcpy(im.data, body->data, body->len);
	im.len = body->len;
	memcpy(im.data + im.len, blob, blob_len);
	im.len += blob_len;
	memcpy(im.data + im.len, ms, 12);
	im.len += 12;
	memcpy(im.data + im.len, MARKER, MARKER_LEN);
	im.len += MARKER_LEN;
	return im;
}

/* hello.ko with the DER PKCS#7 in dir/p7 appended */
static struct image with_p7(const char *p7)
{
	struct image blob = fixture(p7), im = with_sig(&hello, blob.data, blob.len);

	image_free(&blob);
	return im;
}

/* Where the parts of a signed image are. */
struct layout {
	size_t body_len;	/* the signed bytes */
	size_t blob;		/* offset of the PKCS#7 */
	size_t blob_len;
	size_t ms;		/* offset of struct module_signature */
};

static struct layout layout_of(const struct image *im)
{
	struct layout l;
	uint32_t be;

	assert_true(im->len > MARKER_LEN + 12);
	assert_memory_equal(im->data + im->len - MARKER_LEN, MARKER, MARKER_LEN);
	l.ms = im->len - MARKER_LEN - 12;
	memcpy(&be, im->data + l.ms + 8, 4);
	l.blob_len = ntohl(be);
	assert_true(l.blob_len < l.ms);
	l.blob = l.ms - l.blob_len;
	l.body_len = l.blob;
	return l;
}

/* sign-file [-k] hash key.key key.pem on a copy of hello.ko */
static struct image sign_as(const char *opts, const char *hash, const char *key)
{
	SH("rm -f out.ko && cp hello.ko in.ko && '%s' %s %s %s.key %s.pem in.ko out.ko",
	   sign_file, opts, hash, key, key);
	return fixture("out.ko");
}

static struct image sign(const char *hash, const char *key)
{
	return sign_as("", hash, key);
}

/* openssl cms/smime output over hello.ko, appended like sign-file does */
static struct image openssl_signed(const char *cmd, const char *key)
{
	SH("rm -f out.p7 && openssl %s -binary -outform DER -in hello.ko"
	   " -signer %s.pem -inkey %s.key -out out.p7", cmd, key, key);
	return with_p7("out.p7");
}

static bool is_loaded(const char *name)
{
	struct kmodule *km = kmodule_get_by_name(name);

	if (km)
		kmodule_put(km);
	return km != NULL;
}

/* Load im: it must load with sig_ok and these taints, then unload it. */
static void expect_loads(const struct image *im, bool sig_ok, const char *taints)
{
	struct kmodule *km;
	uint64_t m = log_mark();
	char t[32] = "";
	bool ok = false;
	int r = load_image(im, "");

	if (r) {
		log_dump(m);
		fail_msg("load: %d", r);
	}
	km = kmodule_get_by_name("hello");
	if (km) {
		ok = km->sig_ok;
		module_flags_taint(km->taints, t);
		kmodule_put(km);
	}
	/* unloaded before any check fails, for the tests that follow */
	assert_int_equal(delete_module("hello", 0), 0);
	assert_non_null(km);
	if (ok != sig_ok || strcmp(t, taints)) {
		log_dump(m);
		fail_msg("sig_ok %d, taints \"%s\"; expected %d, \"%s\"", ok, t, sig_ok, taints);
	}
	assert_true(log_has_line(m, "hello: init"));
}

static void expect_valid(const struct image *im)
{
	uint64_t m = log_mark();

	expect_loads(im, true, "O");
	assert_false(log_has(m, "verification failed"));
}

/* Load im: it must fail with err and log text (when given). */
static void expect_fails(const struct image *im, int err, const char *text)
{
	uint64_t m = log_mark();
	int r = load_image(im, "");

	if (r == 0)
		delete_module("hello", 0);	/* for the tests that follow */
	if (r != err || (text && !log_has_line(m, text))) {
		log_dump(m);
		fail_msg("load: %d, expected %d and \"%s\"", r, err, text ? text : "");
	}
	assert_false(is_loaded("hello"));
}

/* Not enforcing it loads tainted E; enforcing it is rejected with reason. */
static void expect_non_fatal(const struct image *im, const char *reason)
{
	char line[128];

	expect_loads(im, false, "OE");
	snprintf(line, sizeof(line), "Loading of %s is rejected", reason);
	sig_enforce = true;
	expect_fails(im, -EKEYREJECTED, line);
	sig_enforce = false;
}

static void flip(struct image *im, size_t off)
{
	assert_true(off < im->len);
	im->data[off] ^= 0x01;
}

/* A self-signed RSA certificate that expired a year ago, without SKID. */
static int make_expired(const char *name)
{
	char path[300];
	EVP_PKEY *pk = EVP_RSA_gen(2048);
	X509 *x = X509_new();
	X509_NAME *n;
	FILE *f;
	int ok = pk && x;

	ok = ok && X509_set_version(x, 2) &&
	     ASN1_INTEGER_set(X509_get_serialNumber(x), 0x8001) &&
	     X509_gmtime_adj(X509_getm_notBefore(x), -2L * 365 * 86400) &&
	     X509_gmtime_adj(X509_getm_notAfter(x), -365L * 86400) &&
	     X509_set_pubkey(x, pk);
	n = ok ? X509_get_subject_name(x) : NULL;
	ok = ok && X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
					      (const unsigned char *)"kmodfs expired key", -1, -1, 0) &&
	     X509_set_issuer_name(x, n) && X509_sign(x, pk, EVP_sha256());
	snprintf(path, sizeof(path), "%s/%s.key", dir, name);
	if (ok && (f = fopen(path, "w"))) {
		ok = PEM_write_PrivateKey(f, pk, NULL, NULL, 0, NULL, NULL);
		ok = !fclose(f) && ok;
	} else {
		ok = 0;
	}
	snprintf(path, sizeof(path), "%s/%s.pem", dir, name);
	if (ok && (f = fopen(path, "w"))) {
		ok = PEM_write_X509(f, x);
		ok = !fclose(f) && ok;
	} else {
		ok = 0;
	}
	X509_free(x);
	EVP_PKEY_free(pk);
	return ok ? 0 : -1;
}

/* ---- fixtures ---- */

static int make_key(const char *name, const char *subject)
{
	return sh("openssl req -new -x509 -newkey rsa:2048 -nodes -keyout %s.key -out %s.pem"
		  " -days 36500 -subj '%s' -addext subjectKeyIdentifier=hash",
		  name, name, subject);
}

static int setup(void **state)
{
	glob_t g;
	FILE *f;

	(void)state;
	if (glob("/usr/src/linux-headers-*/scripts/sign-file", 0, NULL, &g) == 0) {
		snprintf(sign_file, sizeof(sign_file), "%s", g.gl_pathv[0]);
		globfree(&g);
	}
	if (!sign_file[0]) {
		fprintf(stderr, "# no scripts/sign-file: install linux-headers-amd64\n");
		return -1;
	}
	snprintf(dir, sizeof(dir), "/tmp/kmodfs-sig-XXXXXX");
	if (!mkdtemp(dir) || setenv("KMODFS_SIGDIR", dir, 1))
		return -1;

	hello = example("hello.ko");
	f = fopen(fx("hello.ko"), "wb");
	if (!f || fwrite(hello.data, 1, hello.len, f) != hello.len || fclose(f))
		return -1;

	if (make_key("a", "/O=kmodfs test/CN=kmodfs signing key A") ||
	    sh("openssl x509 -in a.pem -outform DER -out a.der") ||
	    make_key("b", "/CN=kmodfs unknown key B") ||
	    make_key("d1", "/O=kmodfs bundle/CN=kmodfs bundle key 1") ||
	    make_key("d2", "/O=kmodfs bundle/CN=kmodfs bundle key 2") ||
	    sh("cat d1.pem d1.key d2.pem >bundle.pem") ||
	    make_key("f1", "/O=Acme Widgets/CN=kmodfs dir key 1") ||
	    make_key("f2", "/CN=kmodfs dir key 2") ||
	    make_key("f3", "/CN=kmodfs dir key 3") ||
	    make_key("f4", "/CN=kmodfs subdir key 4") ||
	    sh("mkdir -p certs.d/sub empty.d && cp f1.pem certs.d/ &&"
	       " openssl x509 -in f2.pem -outform DER -out certs.d/f2.der &&"
	       " cat f3.key f3.pem >certs.d/signing_key.pem && cp f4.pem certs.d/sub/ &&"
	       " echo 'not a certificate' >certs.d/README") ||
	    sh("openssl req -new -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
	       " -keyout ec.key -out ec.pem -days 3650 -subj '/CN=kmodfs ECDSA key'") ||
	    make_key("ca", "/CN=kmodfs test CA") ||
	    sh("openssl req -new -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr"
	       " -subj '/CN=kmodfs leaf key' &&"
	       " printf 'subjectKeyIdentifier=hash\\nauthorityKeyIdentifier=keyid\\n' >leaf.ext &&"
	       " openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -set_serial 4711"
	       " -days 3650 -extfile leaf.ext -out leaf.pem") ||
	    make_expired("e"))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	image_free(&hello);
	if (dir[0] && !getenv("KMODFS_KEEP_FIXTURES"))
		sh("cd / && rm -rf '%s'", dir);
	return 0;
}

static int reset_enforce(void **state)
{
	(void)state;
	sig_enforce = false;
	return 0;
}

/* ---- the keyring ---- */

static void test_keyring_errors(void **state)
{
	unsigned int n = keyring_count();
	struct image der;
	uint64_t m = log_mark();

	(void)state;
	assert_int_equal(keyring_load(fx("nosuch.pem")), -ENOENT);
	assert_true(log_has(m, "nosuch.pem: No such file or directory"));

	/* a file without a certificate: a key alone, text */
	m = log_mark();
	assert_int_equal(keyring_load(fx("a.key")), -ENOKEY);
	assert_true(log_has(m, "a.key: no X.509 certificate"));
	assert_int_equal(keyring_load(fx("certs.d/README")), -ENOKEY);

	/* a truncated DER certificate, a PEM bundle with a broken one */
	der = fixture("a.der");
	der.len -= 10;
	write_image("short.der", &der);
	image_free(&der);
	m = log_mark();
	assert_int_equal(keyring_load(fx("short.der")), -EBADMSG);
	assert_true(log_has(m, "short.der: malformed certificate"));
	SH("cp d1.pem broken.pem && sed '2,3d' d2.pem >>broken.pem");
	assert_int_equal(keyring_load(fx("broken.pem")), -EBADMSG);

	/* a directory with nothing in it */
	m = log_mark();
	assert_int_equal(keyring_load(fx("empty.d")), -ENOKEY);
	assert_true(log_has(m, "empty.d: no X.509 certificate in the directory"));

	/* nothing was added, not even d1 of the broken bundle */
	assert_int_equal(keyring_count(), n);
}

static void test_keyring_der(void **state)
{
	unsigned int n = keyring_count();
	uint64_t m = log_mark();

	(void)state;
	assert_int_equal(keyring_load(fx("a.der")), 0);
	assert_int_equal(keyring_count(), n + 1);
	/* CN alone when it starts like O, then the subject key id */
	assert_true(log_has(m, "Loaded X.509 cert 'kmodfs signing key A: "));

	/* the same certificate again, as DER or PEM, counts once */
	m = log_mark();
	assert_int_equal(keyring_load(fx("a.der")), 0);
	assert_int_equal(keyring_load(fx("a.pem")), 0);
	assert_int_equal(keyring_count(), n + 1);
	assert_int_equal(log_count(m), 0);
}

static void test_keyring_pem_bundle(void **state)
{
	unsigned int n = keyring_count();
	uint64_t m = log_mark();

	(void)state;
	/* two certificates with a private key between them */
	assert_int_equal(keyring_load(fx("bundle.pem")), 0);
	assert_int_equal(keyring_count(), n + 2);
	assert_true(log_has(m, "Loaded X.509 cert 'kmodfs bundle key 1: "));
	assert_true(log_has(m, "Loaded X.509 cert 'kmodfs bundle key 2: "));
}

static void test_keyring_directory(void **state)
{
	unsigned int n = keyring_count();
	uint64_t m = log_mark();

	(void)state;
	/* f1.pem, f2.der, signing_key.pem (key + cert); README is skipped,
	 * sub/ is not entered */
	assert_int_equal(keyring_load(fx("certs.d")), 0);
	assert_int_equal(keyring_count(), n + 3);
	assert_true(log_has(m, "Loaded X.509 cert 'Acme Widgets: kmodfs dir key 1: "));
	assert_true(log_has(m, "Loaded X.509 cert 'kmodfs dir key 2: "));
	assert_true(log_has(m, "Loaded X.509 cert 'kmodfs dir key 3: "));
	assert_true(log_has(m, "certs.d/README: no X.509 certificate, skipped"));
	assert_false(log_has(m, "subdir key 4"));
}

static void test_keyring_more(void **state)
{
	unsigned int n = keyring_count();
	uint64_t m = log_mark();

	(void)state;
	assert_int_equal(keyring_load(fx("e.pem")), 0);
	assert_int_equal(keyring_load(fx("ec.pem")), 0);
	assert_int_equal(keyring_load(fx("ca.pem")), 0);
	assert_int_equal(keyring_count(), n + 3);
	/* no subject key id: the serial number, with its sign byte */
	if (!log_has_line(m, "Loaded X.509 cert 'kmodfs expired key: 008001'")) {
		log_dump(m);
		fail();
	}
}

/* ---- valid signatures (before anything taints the kernel E) ---- */

static void test_signed_sha256(void **state)
{
	struct image im = sign("sha256", "a");
	uint64_t m = log_mark();

	(void)state;
	assert_false(test_taint(TAINT_UNSIGNED_MODULE));
	expect_valid(&im);
	assert_false(log_has(m, "module verification failed"));
	assert_false(test_taint(TAINT_UNSIGNED_MODULE));

	/* enforcing changes nothing for a valid signature */
	sig_enforce = true;
	expect_valid(&im);
	sig_enforce = false;
	image_free(&im);
}

static void test_signed_hashes_and_ids(void **state)
{
	static const char *const hashes[] = { "sha1", "sha224", "sha256", "sha384", "sha512" };
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++) {
		struct image im = sign(hashes[i], "a");

		expect_valid(&im);
		image_free(&im);
		/* -k: the signer by subject key identifier (CMS v3) */
		im = sign_as("-k", hashes[i], "a");
		expect_valid(&im);
		image_free(&im);
	}
	assert_false(test_taint(TAINT_UNSIGNED_MODULE));
}

static void test_signed_by_each_key(void **state)
{
	/* from the PEM bundle, the directory (DER, key+cert PEM), an expired
	 * certificate (Linux checks no dates), an ECDSA key */
	static const char *const keys[] = { "d1", "d2", "f1", "f2", "f3", "e", "ec" };
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct image im = sign("sha256", keys[i]);

		expect_valid(&im);
		image_free(&im);
	}
	assert_false(test_taint(TAINT_UNSIGNED_MODULE));
}

static void test_signed_other_ways(void **state)
{
	struct image im, body, blob;

	(void)state;
	/* sign-file -d: the detached PKCS#7 alone, appended by hand */
	SH("cp hello.ko in.ko && rm -f in.ko.p7s && '%s' -d sha512 a.key a.pem in.ko", sign_file);
	im = with_p7("in.ko.p7s");
	expect_valid(&im);
	image_free(&im);

	/* sign-file -p keeps the .p7s too; it is the appended blob */
	SH("cp hello.ko in.ko && rm -f in.ko.p7s && '%s' -p sha384 a.key a.pem in.ko out.ko", sign_file);
	im = fixture("out.ko");
	blob = fixture("in.ko.p7s");
	assert_int_equal(layout_of(&im).blob_len, blob.len);
	assert_memory_equal(im.data + layout_of(&im).blob, blob.data, blob.len);
	expect_valid(&im);
	image_free(&im);
	image_free(&blob);

	/* openssl cms with the signer's certificate in the message */
	im = openssl_signed("cms -sign -noattr -md sha256", "a");
	expect_valid(&im);
	image_free(&im);

	/* a key signed by a CA in the keyring, its certificate in the message */
	im = openssl_signed("cms -sign -noattr -md sha256", "leaf");
	expect_valid(&im);
	image_free(&im);

	/* bytes after the DER message, inside sig_len, are ignored (Linux) */
	im = sign("sha256", "a");
	{
		struct layout l = layout_of(&im);
		uint8_t *b = calloc(1, l.blob_len + 16);

		assert_non_null(b);
		memcpy(b, im.data + l.blob, l.blob_len);
		body = with_sig(&hello, b, l.blob_len + 16);
		expect_valid(&body);
		image_free(&body);
		free(b);
	}
	image_free(&im);

	/* the digestAlgorithms set is not what is checked: a changed OID in
	 * it (its first sha256) leaves the signature valid, as in Linux */
	im = sign("sha256", "a");
	{
		static const uint8_t sha256_oid[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01 };
		struct layout l = layout_of(&im);
		uint8_t *p = memmem(im.data + l.blob, l.blob_len, sha256_oid, sizeof(sha256_oid));

		assert_non_null(p);
		flip(&im, (size_t)(p - im.data) + sizeof(sha256_oid) - 1);
		expect_valid(&im);
	}
	image_free(&im);

	/* signed, then compressed: how kbuild ships modules */
	im = sign("sha256", "a");
	write_image("signed.ko", &im);
	image_free(&im);
	SH("xz -f -k --check=crc32 signed.ko");
	body = fixture("signed.ko.xz");
	{
		uint64_t m = log_mark();
		struct kmodule *km;

		assert_int_equal(load_module(body.data, body.len, "", MODULE_INIT_COMPRESSED_FILE), 0);
		km = kmodule_get_by_name("hello");
		assert_non_null(km);
		assert_true(km->sig_ok);
		kmodule_put(km);
		assert_false(log_has(m, "verification failed"));
		assert_int_equal(delete_module("hello", 0), 0);
	}
	image_free(&body);
	assert_false(test_taint(TAINT_UNSIGNED_MODULE));
}

/* ---- signatures that do not verify: fatal even when not enforcing ---- */

static void test_tampered_module(void **state)
{
	struct image im = sign("sha256", "a");
	struct layout l = layout_of(&im);
	unsigned int modinfo = sec_index(&im, ".modinfo");
	size_t offs[4];
	unsigned int i;

	(void)state;
	assert_true(modinfo > 0);
	offs[0] = 0;					/* ELF magic */
	offs[1] = 0x10;					/* e_type */
	offs[2] = shdr(&im, modinfo)->sh_offset + shdr(&im, modinfo)->sh_size / 2;
	offs[3] = l.body_len - 1;			/* the last signed byte */
	for (i = 0; i < 4; i++) {
		struct image t = image_dup(&im);

		flip(&t, offs[i]);
		expect_fails(&t, -EKEYREJECTED, NULL);
		image_free(&t);
	}

	/* the same with the signer's certificate in the message */
	image_free(&im);
	im = openssl_signed("cms -sign -noattr -md sha512", "a");
	flip(&im, 100);
	expect_fails(&im, -EKEYREJECTED, NULL);
	image_free(&im);

	/* a changed byte in the signature value itself */
	im = sign("sha256", "a");
	flip(&im, layout_of(&im).ms - 1);
	expect_fails(&im, -EKEYREJECTED, NULL);
	image_free(&im);

	/* a signature by another key over the same module: b's signature
	 * value in a's message */
	im = sign("sha256", "b");
	{
		struct image a = sign("sha256", "a");

		memcpy(a.data + layout_of(&a).ms - 256, im.data + layout_of(&im).ms - 256, 256);
		expect_fails(&a, -EKEYREJECTED, NULL);
		image_free(&a);
	}
	image_free(&im);
	assert_false(test_taint(TAINT_UNSIGNED_MODULE));
}

/* ---- no key, no signature: non-fatal unless enforcing ---- */

static void test_unknown_key(void **state)
{
	struct image im = sign("sha256", "b");
	uint64_t m = log_mark();

	(void)state;
	/* the first load without a valid signature: once per boot */
	expect_loads(&im, false, "OE");
	assert_true(log_has_line(m, "hello: module verification failed: "
				    "signature and/or required key missing - tainting kernel"));
	assert_true(test_taint(TAINT_UNSIGNED_MODULE));
	m = log_mark();
	expect_non_fatal(&im, "module with unavailable key");
	assert_false(log_has(m, "verification failed"));
	image_free(&im);

	/* by subject key id; a key in a subdirectory the keyring did not
	 * enter; the CA's leaf without its certificate in the message */
	im = sign_as("-k", "sha256", "b");
	expect_non_fatal(&im, "module with unavailable key");
	image_free(&im);
	im = sign("sha256", "f4");
	expect_non_fatal(&im, "module with unavailable key");
	image_free(&im);
	im = openssl_signed("cms -sign -noattr -nocerts -md sha256", "leaf");
	expect_non_fatal(&im, "module with unavailable key");
	image_free(&im);

	/* b's self-signed certificate in the message does not make it trusted */
	im = openssl_signed("cms -sign -noattr -md sha256", "b");
	expect_non_fatal(&im, "module with unavailable key");
	image_free(&im);
}

static void test_tampered_unknown_key(void **state)
{
	struct image im = sign("sha256", "b");

	(void)state;
	/* Linux looks for the key before it verifies: unavailable key */
	flip(&im, 0x40);
	expect_non_fatal(&im, "module with unavailable key");
	image_free(&im);

	/* but a certificate in the message is verified against first */
	im = openssl_signed("cms -sign -noattr -md sha256", "b");
	flip(&im, 0x40);
	expect_fails(&im, -EKEYREJECTED, NULL);
	image_free(&im);
	im = openssl_signed("cms -sign -noattr -md sha256", "leaf");
	flip(&im, 0x40);
	expect_fails(&im, -EKEYREJECTED, NULL);
	image_free(&im);
}

static void test_unsigned(void **state)
{
	struct image im = sign("sha256", "a");
	uint64_t m;

	(void)state;
	expect_non_fatal(&hello, "unsigned module");

	/* a module with versions or vermagic to be ignored is not what was
	 * signed: unsigned */
	m = log_mark();
	sig_enforce = true;
	assert_int_equal(load_module(im.data, im.len, "", MODULE_INIT_IGNORE_VERMAGIC), -EKEYREJECTED);
	assert_true(log_has_line(m, "Loading of unsigned module is rejected"));
	sig_enforce = false;
	image_free(&im);

	/* a marker without a signature struct before it */
	im = with_sig(&hello, "", 0);
	memmove(im.data, im.data + im.len - MARKER_LEN - 12, MARKER_LEN + 12);
	im.len = MARKER_LEN + 12;
	expect_fails(&im, -EBADMSG, NULL);
	image_free(&im);
}

/* ---- the trailer (mod_check_sig) ---- */

static void set_sig_len(struct image *im, uint32_t len)
{
	uint32_t be = htonl(len);

	memcpy(im->data + im->len - MARKER_LEN - 12 + 8, &be, 4);
}

static void test_trailer(void **state)
{
	struct image im = sign("sha256", "a"), t;
	struct layout l = layout_of(&im);
	size_t stripped = im.len - MARKER_LEN;
	unsigned int i;

	(void)state;
	/* sig_len reaching the start of the file, or beyond */
	t = image_dup(&im);
	set_sig_len(&t, (uint32_t)(stripped - 12));
	expect_fails(&t, -EBADMSG, NULL);
	set_sig_len(&t, (uint32_t)(stripped - 13));
	expect_fails(&t, -EBADMSG, NULL);	/* now 1 byte of "module" */
	set_sig_len(&t, 0xffffffffu);
	expect_fails(&t, -EBADMSG, NULL);
	/* sig_len 0: an empty PKCS#7 */
	set_sig_len(&t, 0);
	expect_fails(&t, -EBADMSG, NULL);
	image_free(&t);

	/* a truncated PKCS#7: its tail cut, sig_len to match */
	t = with_sig(&hello, im.data + l.blob, l.blob_len - 10);
	expect_fails(&t, -EBADMSG, NULL);
	image_free(&t);
	/* the PKCS#7 complete but sig_len too short or too long by one */
	t = image_dup(&im);
	set_sig_len(&t, (uint32_t)l.blob_len - 1);
	expect_fails(&t, -EBADMSG, NULL);
	set_sig_len(&t, (uint32_t)l.blob_len + 1);
	expect_fails(&t, -EBADMSG, NULL);
	image_free(&t);

	/* each reserved field non-zero */
	for (i = 0; i < 8; i++) {
		if (i == 2)
			continue;	/* id_type */
		t = image_dup(&im);
		t.data[l.ms + i] = 1;
		expect_fails(&t, -EBADMSG, "module: PKCS#7 signature info has unexpected non-zero params");
		image_free(&t);
	}

	/* id_type other than PKEY_ID_PKCS7: unsupported crypto */
	for (i = 0; i < 4; i++) {
		uint64_t m = log_mark();

		if (i == 2)
			continue;
		t = image_dup(&im);
		t.data[l.ms + 2] = (uint8_t)i;
		expect_non_fatal(&t, "module with unsupported crypto");
		assert_true(log_has_line(m, "module: not signed with expected PKCS#7 message"));
		image_free(&t);
	}

	/* a PKCS#7 over 64 KiB: Linux's ASN.1 decoder refuses it */
	{
		size_t big = 70000;
		uint8_t *blob = calloc(1, big);

		assert_non_null(blob);
		memcpy(blob, im.data + l.blob, l.blob_len);
		t = with_sig(&hello, blob, big);
		expect_fails(&t, -EMSGSIZE, NULL);
		image_free(&t);
		free(blob);
	}
	image_free(&im);
}

/* ---- the PKCS#7 message ---- */

static void test_pkcs7_corrupt(void **state)
{
	static const uint8_t sha256_oid[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01 };
	struct image im = sign("sha256", "a"), t;
	struct layout l = layout_of(&im);
	uint8_t *first, *second;
	unsigned int i;
	X509 *a;
	const ASN1_INTEGER *serial;
	FILE *f;
	uint8_t *p;

	(void)state;
	/* the outer SEQUENCE tag, its length */
	t = image_dup(&im);
	flip(&t, l.blob);
	expect_fails(&t, -EBADMSG, NULL);
	image_free(&t);
	t = image_dup(&im);
	flip(&t, l.blob + 2);
	expect_fails(&t, -EBADMSG, NULL);
	image_free(&t);

	/* the content type OID (signedData becomes something else) */
	t = image_dup(&im);
	p = memmem(t.data + l.blob, l.blob_len, "\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02", 9);
	assert_non_null(p);
	p[8] = 0x05;	/* pkcs7-digestData: refused by its OID alone */
	expect_fails(&t, -EINVAL, "PKCS7: Only support pkcs7_signedData type");
	image_free(&t);

	/* the signer's digest algorithm (the second sha256 OID): an OID Linux
	 * does not know, so unsupported crypto */
	first = memmem(im.data + l.blob, l.blob_len, sha256_oid, sizeof(sha256_oid));
	assert_non_null(first);
	second = memmem(first + 1, l.blob_len - (size_t)(first + 1 - (im.data + l.blob)),
			sha256_oid, sizeof(sha256_oid));
	assert_non_null(second);
	t = image_dup(&im);
	flip(&t, (size_t)(second - im.data) + sizeof(sha256_oid) - 1);
	{
		uint64_t m = log_mark();

		expect_non_fatal(&t, "module with unsupported crypto");
		assert_true(log_has_line(m, "Unsupported digest algo: 98"));
	}
	image_free(&t);

	/* the signer's serial number: no such key */
	f = fopen(fx("a.pem"), "r");
	assert_non_null(f);
	a = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(a);
	serial = X509_get0_serialNumber(a);
	p = memmem(im.data + l.blob, l.blob_len, ASN1_STRING_get0_data(serial),
		   (size_t)ASN1_STRING_length(serial));
	assert_non_null(p);
	t = image_dup(&im);
	flip(&t, (size_t)(p - im.data) + 3);
	expect_non_fatal(&t, "module with unavailable key");
	image_free(&t);
	X509_free(a);

	/* any byte of the signature value: a mismatch */
	for (i = 1; i <= 256; i += 51) {
		t = image_dup(&im);
		flip(&t, l.ms - i);
		expect_fails(&t, -EKEYREJECTED, NULL);
		image_free(&t);
	}
	image_free(&im);
}

static void test_pkcs7_not_for_modules(void **state)
{
	struct image im;
	uint64_t m;

	(void)state;
	/* embedded content */
	m = log_mark();
	im = openssl_signed("smime -sign -nodetach -noattr", "a");
	expect_fails(&im, -EBADMSG, "PKCS#7 signature with non-detached data");
	assert_true(log_has_line(m, "PKCS7: Data already supplied"));
	image_free(&im);

	/* authenticated attributes: contentType, signingTime, messageDigest */
	im = openssl_signed("cms -sign -nocerts -nosmimecap -md sha256", "a");
	expect_fails(&im, -EKEYREJECTED, "PKCS7: Invalid module sig (has authattrs)");
	image_free(&im);
	/* openssl's default adds S/MIME capabilities, which Linux's parser
	 * already refuses outside Authenticode */
	im = openssl_signed("cms -sign -nocerts -md sha256", "a");
	expect_fails(&im, -EKEYREJECTED, "PKCS7: S/MIME Caps only allowed with Authenticode");
	image_free(&im);

	/* not signedData, not id-data content */
	SH("rm -f out.p7 && openssl cms -data_create -binary -outform DER -in hello.ko -out out.p7");
	im = with_p7("out.p7");
	expect_fails(&im, -EINVAL, "PKCS7: Only support pkcs7_signedData type");
	image_free(&im);
	im = openssl_signed("cms -sign -nocerts -noattr -econtent_type 1.2.3.4", "a");
	expect_fails(&im, -EINVAL, "PKCS7: Unsupported data type 98");
	image_free(&im);

	/* algorithms Linux does not parse: unsupported crypto */
	im = sign("sha3-256", "a");
	m = log_mark();
	expect_non_fatal(&im, "module with unsupported crypto");
	assert_true(log_has_line(m, "Unsupported digest algo: 98"));
	image_free(&im);
	SH("rm -f out.p7 && openssl cms -sign -binary -outform DER -noattr -nocerts -in hello.ko"
	   " -signer a.pem -inkey a.key -keyopt rsa_padding_mode:pss -out out.p7");
	im = with_p7("out.p7");
	m = log_mark();
	expect_non_fatal(&im, "module with unsupported crypto");
	assert_true(log_has_line(m, "Unsupported pkey algo: 98"));
	image_free(&im);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keyring_errors),
		cmocka_unit_test(test_keyring_der),
		cmocka_unit_test(test_keyring_pem_bundle),
		cmocka_unit_test(test_keyring_directory),
		cmocka_unit_test(test_keyring_more),
		cmocka_unit_test_teardown(test_signed_sha256, reset_enforce),
		cmocka_unit_test(test_signed_hashes_and_ids),
		cmocka_unit_test(test_signed_by_each_key),
		cmocka_unit_test(test_signed_other_ways),
		cmocka_unit_test(test_tampered_module),
		cmocka_unit_test_teardown(test_unknown_key, reset_enforce),
		cmocka_unit_test_teardown(test_tampered_unknown_key, reset_enforce),
		cmocka_unit_test_teardown(test_unsigned, reset_enforce),
		cmocka_unit_test_teardown(test_trailer, reset_enforce),
		cmocka_unit_test_teardown(test_pkcs7_corrupt, reset_enforce),
		cmocka_unit_test_teardown(test_pkcs7_not_for_modules, reset_enforce),
	};
	int r;

	cmocka_set_message_output(CM_OUTPUT_TAP);
	if (kernel_boot() < 0)
		return 1;
	r = cmocka_run_group_tests(tests, setup, teardown);
	kernel_shutdown();
	return r;
}

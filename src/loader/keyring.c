// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The trusted keyring for module signatures (--keyring): X.509
 * certificates read with OpenSSL from a DER file (possibly several
 * certificates back to back, like the kernel's system_certificates), a
 * PEM file (every CERTIFICATE block; other blocks such as the private key
 * in kbuild's signing_key.pem are skipped), or every regular file of a
 * directory.  A key in the keyring is trusted directly, as Linux trusts
 * the builtin and secondary keyrings: no CA chain and no validity dates.
 *
 * A file is taken whole or not at all.  Given a file, any problem fails
 * keyring_load(); in a directory a file that holds no certificate (or a
 * broken one) is skipped with a log line, and only a directory that
 * yields nothing fails.  The same certificate loaded twice counts once.
 *
 * The keyring is read by pkcs7.c (keyring_find) from any thread; a mutex
 * keeps loading and lookups apart.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "kernel/printk.h"
#include "loader/keyring.h"

/* Certificates are small; anything bigger in a directory is not one. */
#define KEYRING_MAX_FILE (16u << 20)

static pthread_mutex_t keyring_lock = PTHREAD_MUTEX_INITIALIZER;
static STACK_OF(X509) *keyring;	/* under keyring_lock */

unsigned int keyring_count(void)
{
	unsigned int n;

	pthread_mutex_lock(&keyring_lock);
	n = keyring ? (unsigned int)sk_X509_num(keyring) : 0;
	pthread_mutex_unlock(&keyring_lock);
	return n;
}

/* ---- lookup ---- */

static bool name_equal(const X509_NAME *a, const X509_NAME *b)
{
	const unsigned char *da, *db;
	size_t la, lb;

	/* the raw encodings, as Linux compares its key ids */
	if (!X509_NAME_get0_der(a, &da, &la) || !X509_NAME_get0_der(b, &db, &lb))
		return false;
	return la == lb && !memcmp(da, db, la);
}

static bool skid_equal(X509 *x, const ASN1_OCTET_STRING *skid)
{
	const ASN1_OCTET_STRING *own = X509_get0_subject_key_id(x);

	return own && !ASN1_OCTET_STRING_cmp(own, skid);
}

X509 *keyring_find(const X509_NAME *issuer, const ASN1_INTEGER *serial,
		   const ASN1_OCTET_STRING *skid)
{
	X509 *found = NULL;
	int i;

	if (!(issuer && serial) && !skid)
		return NULL;
	pthread_mutex_lock(&keyring_lock);
	for (i = 0; keyring && i < sk_X509_num(keyring) && !found; i++) {
		X509 *x = sk_X509_value(keyring, i);

		if (issuer && serial) {
			if (ASN1_INTEGER_cmp(X509_get0_serialNumber(x), serial) ||
			    !name_equal(X509_get_issuer_name(x), issuer))
				continue;
			/* with both ids given, both must match */
			if (skid && !skid_equal(x, skid))
				continue;
		} else if (!skid_equal(x, skid)) {
			continue;
		}
		if (X509_up_ref(x))
			found = x;
	}
	pthread_mutex_unlock(&keyring_lock);
	return found;
}

/* ---- loading ---- */

/* The last value of attribute nid in name, raw (Linux's x509 parser). */
static const ASN1_STRING *name_part(const X509_NAME *name, int nid)
{
	int i = -1, last = -1;

	while ((i = X509_NAME_get_index_by_NID(name, nid, i)) >= 0)
		last = i;
	return last < 0 ? NULL : X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, last));
}

/*
 * The key description Linux logs: the subject made of O and CN as
 * x509_fabricate_name() does (CN alone when it starts like O), then the
 * raw subject key id in hex, or the raw serial number without one.
 */
static void describe(X509 *x, char *buf, size_t size)
{
	const X509_NAME *subj = X509_get_subject_name(x);
	const ASN1_STRING *cn = name_part(subj, NID_commonName);
	const ASN1_STRING *o = name_part(subj, NID_organizationName);
	const ASN1_STRING *email = name_part(subj, NID_pkcs9_emailAddress);
	const ASN1_STRING *one = NULL;
	const ASN1_OCTET_STRING *skid = X509_get0_subject_key_id(x);
	unsigned char *der = NULL;
	const unsigned char *id;
	int n = 0, idlen;

	if (cn && o) {
		int cl = ASN1_STRING_length(cn), ol = ASN1_STRING_length(o);
		const unsigned char *cd = ASN1_STRING_get0_data(cn), *od = ASN1_STRING_get0_data(o);

		if ((cl >= ol && !memcmp(cd, od, (size_t)ol)) ||
		    (cl >= 7 && ol >= 7 && !memcmp(cd, od, 7)))
			one = cn;
		else
			n = snprintf(buf, size, "%.*s: %.*s", ol, (const char *)od,
				     cl, (const char *)cd);
	} else {
		one = cn ? cn : o ? o : email;
	}
	if (one)
		n = snprintf(buf, size, "%.*s", ASN1_STRING_length(one),
			     (const char *)ASN1_STRING_get0_data(one));
	if (n < 0 || (size_t)n >= size)
		return;

	if (skid) {
		id = ASN1_STRING_get0_data(skid);
		idlen = ASN1_STRING_length(skid);
	} else {
		/* the INTEGER's content octets, sign byte included */
		int len = i2d_ASN1_INTEGER(X509_get0_serialNumber(x), &der);
		int hdr = len > 1 && (der[1] & 0x80) ? 2 + (der[1] & 0x7f) : 2;

		if (len < hdr) {
			OPENSSL_free(der);
			return;
		}
		id = der + hdr;
		idlen = len - hdr;
	}
	if ((size_t)n + 2 + 2 * (size_t)idlen < size) {
		static const char hex[] = "0123456789abcdef";
		char *p = buf + n;
		int i;

		*p++ = ':';
		*p++ = ' ';
		for (i = 0; i < idlen; i++) {
			*p++ = hex[id[i] >> 4];
			*p++ = hex[id[i] & 15];
		}
		*p = '\0';
	}
	OPENSSL_free(der);
}

/* Linux refuses a self-signed certificate whose self-signature is bad. */
static int check_cert(X509 *x)
{
	EVP_PKEY *pkey = X509_get0_pubkey(x);

	if (!pkey)
		return -ENOPKG;
	if ((X509_get_extension_flags(x) & EXFLAG_SS) && X509_verify(x, pkey) == 0)
		return -EKEYREJECTED;
	return 0;
}

static int no_password(char *buf, int size, int rwflag, void *u)
{
	(void)buf, (void)size, (void)rwflag, (void)u;
	return -1;
}

/* Every certificate in buf into certs: 0, -ENOKEY (none) or -EBADMSG. */
static int parse_certs(const unsigned char *buf, size_t len, STACK_OF(X509) *certs)
{
	if (len && buf[0] == 0x30) {
		/* DER: one certificate or several back to back */
		const unsigned char *p = buf, *end = buf + len;

		while (p < end) {
			X509 *x = d2i_X509(NULL, &p, end - p);

			if (!x || !sk_X509_push(certs, x)) {
				X509_free(x);
				return -EBADMSG;
			}
		}
		return 0;
	}

	BIO *bio = BIO_new_mem_buf(buf, len > INT_MAX ? INT_MAX : (int)len);
	int err = 0;

	if (!bio)
		return -ENOMEM;
	for (;;) {
		X509 *x = PEM_read_bio_X509(bio, NULL, no_password, NULL);
		unsigned long e;

		if (!x) {
			/* the end: no further BEGIN line */
			e = ERR_peek_last_error();
			if (ERR_GET_LIB(e) != ERR_LIB_PEM || ERR_GET_REASON(e) != PEM_R_NO_START_LINE)
				err = -EBADMSG;
			break;
		}
		if (!sk_X509_push(certs, x)) {
			X509_free(x);
			err = -ENOMEM;
			break;
		}
	}
	BIO_free(bio);
	if (!err && !sk_X509_num(certs))
		err = -ENOKEY;
	return err;
}

static int read_whole(const char *path, unsigned char **bufp, size_t *lenp)
{
	struct stat st;
	unsigned char *buf;
	size_t done = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), err = 0;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		err = -errno;
	} else if (!S_ISREG(st.st_mode)) {
		err = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	} else if ((unsigned long long)st.st_size > KEYRING_MAX_FILE) {
		err = -EFBIG;
	}
	if (err) {
		close(fd);
		return err;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, (size_t)st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	close(fd);
	if (err) {
		free(buf);
		return err;
	}
	*bufp = buf;
	*lenp = done;
	return 0;
}

static const char *load_error(int err)
{
	switch (err) {
	case -ENOKEY:
		return "no X.509 certificate";
	case -EBADMSG:
		return "malformed certificate";
	case -ENOPKG:
		return "certificate with an unsupported public key";
	case -EKEYREJECTED:
		return "self-signed certificate whose signature does not verify";
	case -EFBIG:
		return "too large for a certificate file";
	default:
		return strerror(-err);
	}
}

/*
 * Load one file: all its certificates, or (returning -errno, not
 * logged) none.  *added counts the new ones.
 */
static int load_file(const char *path, unsigned int *added)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	unsigned char *buf = NULL;
	size_t len = 0;
	int i, err;

	if (!certs)
		return -ENOMEM;
	err = read_whole(path, &buf, &len);
	if (!err)
		err = parse_certs(buf, len, certs);
	for (i = 0; !err && i < sk_X509_num(certs); i++)
		err = check_cert(sk_X509_value(certs, i));
	free(buf);
	ERR_clear_error();

	pthread_mutex_lock(&keyring_lock);
	if (!err && !keyring && !(keyring = sk_X509_new_null()))
		err = -ENOMEM;
	while (!err && sk_X509_num(certs) > 0) {
		X509 *x = sk_X509_shift(certs);
		char desc[256];
		bool dup = false;
		int j;

		for (j = 0; j < sk_X509_num(keyring) && !dup; j++)
			dup = !X509_cmp(sk_X509_value(keyring, j), x);
		if (dup) {
			X509_free(x);
			continue;
		}
		if (!sk_X509_push(keyring, x)) {
			X509_free(x);
			err = -ENOMEM;
			break;
		}
		(*added)++;
		desc[0] = '\0';
		describe(x, desc, sizeof(desc));
		pr_notice("Loaded X.509 cert '%s'\n", desc);
	}
	pthread_mutex_unlock(&keyring_lock);
	sk_X509_pop_free(certs, X509_free);
	ERR_clear_error();
	return err;
}

static int filter_dots(const struct dirent *d)
{
	return strcmp(d->d_name, ".") && strcmp(d->d_name, "..");
}

static int load_dir(const char *path, unsigned int *added)
{
	struct dirent **names;
	unsigned int found = 0;
	int i, n, err;

	n = scandir(path, &names, filter_dots, alphasort);
	if (n < 0) {
		err = -errno;
		pr_err("keyring: %s: %s\n", path, strerror(-err));
		return err;
	}
	for (i = 0; i < n; i++) {
		char *file = NULL;
		struct stat st;

		if (asprintf(&file, "%s/%s", path, names[i]->d_name) < 0) {
			file = NULL;
			err = -ENOMEM;
		} else if (stat(file, &st) < 0 || !S_ISREG(st.st_mode)) {
			err = 0;	/* not a regular file: not ours */
		} else {
			err = load_file(file, added);
			if (err)
				pr_warn("keyring: %s: %s, skipped\n", file, load_error(err));
			else
				found++;	/* even if all were duplicates */
		}
		free(file);
		free(names[i]);
		if (err == -ENOMEM) {
			while (++i < n)
				free(names[i]);
			free(names);
			pr_err("keyring: %s: %s\n", path, strerror(ENOMEM));
			return -ENOMEM;
		}
	}
	free(names);
	if (!found) {
		pr_err("keyring: %s: no X.509 certificate in the directory\n", path);
		return -ENOKEY;
	}
	return 0;
}

int keyring_load(const char *path)
{
	unsigned int added = 0;
	struct stat st;
	int err;

	if (stat(path, &st) < 0) {
		err = -errno;
		pr_err("keyring: %s: %s\n", path, strerror(-err));
		return err;
	}
	if (S_ISDIR(st.st_mode))
		return load_dir(path, &added);
	err = load_file(path, &added);
	if (err)
		pr_err("keyring: %s: %s\n", path, load_error(err));
	return err;
}

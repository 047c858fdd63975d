// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Module signatures: a detached PKCS#7 (CMS) SignedData, checked with
 * OpenSSL the way Linux 6.1's verify_pkcs7_signature() checks it for
 * VERIFYING_MODULE_SIGNATURE (facts §1), in the same three steps:
 *
 *  1. parse (pkcs7_parser.c): signedData with id-data (or Authenticode)
 *     content, the signers' digest and public-key algorithms among those
 *     Linux knows, authenticated attributes as Linux allows them;
 *  2. pkcs7_verify (pkcs7_verify.c): no embedded data, id-data, no
 *     authenticated attributes; digest the module; a signer whose
 *     certificate travels in the message is verified against it, and the
 *     certificates in the message that sign each other are chained;
 *  3. trust (pkcs7_trust.c): walk that chain, or else take the signer id
 *     (issuer+serial, or subject key id for sign-file -k), to a key in
 *     the keyring (keyring.c), and verify with the keyring's copy.
 *
 * Results as Linux's: -EBADMSG malformed, -EINVAL unsupported message
 * type, -ENOPKG unsupported algorithm, -ENOKEY no trusted key,
 * -EKEYREJECTED a signature that does not verify or a message a module
 * signature must not be, -EMSGSIZE a blob over 64 KiB (Linux's ASN.1
 * decoder limit).  The messages are Linux's; "%u" in them is Linux's
 * enum OID number, so the table below is 6.1's oid_registry.h.
 *
 * Validity dates are not checked (Linux does not for module keys), nor
 * key usage.  Beyond Linux: ECDSA keys verify with OpenSSL even though
 * Debian's kernel has no ECDSA; SM2 and EC-RDSA signatures, which Linux
 * parses, are unsupported crypto (-ENOPKG), as are md4 and streebog
 * digests, which OpenSSL 3's default provider lacks.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "kernel/printk.h"
#include "loader/keyring.h"
#include "loader/signature.h"

/* Linux 6.1's enum OID, in order (include/linux/oid_registry.h). */
#define LINUX_OIDS(X) \
	X(id_dsa_with_sha1, "1.2.840.10030.4.3") \
	X(id_dsa, "1.2.840.10040.4.1") \
	X(id_ecPublicKey, "1.2.840.10045.2.1") \
	X(id_prime192v1, "1.2.840.10045.3.1.1") \
	X(id_prime256v1, "1.2.840.10045.3.1.7") \
	X(id_ecdsa_with_sha1, "1.2.840.10045.4.1") \
	X(id_ecdsa_with_sha224, "1.2.840.10045.4.3.1") \
	X(id_ecdsa_with_sha256, "1.2.840.10045.4.3.2") \
	X(id_ecdsa_with_sha384, "1.2.840.10045.4.3.3") \
	X(id_ecdsa_with_sha512, "1.2.840.10045.4.3.4") \
	X(rsaEncryption, "1.2.840.113549.1.1.1") \
	X(md2WithRSAEncryption, "1.2.840.113549.1.1.2") \
	X(md3WithRSAEncryption, "1.2.840.113549.1.1.3") \
	X(md4WithRSAEncryption, "1.2.840.113549.1.1.4") \
	X(sha1WithRSAEncryption, "1.2.840.113549.1.1.5") \
	X(sha256WithRSAEncryption, "1.2.840.113549.1.1.11") \
	X(sha384WithRSAEncryption, "1.2.840.113549.1.1.12") \
	X(sha512WithRSAEncryption, "1.2.840.113549.1.1.13") \
	X(sha224WithRSAEncryption, "1.2.840.113549.1.1.14") \
	X(data, "1.2.840.113549.1.7.1") \
	X(signed_data, "1.2.840.113549.1.7.2") \
	X(email_address, "1.2.840.113549.1.9.1") \
	X(contentType, "1.2.840.113549.1.9.3") \
	X(messageDigest, "1.2.840.113549.1.9.4") \
	X(signingTime, "1.2.840.113549.1.9.5") \
	X(smimeCapabilites, "1.2.840.113549.1.9.15") \
	X(smimeAuthenticatedAttrs, "1.2.840.113549.1.9.16.2.11") \
	X(md2, "1.2.840.113549.2.2") \
	X(md4, "1.2.840.113549.2.4") \
	X(md5, "1.2.840.113549.2.5") \
	X(mskrb5, "1.2.840.48018.1.2.2") \
	X(krb5, "1.2.840.113554.1.2.2") \
	X(krb5u2u, "1.2.840.113554.1.2.2.3") \
	X(msIndirectData, "1.3.6.1.4.1.311.2.1.4") \
	X(msStatementType, "1.3.6.1.4.1.311.2.1.11") \
	X(msSpOpusInfo, "1.3.6.1.4.1.311.2.1.12") \
	X(msPeImageDataObjId, "1.3.6.1.4.1.311.2.1.15") \
	X(msIndividualSPKeyPurpose, "1.3.6.1.4.1.311.2.1.21") \
	X(msOutlookExpress, "1.3.6.1.4.1.311.16.4") \
	X(ntlmssp, "1.3.6.1.4.1.311.2.2.10") \
	X(spnego, "1.3.6.1.5.5.2") \
	X(IAKerb, "1.3.6.1.5.2.5") \
	X(PKU2U, "1.3.5.1.5.2.7") \
	X(Scram, "1.3.6.1.5.5.14") \
	X(certAuthInfoAccess, "1.3.6.1.5.5.7.1.1") \
	X(sha1, "1.3.14.3.2.26") \
	X(id_ansip384r1, "1.3.132.0.34") \
	X(sha256, "2.16.840.1.101.3.4.2.1") \
	X(sha384, "2.16.840.1.101.3.4.2.2") \
	X(sha512, "2.16.840.1.101.3.4.2.3") \
	X(sha224, "2.16.840.1.101.3.4.2.4") \
	X(commonName, "2.5.4.3") \
	X(surname, "2.5.4.4") \
	X(countryName, "2.5.4.6") \
	X(locality, "2.5.4.7") \
	X(stateOrProvinceName, "2.5.4.8") \
	X(organizationName, "2.5.4.10") \
	X(organizationUnitName, "2.5.4.11") \
	X(title, "2.5.4.12") \
	X(description, "2.5.4.13") \
	X(name, "2.5.4.41") \
	X(givenName, "2.5.4.42") \
	X(initials, "2.5.4.43") \
	X(generationalQualifier, "2.5.4.44") \
	X(subjectKeyIdentifier, "2.5.29.14") \
	X(keyUsage, "2.5.29.15") \
	X(subjectAltName, "2.5.29.17") \
	X(issuerAltName, "2.5.29.18") \
	X(basicConstraints, "2.5.29.19") \
	X(crlDistributionPoints, "2.5.29.31") \
	X(certPolicies, "2.5.29.32") \
	X(authorityKeyIdentifier, "2.5.29.35") \
	X(extKeyUsage, "2.5.29.37") \
	X(NetlogonMechanism, "1.2.752.43.14.2") \
	X(appleLocalKdcSupported, "1.2.752.43.14.3") \
	X(gostCPSignA, "1.2.643.2.2.35.1") \
	X(gostCPSignB, "1.2.643.2.2.35.2") \
	X(gostCPSignC, "1.2.643.2.2.35.3") \
	X(gost2012PKey256, "1.2.643.7.1.1.1.1") \
	X(gost2012PKey512, "1.2.643.7.1.1.1.2") \
	X(gost2012Digest256, "1.2.643.7.1.1.2.2") \
	X(gost2012Digest512, "1.2.643.7.1.1.2.3") \
	X(gost2012Signature256, "1.2.643.7.1.1.3.2") \
	X(gost2012Signature512, "1.2.643.7.1.1.3.3") \
	X(gostTC26Sign256A, "1.2.643.7.1.2.1.1.1") \
	X(gostTC26Sign256B, "1.2.643.7.1.2.1.1.2") \
	X(gostTC26Sign256C, "1.2.643.7.1.2.1.1.3") \
	X(gostTC26Sign256D, "1.2.643.7.1.2.1.1.4") \
	X(gostTC26Sign512A, "1.2.643.7.1.2.1.2.1") \
	X(gostTC26Sign512B, "1.2.643.7.1.2.1.2.2") \
	X(gostTC26Sign512C, "1.2.643.7.1.2.1.2.3") \
	X(sm2, "1.2.156.10197.1.301") \
	X(sm3, "1.2.156.10197.1.401") \
	X(SM2_with_SM3, "1.2.156.10197.1.501") \
	X(sm3WithRSAEncryption, "1.2.156.10197.1.504") \
	X(TPMLoadableKey, "2.23.133.10.1.3") \
	X(TPMImportableKey, "2.23.133.10.1.4") \
	X(TPMSealedData, "2.23.133.10.1.5")

enum linux_oid {
#define X(name, text) OID_##name,
	LINUX_OIDS(X)
#undef X
	OID__NR
};

static const char *const oid_text[OID__NR] = {
#define X(name, text) [OID_##name] = text,
	LINUX_OIDS(X)
#undef X
};

/* look_up_OID(): Linux's number for an OID, OID__NR if it has none. */
static enum linux_oid look_up_oid(const ASN1_OBJECT *obj)
{
	char buf[128];
	int n, i;

	if (!obj)
		return OID__NR;
	n = OBJ_obj2txt(buf, sizeof(buf), obj, 1);
	if (n <= 0 || n >= (int)sizeof(buf))
		return OID__NR;
	for (i = 0; i < OID__NR; i++)
		if (!strcmp(buf, oid_text[i]))
			return (enum linux_oid)i;
	return OID__NR;
}

/* The message's certificates that chain up from a signer's. */
#define MAX_CHAIN 16

enum pkey_kind { PKEY_RSA, PKEY_ECDSA, PKEY_UNSUPPORTED };

struct sinfo {
	CMS_SignerInfo *si;
	unsigned int index;		/* 1-based, as Linux counts */
	/* signer id: issuer and serial, or subject key id */
	X509_NAME *issuer;
	ASN1_INTEGER *serial;
	ASN1_OCTET_STRING *skid;
	const char *hash;		/* OpenSSL's name; NULL: none in OpenSSL */
	enum pkey_kind pkey;
	bool authattrs;
	bool unsupported;		/* no crypto for it (-ENOPKG) */
	EVP_MD *md;
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int digest_len;
	X509 *chain[MAX_CHAIN];		/* [0]: the signer's certificate from the
					 * message, then whatever signed it */
	unsigned int chain_len;
	bool chain_rooted;		/* it ends with a self-signed certificate */
};

struct pkcs7_message {
	CMS_ContentInfo *cms;
	enum linux_oid data_type;
	STACK_OF(X509) *certs;		/* carried in the message, or NULL */
	struct sinfo *sinfos;
	int nr_sinfos;
	bool have_authattrs;
};

static bool name_equal(const X509_NAME *a, const X509_NAME *b)
{
	const unsigned char *da, *db;
	size_t la, lb;

	if (!a || !b || !X509_NAME_get0_der(a, &da, &la) || !X509_NAME_get0_der(b, &db, &lb))
		return false;
	return la == lb && !memcmp(da, db, la);
}

static bool skid_equal(X509 *x, const ASN1_OCTET_STRING *skid)
{
	const ASN1_OCTET_STRING *own = X509_get0_subject_key_id(x);

	return own && skid && !ASN1_OCTET_STRING_cmp(own, skid);
}

static bool is_issuer_serial(X509 *x, const X509_NAME *issuer, const ASN1_INTEGER *serial)
{
	return issuer && serial && !ASN1_INTEGER_cmp(X509_get0_serialNumber(x), serial) &&
	       name_equal(X509_get_issuer_name(x), issuer);
}

/* The directoryName in a certificate's authorityKeyIdentifier. */
static const X509_NAME *akid_issuer(X509 *x)
{
	const GENERAL_NAMES *names = X509_get0_authority_issuer(x);
	const X509_NAME *name = NULL;
	int i;

	for (i = 0; i < sk_GENERAL_NAME_num(names); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);

		if (g->type == GEN_DIRNAME)
			name = g->d.directoryName;
	}
	return name;
}

static unsigned int cert_index(const struct pkcs7_message *m, const X509 *x)
{
	int i;

	for (i = 0; i < sk_X509_num(m->certs); i++)
		if (sk_X509_value(m->certs, i) == x)
			return (unsigned int)i + 1;
	return 0;
}

/* x509_check_for_self_signed(): a bad self-signature fails the parse. */
static int check_cert(X509 *x)
{
	EVP_PKEY *pkey = X509_get0_pubkey(x);

	if (!pkey)
		return -ENOPKG;
	if ((X509_get_extension_flags(x) & EXFLAG_SS) && X509_verify(x, pkey) == 0)
		return -EKEYREJECTED;
	return 0;
}

/* ---- 1. parsing (pkcs7_parser.c) ---- */

/* pkcs7_sig_note_authenticated_attr() and pkcs7_sig_note_set_of_authattrs() */
static int check_authattrs(const struct pkcs7_message *m, struct sinfo *s)
{
	enum { HAS_CT = 1, HAS_TIME = 2, HAS_MD = 4, HAS_CAPS = 8, HAS_OPUS = 16, HAS_STMT = 32 };
	bool authenticode = m->data_type == OID_msIndirectData;
	int i, j, n = CMS_signed_get_attr_count(s->si);
	unsigned int seen = 0;

	if (n < 0)
		return 0;	/* none */
	for (i = 0; i < n; i++) {
		X509_ATTRIBUTE *a = CMS_signed_get_attr(s->si, i);
		enum linux_oid type = look_up_oid(X509_ATTRIBUTE_get0_object(a));

		for (j = 0; j < X509_ATTRIBUTE_count(a); j++) {
			ASN1_TYPE *v = X509_ATTRIBUTE_get0_type(a, j);
			unsigned int bit;

			switch (type) {
			case OID_contentType:
				bit = HAS_CT;
				break;
			case OID_signingTime:
				bit = HAS_TIME;
				break;
			case OID_messageDigest:
				bit = HAS_MD;
				break;
			case OID_smimeCapabilites:
				bit = HAS_CAPS;
				break;
			case OID_msSpOpusInfo:
				bit = HAS_OPUS;
				break;
			case OID_msStatementType:
				bit = HAS_STMT;
				break;
			default:
				continue;
			}
			/* one value per attribute, no repeats */
			if (seen & bit) {
				pr_warn("PKCS7: Repeated/multivalue AuthAttrs not permitted\n");
				return -EKEYREJECTED;
			}
			seen |= bit;
			switch (type) {
			case OID_contentType: {
				enum linux_oid ct = v && v->type == V_ASN1_OBJECT
						    ? look_up_oid(v->value.object) : OID__NR;

				if (ct != m->data_type) {
					/* s->index is still 0 here in Linux */
					pr_warn("PKCS7: Mismatch between global data type (%d) and sinfo %u (%d)\n",
						m->data_type, 0u, ct);
					return -EBADMSG;
				}
				break;
			}
			case OID_messageDigest:
				if (!v || v->type != V_ASN1_OCTET_STRING)
					return -EBADMSG;
				break;
			case OID_smimeCapabilites:
				if (!authenticode) {
					pr_warn("PKCS7: S/MIME Caps only allowed with Authenticode\n");
					return -EKEYREJECTED;
				}
				break;
			case OID_msSpOpusInfo:
			case OID_msStatementType:
				if (!authenticode) {
					pr_warn("PKCS7: Authenticode AuthAttrs only allowed with Authenticode\n");
					return -EKEYREJECTED;
				}
				break;
			default:
				break;
			}
		}
	}
	if (!(seen & HAS_CT) || !(seen & HAS_MD)) {
		pr_warn("PKCS7: Missing required AuthAttr\n");
		return -EBADMSG;
	}
	s->authattrs = true;
	return 0;
}

/* A SignerInfo, its fields in their order in the message. */
static int parse_signer(const struct pkcs7_message *m, struct sinfo *s, unsigned int index)
{
	X509_ALGOR *dig, *alg;
	const ASN1_OBJECT *obj;
	enum linux_oid oid;
	int err;

	if (!CMS_SignerInfo_get0_signer_id(s->si, &s->skid, &s->issuer, &s->serial))
		return -EBADMSG;
	CMS_SignerInfo_get0_algs(s->si, NULL, NULL, &dig, &alg);

	X509_ALGOR_get0(&obj, NULL, NULL, dig);
	switch ((oid = look_up_oid(obj))) {
	case OID_md4:
		s->hash = "MD4";
		break;
	case OID_md5:
		s->hash = "MD5";
		break;
	case OID_sha1:
		s->hash = "SHA1";
		break;
	case OID_sha256:
		s->hash = "SHA256";
		break;
	case OID_sha384:
		s->hash = "SHA384";
		break;
	case OID_sha512:
		s->hash = "SHA512";
		break;
	case OID_sha224:
		s->hash = "SHA224";
		break;
	case OID_sm3:
		s->hash = "SM3";
		break;
	case OID_gost2012Digest256:
	case OID_gost2012Digest512:
		s->hash = NULL;	/* streebog: Linux has it, OpenSSL does not */
		break;
	default:
		printk("Unsupported digest algo: %u\n", (unsigned int)oid);
		return -ENOPKG;
	}

	if ((err = check_authattrs(m, s)))
		return err;

	X509_ALGOR_get0(&obj, NULL, NULL, alg);
	switch ((oid = look_up_oid(obj))) {
	case OID_rsaEncryption:
		s->pkey = PKEY_RSA;
		break;
	case OID_id_ecdsa_with_sha1:
	case OID_id_ecdsa_with_sha224:
	case OID_id_ecdsa_with_sha256:
	case OID_id_ecdsa_with_sha384:
	case OID_id_ecdsa_with_sha512:
		s->pkey = PKEY_ECDSA;
		break;
	case OID_SM2_with_SM3:
	case OID_gost2012PKey256:
	case OID_gost2012PKey512:
		s->pkey = PKEY_UNSUPPORTED;
		break;
	default:
		printk("Unsupported pkey algo: %u\n", (unsigned int)oid);
		return -ENOPKG;
	}

	/* pkcs7_note_signed_info() */
	if (m->data_type == OID_msIndirectData && !s->authattrs) {
		pr_warn("PKCS7: Authenticode requires AuthAttrs\n");
		return -EBADMSG;
	}
	s->index = index;
	return 0;
}

/*
 * pkcs7_check_content_type(): Linux looks at the outer content type
 * before it parses the content, so a message of another type is refused
 * for its type even when its content would not parse as SignedData.
 */
static int check_content_type(const uint8_t *sig, size_t sig_len)
{
	const unsigned char *p = sig;
	ASN1_OBJECT *obj;
	enum linux_oid oid;
	long len;
	int tag, xclass, r;

	r = ASN1_get_object(&p, &len, &tag, &xclass, (long)sig_len);
	if ((r & 0x80) || !(r & V_ASN1_CONSTRUCTED) || tag != V_ASN1_SEQUENCE ||
	    xclass != V_ASN1_UNIVERSAL)
		return -EBADMSG;
	obj = d2i_ASN1_OBJECT(NULL, &p, (long)(sig_len - (size_t)(p - sig)));
	if (!obj)
		return -EBADMSG;
	oid = look_up_oid(obj);
	ASN1_OBJECT_free(obj);
	if (oid != OID_signed_data) {
		pr_warn("PKCS7: Only support pkcs7_signedData type\n");
		return -EINVAL;
	}
	return 0;
}

static int pkcs7_parse_message(struct pkcs7_message *m, const uint8_t *sig, size_t sig_len)
{
	const unsigned char *p = sig;
	STACK_OF(CMS_SignerInfo) *sis;
	int i, err;

	/* asn1_ber_decoder() takes no more; bytes after the message are ignored */
	if (sig_len > 65535)
		return -EMSGSIZE;
	if ((err = check_content_type(sig, sig_len)))
		return err;
	m->cms = d2i_CMS_ContentInfo(NULL, &p, (long)sig_len);
	if (!m->cms)
		return -EBADMSG;
	if (OBJ_obj2nid(CMS_get0_type(m->cms)) != NID_pkcs7_signed) {
		pr_warn("PKCS7: Only support pkcs7_signedData type\n");
		return -EINVAL;
	}
	m->data_type = look_up_oid(CMS_get0_eContentType(m->cms));
	if (m->data_type != OID_data && m->data_type != OID_msIndirectData) {
		pr_warn("PKCS7: Unsupported data type %d\n", m->data_type);
		return -EINVAL;
	}

	m->certs = CMS_get1_certs(m->cms);
	for (i = 0; i < sk_X509_num(m->certs); i++)
		if ((err = check_cert(sk_X509_value(m->certs, i))))
			return err;

	sis = CMS_get0_SignerInfos(m->cms);
	m->nr_sinfos = sk_CMS_SignerInfo_num(sis);
	if (m->nr_sinfos > 0) {
		m->sinfos = calloc((size_t)m->nr_sinfos, sizeof(*m->sinfos));
		if (!m->sinfos)
			return -ENOMEM;
	}
	for (i = 0; i < m->nr_sinfos; i++) {
		m->sinfos[i].si = sk_CMS_SignerInfo_value(sis, i);
		if ((err = parse_signer(m, &m->sinfos[i], (unsigned int)i + 1)))
			return err;
	}

	/* pkcs7_check_authattrs(): all signers with them or none */
	if (m->nr_sinfos <= 0)
		goto inconsistent;
	m->have_authattrs = m->sinfos[0].authattrs;
	for (i = 1; i < m->nr_sinfos; i++)
		if (m->sinfos[i].authattrs != m->have_authattrs)
			goto inconsistent;
	return 0;

inconsistent:
	pr_warn("PKCS7: Inconsistently supplied authAttrs\n");
	return -EINVAL;
}

/* ---- 2. verification against the message itself (pkcs7_verify.c) ---- */

/* public_key_verify_signature() of the signer's signature with pkey */
static int verify_signed_info(const struct sinfo *s, EVP_PKEY *pkey)
{
	const ASN1_OCTET_STRING *sig = CMS_SignerInfo_get0_signature(s->si);
	EVP_PKEY_CTX *ctx;
	bool ok;

	/* the signature's key type must be the key's */
	if (!pkey || !EVP_PKEY_is_a(pkey, s->pkey == PKEY_RSA ? "RSA" : "EC"))
		return -EKEYREJECTED;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	if (!ctx)
		return -ENOMEM;
	ok = EVP_PKEY_verify_init(ctx) > 0 &&
	     (s->pkey != PKEY_RSA || EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0) &&
	     EVP_PKEY_CTX_set_signature_md(ctx, s->md) > 0 &&
	     EVP_PKEY_verify(ctx, ASN1_STRING_get0_data(sig), (size_t)ASN1_STRING_length(sig),
			     s->digest, s->digest_len) == 1;
	EVP_PKEY_CTX_free(ctx);
	return ok ? 0 : -EKEYREJECTED;
}

/* A certificate's signature by the holder of key. */
static int verify_cert(X509 *x, X509 *key)
{
	return X509_verify(x, X509_get0_pubkey(key)) == 1 ? 0 : -EKEYREJECTED;
}

/* pkcs7_verify_sig_chain(): certificates in the message signing each other */
static int build_chain(const struct pkcs7_message *m, struct sinfo *s)
{
	for (;;) {
		X509 *x = s->chain[s->chain_len - 1], *p = NULL;
		const ASN1_OCTET_STRING *keyid = X509_get0_authority_key_id(x);
		const X509_NAME *name = akid_issuer(x);
		const ASN1_INTEGER *serial = X509_get0_authority_serial(x);
		unsigned int i;
		int j, err;

		if (X509_get_extension_flags(x) & EXFLAG_SS) {
			s->chain_rooted = true;
			return 0;
		}
		if (name && serial) {
			for (j = 0; j < sk_X509_num(m->certs) && !p; j++)
				if (is_issuer_serial(sk_X509_value(m->certs, j), name, serial))
					p = sk_X509_value(m->certs, j);
			if (p && keyid && !skid_equal(p, keyid)) {
				pr_warn("PKCS7: Sig %u: X.509 chain contains auth-skid nonmatch (%u->%u)\n",
					s->index, cert_index(m, x), cert_index(m, p));
				return -EKEYREJECTED;
			}
		} else if (keyid) {
			for (j = 0; j < sk_X509_num(m->certs) && !p; j++)
				if (skid_equal(sk_X509_value(m->certs, j), keyid))
					p = sk_X509_value(m->certs, j);
		}
		if (!p)
			return 0;	/* the top of what the message holds */
		for (i = 0; i < s->chain_len; i++) {
			if (s->chain[i] == p) {
				pr_warn("PKCS7: Sig %u: X.509 chain contains loop\n", s->index);
				return 0;
			}
		}
		if ((err = verify_cert(x, p)))
			return err;
		if (s->chain_len == MAX_CHAIN)
			return 0;
		s->chain[s->chain_len++] = p;
	}
}

/* pkcs7_verify_one() */
static int verify_one(const struct pkcs7_message *m, struct sinfo *s,
		      const uint8_t *data, size_t len)
{
	X509 *signer = NULL;
	int i, err;

	/* pkcs7_digest(): an unavailable hash is unsupported crypto */
	if (!s->hash || !(s->md = EVP_MD_fetch(NULL, s->hash, NULL)))
		return -ENOPKG;
	if (!EVP_Digest(data, len, s->digest, &s->digest_len, s->md, NULL))
		return -ENOMEM;
	if (s->pkey == PKEY_UNSUPPORTED)
		return -ENOPKG;

	/* pkcs7_find_key(): in the message, by issuer and serial */
	for (i = 0; i < sk_X509_num(m->certs) && !signer; i++)
		if (is_issuer_serial(sk_X509_value(m->certs, i), s->issuer, s->serial))
			signer = sk_X509_value(m->certs, i);
	if (!signer)
		return 0;	/* perhaps in the keyring */
	if ((err = verify_signed_info(s, X509_get0_pubkey(signer))))
		return err;
	s->chain[0] = signer;
	s->chain_len = 1;
	return build_chain(m, s);
}

static int pkcs7_verify(struct pkcs7_message *m, const uint8_t *data, size_t len)
{
	int i, err, actual = -ENOPKG;

	/* VERIFYING_MODULE_SIGNATURE */
	if (m->data_type != OID_data) {
		pr_warn("PKCS7: Invalid module sig (not pkcs7-data)\n");
		return -EKEYREJECTED;
	}
	if (m->have_authattrs) {
		pr_warn("PKCS7: Invalid module sig (has authattrs)\n");
		return -EKEYREJECTED;
	}
	for (i = 0; i < m->nr_sinfos; i++) {
		err = verify_one(m, &m->sinfos[i], data, len);
		if (err == -ENOPKG) {
			m->sinfos[i].unsupported = true;
			continue;
		}
		if (err)
			return err;
		actual = 0;
	}
	return actual;
}

/* ---- 3. trust (pkcs7_trust.c) ---- */

/* pkcs7_validate_trust_one() */
static int validate_trust_one(struct sinfo *s)
{
	X509 *key = NULL, *last = NULL;
	unsigned int i;
	int err;

	if (s->unsupported)
		return -ENOPKG;

	/* a certificate of the chain that the keyring holds too */
	for (i = 0; i < s->chain_len; i++) {
		X509 *x = s->chain[i];

		key = keyring_find(X509_get_issuer_name(x), X509_get0_serialNumber(x),
				   X509_get0_subject_key_id(x));
		if (key) {
			/* the keyring's copy must verify what x signed */
			err = i ? verify_cert(s->chain[i - 1], key)
				: verify_signed_info(s, X509_get0_pubkey(key));
			goto matched;
		}
		if (i == s->chain_len - 1 && s->chain_rooted)
			return -ENOKEY;	/* an unknown self-signed root */
		last = x;
	}

	/* the keyring holds what signed the top of the chain */
	if (last) {
		const ASN1_OCTET_STRING *keyid = X509_get0_authority_key_id(last);
		const X509_NAME *name = akid_issuer(last);
		const ASN1_INTEGER *serial = X509_get0_authority_serial(last);

		if ((name && serial) || keyid) {
			key = keyring_find(name && serial ? name : NULL,
					   name && serial ? serial : NULL, keyid);
			if (key) {
				err = verify_cert(last, key);
				goto matched;
			}
		}
	}

	/* the signer itself, directly (what sign-file's NOCERTS needs) */
	key = s->skid ? keyring_find(NULL, NULL, s->skid)
		      : keyring_find(s->issuer, s->serial, NULL);
	if (!key)
		return -ENOKEY;
	err = verify_signed_info(s, X509_get0_pubkey(key));

matched:
	X509_free(key);
	if (err && err != -ENOMEM)
		err = -EKEYREJECTED;
	return err;
}

static int pkcs7_validate_trust(struct pkcs7_message *m)
{
	int i, err, cached = -ENOKEY;

	for (i = 0; i < m->nr_sinfos; i++) {
		err = validate_trust_one(&m->sinfos[i]);
		switch (err) {
		case -ENOKEY:
			continue;
		case -ENOPKG:
			if (cached == -ENOKEY)
				cached = -ENOPKG;
			continue;
		case 0:
			cached = 0;
			continue;
		default:
			return err;
		}
	}
	return cached;
}

static void pkcs7_free_message(struct pkcs7_message *m)
{
	int i;

	for (i = 0; i < m->nr_sinfos && m->sinfos; i++)
		EVP_MD_free(m->sinfos[i].md);
	free(m->sinfos);
	sk_X509_pop_free(m->certs, X509_free);
	CMS_ContentInfo_free(m->cms);
}

int verify_pkcs7_signature(const uint8_t *data, size_t len,
			   const uint8_t *sig, size_t sig_len)
{
	struct pkcs7_message m = { .data_type = OID__NR };
	ASN1_OCTET_STRING **content;
	int err;

	err = pkcs7_parse_message(&m, sig, sig_len);
	if (!err) {
		/* verify_pkcs7_message_sig(): the data is ours to supply */
		content = CMS_get0_content(m.cms);
		if (content && *content) {
			pr_warn("PKCS7: Data already supplied\n");
			pr_err("PKCS#7 signature with non-detached data\n");
			err = -EBADMSG;
		}
	}
	if (!err)
		err = pkcs7_verify(&m, data, len);
	if (!err)
		err = pkcs7_validate_trust(&m);
	pkcs7_free_message(&m);
	ERR_clear_error();
	return err;
}

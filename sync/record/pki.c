/*
 * pki.c — X.509 helpers for enrolment and the demo PKI (see pki.h). All certificates are
 * ECDSA P-256 with SHA-256 signatures: a P-256 CA keeps the back office's per-record
 * chain check cheap (SEAL.md §5: a P-384 CA halves decrypt+verify throughput).
 */
#include "sync/record/pki.h"
#include "sync/record/visit.h"
#include "platform/util.h"
#include "platform/platform.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <string.h>
#include <time.h>

#define PKI_PEM_MAX (256 * 1024)

int pki_check_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > PKI_NAME_MAX || name[0] == '.' || name[0] == '-')
		return error("a device name is 1 to %d characters of a-z, 0-9, '.', '_' and '-', "
			     "not starting with '.' or '-'", PKI_NAME_MAX);
	if (strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789._-") != n)
		return error("a device name is 1 to %d characters of a-z, 0-9, '.', '_' and '-', "
			     "not starting with '.' or '-'", PKI_NAME_MAX);
	return 0;
}

int pki_check_consultant_id(const char *id)
{
	if (!visit_consultant_id_ok(id))   /* the one rule (visit.h) */
		return error("a consultant id is 1 to %d characters of a-z, 0-9, '.', '_' and '-', "
			     "starting with a letter or digit", PKI_CONSULTANT_MAX);
	return 0;
}

int pki_has_eku(X509 *cert, const char *oid)
{
	EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(cert, NID_ext_key_usage, NULL, NULL);
	ASN1_OBJECT *want = OBJ_txt2obj(oid, 1);
	int found = 0;

	for (int i = 0; eku && want && !found && i < sk_ASN1_OBJECT_num(eku); i++)
		found = OBJ_cmp(sk_ASN1_OBJECT_value(eku, i), want) == 0;
	EXTENDED_KEY_USAGE_free(eku);
	ASN1_OBJECT_free(want);
	ERR_clear_error();
	return found;
}

void pki_last_error(char *buf, size_t size)
{
	const char *data = NULL;
	int flags = 0;
	unsigned long e, last = 0;
	const char *last_data = NULL;

	while ((e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags)) != 0) {
		last = e;
		last_data = (flags & ERR_TXT_STRING) && data && *data ? data : NULL;
	}
	if (!last) {
		snprintf(buf, size, "no details");
		return;
	}
	if (last_data)
		snprintf(buf, size, "%s (%s)", ERR_reason_error_string(last) ?
			 ERR_reason_error_string(last) : "unknown error", last_data);
	else
		snprintf(buf, size, "%s", ERR_reason_error_string(last) ?
			 ERR_reason_error_string(last) : "unknown error");
}

int pki_keygen(EVP_PKEY **out)
{
	*out = EVP_EC_gen("P-256");
	return *out ? 0 : error("cannot make an EC P-256 key");
}

int pki_is_p256(EVP_PKEY *key)
{
	char group[64];

	if (!key || !EVP_PKEY_is_a(key, "EC"))
		return -1;
	if (!EVP_PKEY_get_group_name(key, group, sizeof(group), NULL))
		return -1;
	return OBJ_txt2nid(group) == NID_X9_62_prime256v1 ? 0 : -1;
}

/* Writes the contents of a memory BIO to path with mode. */
static int write_bio(const char *path, BIO *b, int mode)
{
	char *data = NULL;
	long n = BIO_get_mem_data(b, &data);

	if (n <= 0)
		return error("nothing to write to %s", path);
	return util_write_file(path, data, (size_t)n, mode);
}

int pki_write_key(const char *path, EVP_PKEY *key)
{
	BIO *b = BIO_new(BIO_s_secmem());   /* wiped on free */
	int rc = -1;

	if (!b)
		return error("out of memory");
	if (PEM_write_bio_PrivateKey(b, key, NULL, NULL, 0, NULL, NULL))
		rc = write_bio(path, b, 0600);
	else
		error("cannot encode the private key for %s", path);
	BIO_free(b);
	return rc;
}

int pki_load_key(const char *path, EVP_PKEY **out)
{
	char *text = NULL;
	size_t len;
	BIO *b;

	*out = NULL;
	if (platform_check_key_file(path) < 0)
		return -1;
	if (util_read_file(path, PKI_PEM_MAX, &text, &len) < 0)
		return -1;
	b = BIO_new_mem_buf(text, (int)len);
	if (b)
		*out = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	util_clear_free(text);
	ERR_clear_error();
	return *out ? 0 : error("%s holds no readable PEM private key", path);
}

int pki_write_cert(const char *path, X509 *cert)
{
	BIO *b = BIO_new(BIO_s_mem());
	int rc = -1;

	if (b && PEM_write_bio_X509(b, cert))
		rc = write_bio(path, b, 0644);
	else
		error("cannot encode the certificate for %s", path);
	BIO_free(b);
	return rc;
}

int pki_write_crl(const char *path, X509_CRL *crl)
{
	BIO *b = BIO_new(BIO_s_mem());
	int rc = -1;

	if (b && PEM_write_bio_X509_CRL(b, crl))
		rc = write_bio(path, b, 0644);
	else
		error("cannot encode the CRL for %s", path);
	BIO_free(b);
	return rc;
}

int pki_write_csr(const char *path, X509_REQ *req)
{
	BIO *b = BIO_new(BIO_s_mem());
	int rc = -1;

	if (b && PEM_write_bio_X509_REQ(b, req))
		rc = write_bio(path, b, 0644);
	else
		error("cannot encode the request for %s", path);
	BIO_free(b);
	return rc;
}

int pki_parse_certs(const char *pem, size_t len, const char *what, STACK_OF(X509) **out)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	BIO *b = BIO_new_mem_buf(pem, (int)len);
	X509 *x;

	*out = NULL;
	if (!sk || !b || len > PKI_PEM_MAX) {
		sk_X509_free(sk);
		BIO_free(b);
		return error("cannot read certificates from %s", what);
	}
	while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL)
		if (!sk_X509_push(sk, x)) {
			X509_free(x);
			break;
		}
	ERR_clear_error();   /* the loop always ends on "no start line" */
	BIO_free(b);
	if (sk_X509_num(sk) == 0) {
		sk_X509_free(sk);
		return error("%s holds no PEM certificate", what);
	}
	*out = sk;
	return 0;
}

int pki_load_cert(const char *path, X509 **out)
{
	STACK_OF(X509) *sk = NULL;
	char *text = NULL;
	size_t len;
	int n;

	*out = NULL;
	if (util_read_file(path, PKI_PEM_MAX, &text, &len) < 0)
		return -1;
	if (pki_parse_certs(text, len, path, &sk) < 0) {
		free(text);
		return -1;
	}
	free(text);
	n = sk_X509_num(sk);
	if (n == 1)
		*out = sk_X509_shift(sk);
	sk_X509_pop_free(sk, X509_free);
	return n == 1 ? 0 : error("%s holds %d certificates, expected one", path, n);
}

int pki_cert_pem(X509 *cert, char **out)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data = NULL;
	long n;

	*out = NULL;
	if (!b || !PEM_write_bio_X509(b, cert)) {
		BIO_free(b);
		return error("cannot encode a certificate");
	}
	n = BIO_get_mem_data(b, &data);
	*out = n > 0 ? strndup(data, (size_t)n) : NULL;
	BIO_free(b);
	return *out ? 0 : error("out of memory");
}

int pki_cert_cn(X509 *cert, char *buf, size_t size)
{
	return pki_name_cn(X509_get_subject_name(cert), buf, size);
}

int pki_name_cn(X509_NAME *name, char *buf, size_t size)
{
	int i = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
	unsigned char *utf8 = NULL;
	int n;

	if (i < 0 || X509_NAME_get_index_by_NID(name, NID_commonName, i) >= 0)
		return error("the subject must hold exactly one CN");
	n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)));
	if (n < 0 || (size_t)n >= size || memchr(utf8, 0, (size_t)n)) {
		OPENSSL_free(utf8);
		return error("the subject CN is not a valid name of at most %zu bytes", size - 1);
	}
	memcpy(buf, utf8, (size_t)n);
	buf[n] = '\0';
	OPENSSL_free(utf8);
	return 0;
}

int pki_serial_hex(X509 *cert, char *buf, size_t size)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;
	int rc = hex ? util_fmt(buf, size, "%s", hex) : error("cannot read a serial number");

	OPENSSL_free(hex);
	BN_free(bn);
	return rc < 0 ? -1 : 0;
}

/* A subject name O=org (if given), CN=cn. Caller frees with X509_NAME_free. */
static X509_NAME *make_name(const char *org, const char *cn)
{
	X509_NAME *n = X509_NAME_new();

	if (!n)
		return NULL;
	if ((org && !X509_NAME_add_entry_by_NID(n, NID_organizationName, MBSTRING_UTF8,
						(const unsigned char *)org, -1, -1, 0)) ||
	    !X509_NAME_add_entry_by_NID(n, NID_commonName, MBSTRING_UTF8,
					(const unsigned char *)cn, -1, -1, 0)) {
		X509_NAME_free(n);
		return NULL;
	}
	return n;
}

int pki_make_csr(EVP_PKEY *key, const char *cn, X509_REQ **out)
{
	X509_REQ *req = X509_REQ_new();
	X509_NAME *n = make_name(NULL, cn);

	*out = NULL;
	if (req && n && X509_REQ_set_version(req, 0) && X509_REQ_set_subject_name(req, n) &&
	    X509_REQ_set_pubkey(req, key) && X509_REQ_sign(req, key, EVP_sha256()) > 0)
		*out = req;
	else
		X509_REQ_free(req);
	X509_NAME_free(n);
	return *out ? 0 : error("cannot make a certificate request");
}

/* Adds one extension given in openssl.cnf syntax. */
static int add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
	X509_EXTENSION *ext = X509V3_EXT_nconf_nid(NULL, ctx, nid, value);
	int ok = ext && X509_add_ext(x, ext, -1);

	X509_EXTENSION_free(ext);
	return ok ? 0 : error("cannot add the extension %s = %s", OBJ_nid2sn(nid), value);
}

/* The extensions of each profile, in the order they must be added (SKI before AKI). */
static int add_profile(X509 *x, X509V3_CTX *ctx, enum pki_profile profile)
{
	static const char *const ku[] = {
		[PKI_CA] = "critical,keyCertSign,cRLSign",
		[PKI_DEVICE] = "critical,digitalSignature,nonRepudiation",
		[PKI_RECIPIENT] = "critical,keyAgreement",
		[PKI_SERVER] = "critical,digitalSignature",
		[PKI_CONSULTANT] = "critical,keyAgreement",
		[PKI_VISIT_SIGNER] = "critical,digitalSignature",
	};

	if (add_ext(x, ctx, NID_basic_constraints,
		    profile == PKI_CA ? "critical,CA:TRUE" : "critical,CA:FALSE") < 0 ||
	    add_ext(x, ctx, NID_key_usage, ku[profile]) < 0 ||
	    add_ext(x, ctx, NID_subject_key_identifier, "hash") < 0)
		return -1;
	if (profile != PKI_CA && add_ext(x, ctx, NID_authority_key_identifier, "keyid:always") < 0)
		return -1;
	if (profile == PKI_DEVICE)
		return add_ext(x, ctx, NID_ext_key_usage, "emailProtection,clientAuth");
	if (profile == PKI_CONSULTANT)
		return add_ext(x, ctx, NID_ext_key_usage, VISIT_OID_KP_CONSULTANT);
	if (profile == PKI_VISIT_SIGNER)
		return add_ext(x, ctx, NID_ext_key_usage, VISIT_OID_KP_SIGNER);
	if (profile == PKI_SERVER)
		return add_ext(x, ctx, NID_ext_key_usage, "serverAuth") < 0 ? -1 :
		       add_ext(x, ctx, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
	return 0;
}

/* A random positive 128-bit serial into x. */
static int set_random_serial(X509 *x)
{
	unsigned char r[16];
	BIGNUM *bn;
	int ok;

	if (RAND_bytes(r, sizeof(r)) != 1)
		return -1;
	r[0] = (unsigned char)((r[0] & 0x7f) | 0x40);  /* positive, always 16 bytes */
	bn = BN_bin2bn(r, sizeof(r), NULL);
	ok = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x));
	BN_free(bn);
	return ok ? 0 : -1;
}

int pki_issue(X509 *ca_cert, EVP_PKEY *ca_key, EVP_PKEY *pubkey, const char *org,
	      const char *cn, enum pki_profile profile, int days, X509 **out)
{
	X509 *x = X509_new();
	X509_NAME *name = make_name(org, cn);
	X509V3_CTX ctx;

	*out = NULL;
	if (!x || !name || !X509_set_version(x, 2) || set_random_serial(x) < 0 ||
	    !X509_gmtime_adj(X509_getm_notBefore(x), -3600) ||
	    !X509_gmtime_adj(X509_getm_notAfter(x), (long)days * 86400) ||
	    !X509_set_subject_name(x, name) ||
	    !X509_set_issuer_name(x, ca_cert ? X509_get_subject_name(ca_cert) : name) ||
	    !X509_set_pubkey(x, pubkey))
		goto fail;
	X509V3_set_ctx(&ctx, ca_cert ? ca_cert : x, x, NULL, NULL, 0);
	if (add_profile(x, &ctx, profile) < 0 || X509_sign(x, ca_key, EVP_sha256()) <= 0)
		goto fail;
	X509_NAME_free(name);
	*out = x;
	return 0;
fail:
	X509_NAME_free(name);
	X509_free(x);
	return error("cannot issue the certificate for %s", cn);
}

/* Appends one revoked entry (hex serial, revoked at t) to crl. */
static int add_revoked(X509_CRL *crl, const char *hex, const ASN1_TIME *t)
{
	X509_REVOKED *r = X509_REVOKED_new();
	BIGNUM *bn = NULL;
	ASN1_INTEGER *ai = NULL;
	int ok = r && BN_hex2bn(&bn, hex) > 0 && (ai = BN_to_ASN1_INTEGER(bn, NULL)) &&
		 X509_REVOKED_set_serialNumber(r, ai) && X509_REVOKED_set_revocationDate(r, (ASN1_TIME *)t) &&
		 X509_CRL_add0_revoked(crl, r);

	if (!ok)
		X509_REVOKED_free(r);
	ASN1_INTEGER_free(ai);
	BN_free(bn);
	return ok ? 0 : error("cannot add serial %s to the CRL", hex);
}

/* CRL number (milliseconds since 1970: increases with each regeneration) and AKI. */
static int add_crl_exts(X509_CRL *crl, X509 *ca_cert)
{
	struct timespec ts;
	ASN1_INTEGER *num = ASN1_INTEGER_new();
	X509V3_CTX ctx;
	X509_EXTENSION *aki;
	int ok;

	clock_gettime(CLOCK_REALTIME, &ts);
	ok = num && ASN1_INTEGER_set_int64(num, (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000) &&
	     X509_CRL_add1_ext_i2d(crl, NID_crl_number, num, 0, 0);
	ASN1_INTEGER_free(num);
	X509V3_set_ctx(&ctx, ca_cert, NULL, NULL, crl, 0);
	aki = ok ? X509V3_EXT_nconf_nid(NULL, &ctx, NID_authority_key_identifier, "keyid:always") : NULL;
	ok = aki && X509_CRL_add_ext(crl, aki, -1);
	X509_EXTENSION_free(aki);
	return ok ? 0 : error("cannot add the CRL extensions");
}

int pki_make_crl(X509 *ca_cert, EVP_PKEY *ca_key, const char *const *serials, size_t n,
		 int days, X509_CRL **out)
{
	X509_CRL *crl = X509_CRL_new();
	ASN1_TIME *now = ASN1_TIME_new(), *next = ASN1_TIME_new();
	int ok = crl && now && next && X509_CRL_set_version(crl, 1) &&
		 X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca_cert)) &&
		 X509_gmtime_adj(now, 0) && X509_gmtime_adj(next, (long)days * 86400) &&
		 X509_CRL_set1_lastUpdate(crl, now) && X509_CRL_set1_nextUpdate(crl, next);

	for (size_t i = 0; ok && i < n; i++)
		ok = add_revoked(crl, serials[i], now) == 0;
	ok = ok && X509_CRL_sort(crl) && add_crl_exts(crl, ca_cert) == 0 &&
	     X509_CRL_sign(crl, ca_key, EVP_sha256()) > 0;
	ASN1_TIME_free(now);
	ASN1_TIME_free(next);
	*out = ok ? crl : NULL;
	if (!ok)
		X509_CRL_free(crl);
	return ok ? 0 : error("cannot make the CRL");
}

int pki_verify(X509 *cert, X509 *ca, int purpose, char *why, size_t why_size)
{
	X509_STORE *st = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int ok = st && ctx && X509_STORE_add_cert(st, ca) && X509_STORE_CTX_init(ctx, st, cert, NULL) &&
		 (!purpose || X509_STORE_CTX_set_purpose(ctx, purpose));

	if (ok && X509_verify_cert(ctx) != 1) {
		snprintf(why, why_size, "%s", X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
		ok = 0;
	} else if (!ok) {
		snprintf(why, why_size, "out of memory");
	}
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(st);
	ERR_clear_error();
	return ok ? 0 : -1;
}

int pki_check_recipient(X509 *cert, char *why, size_t why_size)
{
	if (!(X509_get_extension_flags(cert) & EXFLAG_KUSAGE) ||
	    !(X509_get_key_usage(cert) & KU_KEY_AGREEMENT)) {
		snprintf(why, why_size, "the case-store certificate is not for key agreement");
		return -1;
	}
	if (pki_is_p256(X509_get0_pubkey(cert)) < 0) {
		snprintf(why, why_size, "the case-store certificate's key is not EC P-256");
		return -1;
	}
	return 0;
}

int pki_cert_not_after(const char *path, time_t *out)
{
	X509 *cert = NULL;
	struct tm tm;
	int ok;

	if (pki_load_cert(path, &cert) < 0)
		return -1;
	memset(&tm, 0, sizeof(tm));
	ok = ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) == 1;
	X509_free(cert);
	if (!ok)
		return error("%s: unreadable notAfter", path);
	*out = timegm(&tm);
	return 0;
}

/*
 * pki.h — the small X.509 toolkit behind enrolment and the demo PKI: P-256 keys, PEM
 * files, CSRs, certificates for the four profiles we issue, CRLs and chain checks.
 * Everything is built with libcrypto's X509 API; nothing shells out. Private keys are
 * written with mode 0600 and read only after platform_check_key_file.
 */
#ifndef INLOOP_PKI_H
#define INLOOP_PKI_H

#include <stddef.h>
#include <time.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

/* The certificate profiles we issue (keyUsage / EKU / basicConstraints / SAN); the EKU
 * OIDs of the two visit profiles are in visit.h. */
enum pki_profile {
	PKI_CA,          /* CA:TRUE, keyCertSign + cRLSign */
	PKI_DEVICE,      /* digitalSignature + nonRepudiation; EKU emailProtection + clientAuth */
	PKI_RECIPIENT,   /* keyAgreement (the case store's ECDH recipient) */
	PKI_SERVER,      /* digitalSignature; EKU serverAuth; SAN DNS:localhost, IP:127.0.0.1 */
	PKI_CONSULTANT,  /* keyAgreement; EKU id-kp-inloopConsultant (visits are sealed to it) */
	PKI_VISIT_SIGNER,/* digitalSignature; EKU id-kp-inloopVisitSigner (the office signs visits) */
};

#define PKI_NAME_MAX 63   /* device names: [a-z0-9._-], 1..63, not starting with '.' or '-' */

/* 0 when name is a valid device name (also safe as a file name), else -1 with error(). */
int pki_check_name(const char *name);

#define PKI_CONSULTANT_MAX 32   /* consultant ids: [a-z0-9._-], 1..32, a letter or digit first */

/* 0 when id is a valid consultant id (the office user name; also safe as a file name),
 * else -1 with error(). The rule itself is visit_consultant_id_ok (visit.h). */
int pki_check_consultant_id(const char *id);

/* 1 when cert has an extendedKeyUsage extension that lists oid (dotted text), else 0. */
int pki_has_eku(X509 *cert, const char *oid);

/* Makes a fresh EC P-256 key; *out is owned by the caller (EVP_PKEY_free). */
int pki_keygen(EVP_PKEY **out);

/* 0 when key is an EC key on P-256, else -1 (no message). */
int pki_is_p256(EVP_PKEY *key);

/* Writes key as unencrypted PKCS#8 PEM with mode 0600 (the PEM text is wiped after). */
int pki_write_key(const char *path, EVP_PKEY *key);

/* Reads a PEM private key after checking the file is 0600; *out owned by the caller. */
int pki_load_key(const char *path, EVP_PKEY **out);

/* Writes one certificate / CRL / CSR as PEM (mode 0644). */
int pki_write_cert(const char *path, X509 *cert);
int pki_write_crl(const char *path, X509_CRL *crl);
int pki_write_csr(const char *path, X509_REQ *req);

/* Reads the one certificate of a PEM file; *out owned by the caller (X509_free). */
int pki_load_cert(const char *path, X509 **out);

/* Parses every certificate of PEM text (at least one); *out owned by the caller
 * (sk_X509_pop_free(.., X509_free)). what names the source in errors. */
int pki_parse_certs(const char *pem, size_t len, const char *what, STACK_OF(X509) **out);

/* PEM text of cert, NUL-terminated; *out owned by the caller (free). */
int pki_cert_pem(X509 *cert, char **out);

/* The notAfter of the one certificate in the PEM file path, as a time_t, into *out. */
int pki_cert_not_after(const char *path, time_t *out);

/* Copies the single CN of name into buf; -1 (with error()) if absent, repeated or too long. */
int pki_name_cn(X509_NAME *name, char *buf, size_t size);

/* Copies the single subject CN of cert into buf; -1 if absent, repeated or too long. */
int pki_cert_cn(X509 *cert, char *buf, size_t size);

/* Serial number of cert as upper-case hex into buf. */
int pki_serial_hex(X509 *cert, char *buf, size_t size);

/* A CSR for key with subject CN=cn, signed by key (SHA-256); *out owned by the caller. */
int pki_make_csr(EVP_PKEY *key, const char *cn, X509_REQ **out);

/*
 * Issues a certificate of profile for pubkey with subject O=org, CN=cn, a random
 * 128-bit serial, valid from one hour ago for days days, signed with SHA-256 by
 * ca_key. ca_cert NULL means self-signed (pubkey's own key signs: pass ca_key = it).
 * *out owned by the caller (X509_free).
 */
int pki_issue(X509 *ca_cert, EVP_PKEY *ca_key, EVP_PKEY *pubkey, const char *org,
	      const char *cn, enum pki_profile profile, int days, X509 **out);

/*
 * A CRL from ca for the given hex serials (n of them), lastUpdate now, nextUpdate in
 * days days, with a CRL number = now. *out owned by the caller (X509_CRL_free).
 */
int pki_make_crl(X509 *ca_cert, EVP_PKEY *ca_key, const char *const *serials, size_t n,
		 int days, X509_CRL **out);

/*
 * Checks cert chains to ca (with purpose, e.g. X509_PURPOSE_SMIME_SIGN, or 0 for none).
 * 0 ok; -1 with the verifier's reason in why (never content).
 */
int pki_verify(X509 *cert, X509 *ca, int purpose, char *why, size_t why_size);

/* Writes the newest OpenSSL error (reason and data, no content) into buf and clears the
 * thread's error queue; "no details" when the queue was empty. */
void pki_last_error(char *buf, size_t size);

/* 0 when cert's keyUsage includes keyAgreement and its key is P-256: a recipient we pin. */
int pki_check_recipient(X509 *cert, char *why, size_t why_size);

#endif

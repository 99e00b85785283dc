/*
 * ca.h — the municipality's side of the PKI: issuing enrolment bundles, revocation
 * (crl.pem), recipient-key rotation, consultant certificates and the office's visit
 * signer, and the inloopctl subcommands open, enroll, revoke, rotate-recipient, crl. The demo PKI (init-demo) is sync/ctl/ctl_demo.c.
 *
 * Every dir below is a layout root (layout.h): ca/ holds ca.pem, ca.key (0600),
 * config.json {"url", "location", "crisis_phone"} and the recipient certificates bundles
 * pin; office/ holds casestore.pem/.key (the ECDH recipient) [casestore-next.pem/.key
 * during rotation], ca.pem, crl.pem; casestore/ holds server.pem/.key (TLS), ca.pem,
 * crl.pem, devices/NAME.pem (issued certs), devices/revoked.txt ("SERIALHEX NAME" per
 * line), consultants/ID.json (the consultants' registry, issue 12); office/ also holds
 * visit-signer.pem/.key and consultants/ID.pem. For the demo, device/ is a device state
 * folder, enrolled through the same functions as a real device.
 */
#ifndef INLOOP_CA_H
#define INLOOP_CA_H

#include <stddef.h>

#include "sync/record/pki.h"

#define CA_DEMO_DEVICE "kiosk-demo-1"
#define CA_DEFAULT_URL "https://127.0.0.1:8443"

/* Makes the demo PKI and enrolled demo device in dir (refuses an existing PKI). */
int ca_init_demo(const char *dir, const char *url);

/* What a bundle tells the device beyond certificates; NULL fields take the defaults
 * (location and crisis_phone from the store's config.json, mode "kiosk"). */
struct ca_settings {
	const char *location;
	const char *crisis_phone;
	const char *mode;          /* "kiosk" or "field" (a consultant's laptop) */
};

/*
 * Checks the CSR at csr_path (signature, EC P-256, valid CN = a device name not
 * enrolled, or revoked before), issues the device certificate, records it in devices/,
 * and writes the bundle (JSON, ENROLL_BUNDLE_FORMAT: certificates, URL, location, crisis
 * phone, mode; no secrets) to out_path, or to devices/NAME.bundle.json when out_path is
 * NULL. The path written goes to written (wsize bytes).
 */
int ca_issue_bundle(const char *dir, const char *csr_path, const struct ca_settings *set,
		    const char *out_path, char *written, size_t wsize);

/*
 * Revocation in two parts. The registry part needs no CA key: it adds devices/NAME.pem's
 * serial to casestore/devices/revoked.txt (the case store reads it on every connection and
 * request, so NAME is refused from then on), then disables the consultants registered to
 * NAME (a stolen laptop holds their keys). Needs write access to casestore/devices/,
 * casestore/consultants/, casestore/visits/ and office/consultants/. Returns the number of
 * consultants disabled; CA_REVOKE_NOT_DONE when revoked.txt was not changed (nothing was
 * done); CA_REVOKE_CONSULTANTS_LEFT when NAME is revoked but a consultant is still active.
 * The CRL part is ca_write_crl (ca.key); `crl renew` also re-signs whenever the CRL lacks
 * a serial of revoked.txt. ca_revoke does both (inloopctl revoke): 0 only when all is done.
 */
#define CA_REVOKE_NOT_DONE (-1)
#define CA_REVOKE_CONSULTANTS_LEFT (-2)
int ca_revoke_registry(const char *dir, const char *name);
int ca_revoke(const char *dir, const char *name);

/* 1 when ROOT/ca/ca.key is readable by this process (the CA's own user), else 0. */
int ca_key_readable(const char *root);

#define CA_CRL_RENEW_DAYS 60   /* `crl renew` re-signs when fewer days than this are left */
#define CA_CRL_WARN_DAYS 30    /* the case store warns loudly from this many days before */

/* Regenerates crl.pem from devices/revoked.txt (signed by ca.key, valid 90 days) and
 * publishes it to casestore/ and office/. */
int ca_write_crl(const char *dir);

/* Renews the CRL (valid valid_days) when fewer than min_days are left (0: always) or when
 * it lacks a serial of devices/revoked.txt; prints what it did. */
int ca_renew_crl(const char *dir, int min_days, int valid_days);

/* Days until the CRL at path expires (negative once expired) into *days; -1 when unreadable. */
int ca_crl_days_left(const char *path, int *days);

/*
 * Reads the PEM CSR at path, checks its self-signature and that its key is EC P-256, and
 * copies its single CN into cn; the caller checks the CN's form. *out owned by the caller
 * (X509_REQ_free). -1 with error() on refusal.
 */
int ca_load_csr(const char *path, X509_REQ **out, char *cn, size_t size);

/* 0 when name is enrolled in ROOT/casestore/devices/ and not revoked; else -1 with error(). */
int ca_device_active(const char *root, const char *name);

/* ---- consultants and the office's visit signer (issue 12; sync/ca/ca_consultant.c) ----
 * ROOT/office/consultants/ID.pem: the certificate the office seals visits to;
 * ROOT/office/consultants/ID.pem.disabled: the same after ca_consultant_disable;
 * ROOT/casestore/consultants/ID.json: the registry entry the case store reads;
 * ROOT/ca/consultants/ID.pem: the issued certificate (default of --out).
 */
#define CA_CONSULTANT_DAYS 730            /* 2 years */
#define CA_CONSULTANT_ACTIVE "active"
#define CA_CONSULTANT_DISABLED "disabled"
#define CA_CONSULTANTS_MAX 10000

struct ca_consultant {
	char id[PKI_CONSULTANT_MAX + 1];
	char device[PKI_NAME_MAX + 1];
	char state[16];                   /* CA_CONSULTANT_ACTIVE or CA_CONSULTANT_DISABLED */
	char changed[40];                 /* ISO 8601, when the state was last set */
};

/*
 * Checks the consultant's CSR at csr_path (EC P-256, self-signature, CN a valid consultant
 * id), that device is enrolled and not revoked, and that no active consultant has that id
 * (a disabled one may be enrolled again); then issues the consultant certificate (CN=ID,
 * keyUsage keyAgreement critical, EKU id-kp-inloopConsultant, CA_CONSULTANT_DAYS) and
 * writes it to out_path (NULL: ROOT/ca/consultants/ID.pem) and ROOT/office/consultants/
 * ID.pem, then the registry entry (state "active"). The certificate's path goes to written.
 */
int ca_consultant_enroll(const char *root, const char *csr_path, const char *device,
			 const char *out_path, char *written, size_t wsize);

/* Moves ROOT/office/consultants/ID.pem to ID.pem.disabled, sets the registry entry's
 * state to "disabled" (already disabled: unchanged) and empties ID's visit spool in
 * ROOT/casestore/visits/. Needs no CA key. */
int ca_consultant_disable(const char *root, const char *id);

/* Disables every active consultant registered to device (its laptop holds their keys):
 * ca_revoke calls it. A damaged entry is skipped with a warning naming its file. The
 * number disabled, or -1. */
int ca_consultants_disable_device(const char *root, const char *device);

/* The registry entry of id into *out: 0 found, 1 unknown, -1 bad id or damaged entry. */
int ca_consultant_get(const char *root, const char *id, struct ca_consultant *out);

/* Every registry entry, sorted by id, into out (max entries): the count, or -1 (a damaged
 * entry or more than max). */
int ca_consultant_list(const char *root, struct ca_consultant *out, int max);

/* Makes ROOT/office/visit-signer.key (0600) + visit-signer.pem (CN=office, keyUsage
 * digitalSignature, EKU id-kp-inloopVisitSigner) from the CA; refuses when either exists. */
int ca_make_visit_signer(const char *root);

/* inloopctl subcommands (dir = --dir, may be NULL). */
int ctl_init_demo(const char *dir, int argc, char **argv);
int ctl_enroll(const char *dir, int argc, char **argv);
int ctl_revoke(const char *dir, int argc, char **argv);
int ctl_rotate_recipient(const char *dir, int argc, char **argv);
int ctl_crl(const char *dir, int argc, char **argv);

/* Shared by ca.c and the demo (sync/ctl/ctl_demo.c). */
#define CA_ORG "Gemeente Demo"
int ca_path_in(char *buf, size_t size, const char *dir, const char *name);  /* dir/name */
int ca_exists_in(const char *dir, const char *name);                       /* 1 yes, 0 no */
int ca_load_ca(const char *root, X509 **ca, EVP_PKEY **key);              /* ROOT/ca/ca.{pem,key} */
int ca_write_store_config(const char *dir, const char *url);               /* dir/config.json */
/* dir/base.key + dir/base.pem: a new P-256 key and its certificate from the CA. */
int ca_make_keypair(const char *dir, const char *base, X509 *ca, EVP_PKEY *cakey,
		    const char *cn, enum pki_profile profile);
/* Copies src_dir/name to dst_dir/name with mode. */
int ca_copy_into(const char *src_dir, const char *dst_dir, const char *name, int mode);

#endif

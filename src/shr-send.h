/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-send.h — mail out over SMTP (the only module that includes curl).
 *
 * A ShrSender keeps one libcurl easy handle, so the SMTP connection (TLS
 * handshake and AUTH included) is reused for every message of a batch and
 * closed (QUIT) when the sender is freed. One call sends one RFC 5322
 * message to N recipients and tells, per recipient, whether the server
 * accepted it, refused it for now (4xx, connection trouble: retry later) or
 * for good (5xx). The server's own reply line is kept in every outcome and
 * error. Secrets (password, OAuth2 token) are never logged nor put in an
 * error, and are wiped from our memory when the sender is freed.
 *
 * The outbox runner (shr-outbox.h) drives a sender over the queued rows of
 * the state. */
#pragma once

#include <glib.h>

#include "shr-error.h"

G_BEGIN_DECLS

/* The longest server reply line kept (in bytes); longer ones are cut at a
 * character boundary with "…". */
#define SHR_MAX_SMTP_REPLY_BYTES 512

typedef enum
{
  SHR_SMTP_SECURITY_STARTTLS, /* smtp:// and STARTTLS required */
  SHR_SMTP_SECURITY_TLS,      /* smtps:// (TLS from the first byte) */
  SHR_SMTP_SECURITY_NONE,     /* clear text: only towards a loopback address */
} ShrSmtpSecurity;

/* The [smtp] group, as read from the config (all strings owned). Exactly
 * one of password, password_file, password_command, oauth2_token_command
 * may be set (or none: no AUTH). */
typedef struct
{
  gchar *url; /* smtp://host[:port][/ehlo-name] or smtps://… */
  ShrSmtpSecurity security;
  gboolean security_set; /* FALSE: from the scheme (smtps: tls, else starttls) */
  gchar *ca_file;
  gchar *user;
  gchar *password; /* given in clear (the config refuses it in a file
                    * others can read) */
  gchar *password_file;
  gchar *password_command;
  gchar *oauth2_token_command;
  gchar *from;           /* envelope sender and From address */
  guint timeout_seconds; /* connect and per-reply timeout; 0: 60 s */
} ShrSmtpConfig;

/* (transfer full) an empty config; fill it and pass it to shr_sender_new. */
ShrSmtpConfig *shr_smtp_config_new (void);
void shr_smtp_config_free (ShrSmtpConfig *config);

/* (transfer full) The [smtp] group of @keyfile (@path names the file in
 * errors; relative ca_file and password_file are taken from its
 * directory). Errors: SHR_SEND_ERROR_CONFIG (missing url, unknown
 * security). shr_config_check applies these and shr_smtp_config_check's
 * rules with file and line. */
ShrSmtpConfig *shr_smtp_config_from_keyfile (GKeyFile *keyfile, const gchar *path,
                                             GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The rules shr_sender_new applies to @config before it fetches the secret:
 * url smtp:// or smtps://, security fitting the scheme, security none only
 * towards 127.0.0.0/8, ::1 or localhost, at most one secret source, user
 * given with a secret. On failure @bad_key (may be NULL; transfer none) is
 * the [smtp] key at fault, NULL for the group as a whole, so that
 * shr_config_check can give its line. Errors: SHR_SEND_ERROR_CONFIG. */
gboolean shr_smtp_config_check (const ShrSmtpConfig *config, const gchar **bad_key, GError **error);

typedef struct _ShrSender ShrSender;

/* (transfer full) Checks @config (scheme against security; security none
 * only towards 127.0.0.0/8, ::1 or localhost) and fetches the secret
 * (password file: refused when others can read it; command: its first line
 * of output, exit status 0). Does not connect yet. Errors:
 * SHR_SEND_ERROR_CONFIG, SHR_SEND_ERROR_CREDENTIALS. */
ShrSender *shr_sender_new (const ShrSmtpConfig *config, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Sends QUIT (when connected) and frees @sender; NULL is allowed. */
void shr_sender_free (ShrSender *sender);

/* The configured From address (transfer none; may be NULL). */
const gchar *shr_sender_get_from (ShrSender *sender);

/* New connections made so far (1 for a batch over one connection). */
guint shr_sender_get_connections (ShrSender *sender);

/* Drops the connection after every message (for the benchmark's
 * comparison). */
void shr_sender_set_reuse (ShrSender *sender, gboolean reuse);

typedef enum
{
  SHR_SEND_ACCEPTED,  /* the server took responsibility for it */
  SHR_SEND_TEMPORARY, /* 4xx or connection trouble: try again later */
  SHR_SEND_PERMANENT, /* 5xx for this recipient: do not retry */
} ShrSendOutcome;

typedef struct
{
  gchar *recipient;
  ShrSendOutcome outcome;
  guint code;   /* the SMTP reply code that decided it, 0 when none */
  gchar *reply; /* the server's reply line, or what went wrong */
} ShrSendResult;

void shr_send_result_free (ShrSendResult *result);

/* Sends @message (a whole RFC 5322 message; bare LF line ends become CRLF)
 * from @envelope_from (NULL: the config's from) to @recipients
 * (NULL-terminated, at least one), over the kept connection (opening it
 * when needed).
 *
 * @results (transfer full; element-type ShrSendResult, one per recipient,
 * in order) is always set. Returns TRUE when the transaction itself went
 * through: each recipient then has its own outcome (some RCPTs may have
 * been refused while the others got the message). Returns FALSE when the
 * whole transaction failed, with every result TEMPORARY or PERMANENT
 * accordingly and the reason in @error: SHR_SEND_ERROR_CONNECT (network,
 * TLS, timeout: temporary), _AUTH (login refused: temporary, the config
 * needs fixing), _SENDER (5xx to MAIL FROM or to the DATA command:
 * temporary, the config or account needs fixing), _TEMPORARY (4xx to MAIL
 * FROM or DATA), _REFUSED (5xx at the end of DATA: permanent for this
 * message; or every recipient refused), _CONFIG. */
gboolean shr_sender_send (ShrSender *sender, const gchar *envelope_from, const gchar *const *recipients,
                          GBytes *message, GPtrArray **results, GError **error);

/* "accepted", "temporary", "permanent" (transfer none). */
const gchar *shr_send_outcome_to_string (ShrSendOutcome outcome);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrSmtpConfig, shr_smtp_config_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrSender, shr_sender_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrSendResult, shr_send_result_free)

G_END_DECLS

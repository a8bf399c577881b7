/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-error.h — one GError domain per module, declared in one place so
 * that tests can pin (domain, code) pairs. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SHR_READ_ERROR (shr_read_error_quark ())
#define SHR_LEXICON_ERROR (shr_lexicon_error_quark ())
#define SHR_CONFIG_ERROR (shr_config_error_quark ())
#define SHR_STORE_ERROR (shr_store_error_quark ())
#define SHR_MUSTACHE_ERROR (shr_mustache_error_quark ())
#define SHR_VERSION_ERROR (shr_version_error_quark ())
#define SHR_SEND_ERROR (shr_send_error_quark ())
#define SHR_APPROVE_ERROR (shr_approve_error_quark ())
#define SHR_COMPOSE_ERROR (shr_compose_error_quark ())
#define SHR_WATCH_ERROR (shr_watch_error_quark ())
#define SHR_EDIT_ERROR (shr_edit_error_quark ())
#define SHR_SUMMARY_ERROR (shr_summary_error_quark ())

GQuark shr_read_error_quark (void);
GQuark shr_lexicon_error_quark (void);
GQuark shr_config_error_quark (void);
GQuark shr_store_error_quark (void);
GQuark shr_mustache_error_quark (void);
GQuark shr_version_error_quark (void);
GQuark shr_send_error_quark (void);
GQuark shr_approve_error_quark (void);
GQuark shr_compose_error_quark (void);
GQuark shr_watch_error_quark (void);
GQuark shr_edit_error_quark (void);
GQuark shr_summary_error_quark (void);

typedef enum
{
  SHR_READ_ERROR_IO,       /* the file could not be opened or read */
  SHR_READ_ERROR_EMPTY,    /* zero bytes */
  SHR_READ_ERROR_NOT_MAIL, /* no header block that looks like RFC 5322 */
  SHR_READ_ERROR_TOO_BIG,  /* larger than SHR_MAX_MESSAGE_BYTES */
  SHR_READ_ERROR_LIMIT,    /* over a cap of the raw pre-scan (header lines,
                            * header block, line length, parts) */
} ShrReadError;

typedef enum
{
  SHR_LEXICON_ERROR_IO,
  SHR_LEXICON_ERROR_PARSE, /* a line of a data file is malformed */
} ShrLexiconError;

typedef enum
{
  SHR_CONFIG_ERROR_IO,
  SHR_CONFIG_ERROR_PARSE,
  SHR_CONFIG_ERROR_UNKNOWN_GROUP,
  SHR_CONFIG_ERROR_UNKNOWN_KEY,
  SHR_CONFIG_ERROR_MISSING_KEY,
  SHR_CONFIG_ERROR_INVALID_VALUE,
  SHR_CONFIG_ERROR_INSECURE,
  SHR_CONFIG_ERROR_DUPLICATE, /* a group or key given twice */
} ShrConfigError;

typedef enum
{
  SHR_MUSTACHE_ERROR_UNCLOSED_TAG,     /* "{{" without its "}}" */
  SHR_MUSTACHE_ERROR_UNCLOSED_SECTION, /* {{#x}} (or ^ < $) never closed */
  SHR_MUSTACHE_ERROR_MISMATCHED_END,   /* {{/y}} closing {{#x}}, or nothing */
  SHR_MUSTACHE_ERROR_BAD_DELIMITER,    /* {{=...=}} not two delimiters */
  SHR_MUSTACHE_ERROR_SYNTAX,           /* empty tag name, nesting too deep */
  SHR_MUSTACHE_ERROR_DEPTH,            /* partials nested past the cap */
  SHR_MUSTACHE_ERROR_TOO_BIG,          /* output or work past the cap */
  SHR_MUSTACHE_ERROR_PARTIAL,          /* a partial could not be loaded */
} ShrMustacheError;

typedef enum
{
  SHR_STORE_ERROR_OPEN,       /* the state dir or database cannot be opened */
  SHR_STORE_ERROR_SQL,        /* SQLite failed (I/O, corruption, full disk) */
  SHR_STORE_ERROR_BUSY,       /* locked by another process past busy_timeout */
  SHR_STORE_ERROR_SCHEMA,     /* written by a newer shirase */
  SHR_STORE_ERROR_CONSTRAINT, /* a uniqueness or reference rule refused it */
  SHR_STORE_ERROR_NOT_FOUND,  /* no such record, case or draft */
  SHR_STORE_ERROR_CORRUPT,    /* SQLite found the database damaged */
  SHR_STORE_ERROR_IO,         /* I/O error, disk full, read-only */
  SHR_STORE_ERROR_LOST,       /* the database is missing or empty (or is
                               * another instance's) where the state dir
                               * shows one existed: not re-created silently */
} ShrStoreError;

typedef enum
{
  SHR_VERSION_ERROR_INVALID,  /* not a version under the scheme */
  SHR_VERSION_ERROR_NO_RANGE, /* a phrase with no version in it */
} ShrVersionError;

typedef enum
{
  SHR_SEND_ERROR_CONFIG,      /* [smtp] unusable (scheme, security, from) */
  SHR_SEND_ERROR_CREDENTIALS, /* the password file or command failed */
  SHR_SEND_ERROR_CONNECT,     /* network, TLS or timeout (temporary) */
  SHR_SEND_ERROR_AUTH,        /* the server refused our login */
  SHR_SEND_ERROR_TEMPORARY,   /* 4xx to MAIL FROM or DATA */
  SHR_SEND_ERROR_REFUSED,     /* 5xx at the end of DATA, or to every RCPT */
  SHR_SEND_ERROR_SENDER,      /* MAIL FROM or the DATA command refused: the
                               * server will not take mail from us at all
                               * (temporary for the messages: the config or
                               * the account needs fixing) */
} ShrSendError;

typedef enum
{
  SHR_APPROVE_ERROR_SECRET,    /* the secret file is unsafe or unreadable */
  SHR_APPROVE_ERROR_NOT_FOUND, /* no such draft */
} ShrApproveError;

typedef enum
{
  SHR_COMPOSE_ERROR_ADDRESS, /* From/To/Reply-To not a mail address */
  SHR_COMPOSE_ERROR_CHARSET, /* the charset option is not one we write */
} ShrComposeError;

typedef enum
{
  SHR_WATCH_ERROR_CONFIG,   /* [imap] settings unusable */
  SHR_WATCH_ERROR_CONNECT,  /* host unreachable, connection lost */
  SHR_WATCH_ERROR_TLS,      /* handshake failed, certificate not verified */
  SHR_WATCH_ERROR_AUTH,     /* login refused, or no secret to log in with */
  SHR_WATCH_ERROR_PROTOCOL, /* the server refused a command */
} ShrWatchError;

typedef enum
{
  SHR_EDIT_ERROR_MISSING,     /* no edited block in the reply */
  SHR_EDIT_ERROR_BROKEN,      /* a marker without its pair */
  SHR_EDIT_ERROR_AMBIGUOUS,   /* two different blocks of one language */
  SHR_EDIT_ERROR_SUBJECT,     /* no usable one-line Subject */
  SHR_EDIT_ERROR_CONTROL,     /* a control character in the text */
  SHR_EDIT_ERROR_TOO_BIG,     /* a block over SHR_MAX_EDITED_NOTICE_BYTES */
  SHR_EDIT_ERROR_GRADE_LINES, /* the priority or deadline line removed */
  SHR_EDIT_ERROR_UNCHANGED,   /* nothing edited */
} ShrEditError;

typedef enum
{
  SHR_SUMMARY_ERROR_CONFIG,      /* [summary] unusable */
  SHR_SUMMARY_ERROR_SPAWN,       /* the command could not be started */
  SHR_SUMMARY_ERROR_FAILED,      /* it exited non-zero or was killed by a signal */
  SHR_SUMMARY_ERROR_TIMEOUT,     /* it ran past timeout_seconds (killed) */
  SHR_SUMMARY_ERROR_TOO_BIG,     /* its output is over the cap */
  SHR_SUMMARY_ERROR_INVALID,     /* not the JSON object expected */
  SHR_SUMMARY_ERROR_EMPTY,       /* it wrote nothing */
  SHR_SUMMARY_ERROR_UNSUPPORTED, /* it names what the record does not */
} ShrSummaryError;

G_END_DECLS

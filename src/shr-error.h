/* shr-error.h — one GError domain per module, declared in one place so
 * that tests can pin (domain, code) pairs. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SHR_READ_ERROR (shr_read_error_quark ())
#define SHR_LEXICON_ERROR (shr_lexicon_error_quark ())
#define SHR_CONFIG_ERROR (shr_config_error_quark ())
#define SHR_VERSION_ERROR (shr_version_error_quark ())

GQuark shr_read_error_quark (void);
GQuark shr_lexicon_error_quark (void);
GQuark shr_config_error_quark (void);
GQuark shr_version_error_quark (void);

typedef enum
{
  SHR_READ_ERROR_IO,        /* the file could not be opened or read */
  SHR_READ_ERROR_EMPTY,     /* zero bytes */
  SHR_READ_ERROR_NOT_MAIL,  /* no header block that looks like RFC 5322 */
  SHR_READ_ERROR_TOO_BIG,   /* larger than SHR_MAX_MESSAGE_BYTES */
} ShrReadError;

typedef enum
{
  SHR_LEXICON_ERROR_IO,
  SHR_LEXICON_ERROR_PARSE,  /* a line of a data file is malformed */
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
  SHR_CONFIG_ERROR_DUPLICATE,  /* a group or key given twice */
} ShrConfigError;

typedef enum
{
  SHR_VERSION_ERROR_INVALID,   /* not a version under the scheme */
  SHR_VERSION_ERROR_NO_RANGE,  /* a phrase with no version in it */
} ShrVersionError;

G_END_DECLS

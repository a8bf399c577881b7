/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-config.c — reading and validating the configuration file.
 *
 * GKeyFile parses the values but reports no line numbers, so the file text
 * is first scanned here (with GKeyFile's own line rules) to find the line
 * of every group and key; every problem is then reported against the line
 * that holds it. */
#include "config.h"

#include "shr-config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "shr-render.h"
#include "shr-secret.h"
#include "shr-send.h"
#include "shr-watch.h"

typedef enum
{
  T_STRING,
  T_PATH,
  T_LIST,
  T_ADDRESSES, /* list of mail addresses */
  T_INT,
  T_DOUBLE,
  T_BOOL,
  T_ENUM,
  T_TIME,   /* HH:MM */
  T_SECRET, /* refused in a file others can read */
  T_VERSION,
  T_SECTORS,
  T_REGIONS,
  T_TIMEZONE,
  T_COMMAND, /* a program by its absolute path, and its arguments (no shell) */
} KeyType;

typedef struct
{
  const gchar *group; /* "asset" stands for every [asset NAME] */
  const gchar *key;
  KeyType type;
  gboolean required;
  const gchar *choices; /* T_ENUM: '|'-separated */
  gdouble min, max;     /* T_INT, T_DOUBLE */
} KeySpec;

/* Every key shirase reads. Groups whose stage is not built yet are listed
 * with the keys their issue specifies, so that a config written for them
 * is checked now and a typo is caught before the stage exists. */
static const KeySpec key_specs[] = {
  { "organization", "name", T_STRING, TRUE, NULL, 0, 0 },
  { "organization", "self_ja", T_STRING, FALSE, NULL, 0, 0 },
  { "organization", "self_en", T_STRING, FALSE, NULL, 0, 0 },
  { "organization", "sectors", T_SECTORS, FALSE, NULL, 0, 0 },
  { "organization", "regions", T_REGIONS, FALSE, NULL, 0, 0 },
  { "organization", "timezone", T_TIMEZONE, FALSE, NULL, 0, 0 },
  { "organization", "assets_file", T_PATH, FALSE, NULL, 0, 0 },

  { "asset", "vendor", T_STRING, FALSE, NULL, 0, 0 },
  { "asset", "product", T_STRING, TRUE, NULL, 0, 0 },
  { "asset", "version", T_VERSION, FALSE, NULL, 0, 0 },
  { "asset", "scheme", T_ENUM, FALSE, "generic|dpkg|rpm", 0, 0 },
  { "asset", "exposure", T_ENUM, FALSE, "internet|internal|isolated|unknown", 0, 0 },
  { "asset", "owners", T_ADDRESSES, FALSE, NULL, 0, 0 },
  { "asset", "aliases", T_LIST, FALSE, NULL, 0, 0 },
  { "asset", "notes", T_STRING, FALSE, NULL, 0, 0 },
  { "asset", "platform", T_STRING, FALSE, NULL, 0, 0 },

  { "policy", "grade_a_cvss", T_DOUBLE, FALSE, NULL, 0, 10 },
  { "policy", "grade_b_cvss", T_DOUBLE, FALSE, NULL, 0, 10 },
  { "policy", "deadline_a_days", T_INT, FALSE, NULL, 0, 365 },
  { "policy", "deadline_b_days", T_INT, FALSE, NULL, 0, 365 },
  { "policy", "deadline_c_days", T_INT, FALSE, NULL, 0, 365 },

  { "imap", "host", T_STRING, TRUE, NULL, 0, 0 },
  { "imap", "port", T_INT, FALSE, NULL, 1, 65535 },
  { "imap", "security", T_ENUM, FALSE, "tls|starttls|none", 0, 0 },
  { "imap", "ca_file", T_PATH, FALSE, NULL, 0, 0 },
  { "imap", "user", T_STRING, TRUE, NULL, 0, 0 },
  { "imap", "password", T_SECRET, FALSE, NULL, 0, 0 },
  { "imap", "password_file", T_PATH, FALSE, NULL, 0, 0 },
  { "imap", "password_command", T_STRING, FALSE, NULL, 0, 0 },
  { "imap", "oauth2_token_command", T_STRING, FALSE, NULL, 0, 0 },
  { "imap", "address", T_ADDRESSES, FALSE, NULL, 0, 0 },
  { "imap", "folder", T_STRING, FALSE, NULL, 0, 0 },
  { "imap", "done_folder", T_STRING, FALSE, NULL, 0, 0 },
  { "imap", "failed_folder", T_STRING, FALSE, NULL, 0, 0 },
  { "imap", "idle", T_BOOL, FALSE, NULL, 0, 0 },
  { "imap", "poll_seconds", T_INT, FALSE, NULL, 1, 86400 },

  { "smtp", "url", T_STRING, TRUE, NULL, 0, 0 },
  { "smtp", "security", T_ENUM, FALSE, "starttls|tls|none", 0, 0 },
  { "smtp", "ca_file", T_PATH, FALSE, NULL, 0, 0 },
  { "smtp", "user", T_STRING, FALSE, NULL, 0, 0 },
  { "smtp", "password", T_SECRET, FALSE, NULL, 0, 0 },
  { "smtp", "password_file", T_PATH, FALSE, NULL, 0, 0 },
  { "smtp", "password_command", T_STRING, FALSE, NULL, 0, 0 },
  { "smtp", "oauth2_token_command", T_STRING, FALSE, NULL, 0, 0 },
  { "smtp", "from", T_STRING, FALSE, NULL, 0, 0 },

  { "approval", "approvers", T_ADDRESSES, TRUE, NULL, 0, 0 },
  { "approval", "quorum", T_INT, FALSE, NULL, 1, 100 },
  { "approval", "require_auth_results", T_BOOL, FALSE, NULL, 0, 0 },
  { "approval", "trusted_authserv_id", T_STRING, FALSE, NULL, 0, 0 },
  { "approval", "remind_hours", T_INT, FALSE, NULL, 1, 8760 },
  { "approval", "expire_hours", T_INT, FALSE, NULL, 1, 8760 },

  { "recipients", "default", T_ADDRESSES, FALSE, NULL, 0, 0 },
  { "recipients", "lang", T_ENUM, FALSE, "ja|en|both", 0, 0 },
  { "recipients", "hourly_cap", T_INT, FALSE, NULL, 1, 100000 },

  { "state", "dir", T_PATH, FALSE, NULL, 0, 0 },
  { "state", "commit", T_ENUM, FALSE, "message|batch", 0, 0 },

  { "templates", "dir", T_PATH, FALSE, NULL, 0, 0 },
  { "templates", "charset", T_ENUM, FALSE, "utf-8|iso-2022-jp", 0, 0 },

  { "digest", "time", T_TIME, FALSE, NULL, 0, 0 },
  { "digest", "enabled", T_BOOL, FALSE, NULL, 0, 0 },

  { "summary", "command", T_COMMAND, FALSE, NULL, 0, 0 },
  { "summary", "timeout_seconds", T_INT, FALSE, NULL, 1, 3600 },
  { NULL, NULL, 0, FALSE, NULL, 0, 0 },
};

static const gchar *const known_groups[] = {
  "organization", "policy",    "imap",   "smtp",    "approval", "recipients",
  "state",        "templates", "digest", "summary", NULL,
};

/* ---- where things are --------------------------------------------------- */

typedef struct
{
  gchar *key;
  guint line;
} KeyLine;

typedef struct
{
  gchar *name; /* as written between the brackets */
  guint line;
  GArray *keys; /* KeyLine, in file order */
} GroupLines;

typedef struct
{
  gchar *path;
  gboolean assets_only;
  GPtrArray *groups; /* GroupLines*, in file order (duplicates kept) */
  GKeyFile *keyfile;
} ConfFile;

static void
key_line_clear (gpointer data)
{
  g_free (((KeyLine *)data)->key);
}

static void
group_lines_free (gpointer data)
{
  GroupLines *g = data;
  g_free (g->name);
  g_array_unref (g->keys);
  g_free (g);
}

static void
conf_file_free (ConfFile *f)
{
  if (f == NULL)
    return;
  g_free (f->path);
  g_ptr_array_unref (f->groups);
  if (f->keyfile != NULL)
    g_key_file_unref (f->keyfile);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfFile, conf_file_free)

typedef struct
{
  GPtrArray *problems; /* ShrConfigProblem* */
  const ShrVocabulary *vocab;
  ShrProfile *profile;
  GHashTable *asset_where; /* asset name → "FILE:LINE" */
  gboolean have_organization;
  gboolean judge_only; /* match, render: the mail stages' rules do not apply */
} Loader;

static void
problem_free (gpointer data)
{
  ShrConfigProblem *p = data;
  g_free (p->message);
  g_free (p);
}

static void G_GNUC_PRINTF (3, 4) add_problem (Loader *l, ShrConfigError code, const gchar *format, ...)
{
  va_list ap;
  va_start (ap, format);
  ShrConfigProblem *p = g_new0 (ShrConfigProblem, 1);
  p->code = code;
  p->message = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_ptr_array_add (l->problems, p);
}

/* ---- scanning lines ----------------------------------------------------- */

/* GKeyFile's line rules: leading white space ignored; '#' or nothing is a
 * comment; "[name]" (only white space after ']') a group; anything with
 * '=' a key. Returns FALSE, with problems added, on a line that is none of
 * these, which GKeyFile would refuse without saying where. */
static gboolean
scan_lines (Loader *l, ConfFile *f, const gchar *text)
{
  gboolean ok = TRUE;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GroupLines *cur = NULL;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint lineno = i + 1;
      gchar *line = g_strstrip (lines[i]);
      if (*line == '\0' || *line == '#')
        continue;
      if (*line == '[')
        {
          gchar *close = strrchr (line, ']');
          if (close == NULL || close[1] != '\0')
            {
              add_problem (l, SHR_CONFIG_ERROR_PARSE, "%s:%u: a group header must be \"[name]\"", f->path,
                           lineno);
              ok = FALSE;
              continue;
            }
          cur = g_new0 (GroupLines, 1);
          cur->name = g_strndup (line + 1, close - line - 1);
          cur->line = lineno;
          cur->keys = g_array_new (FALSE, FALSE, sizeof (KeyLine));
          g_array_set_clear_func (cur->keys, key_line_clear);
          g_ptr_array_add (f->groups, cur);
          continue;
        }
      gchar *eq = strchr (line, '=');
      if (eq == NULL)
        {
          add_problem (l, SHR_CONFIG_ERROR_PARSE, "%s:%u: not a group, a \"key = value\" line or a comment",
                       f->path, lineno);
          ok = FALSE;
          continue;
        }
      if (cur == NULL)
        {
          add_problem (l, SHR_CONFIG_ERROR_PARSE, "%s:%u: a key before the first [group]", f->path, lineno);
          ok = FALSE;
          continue;
        }
      KeyLine kl = { g_strstrip (g_strndup (line, eq - line)), lineno };
      if (*kl.key == '\0')
        {
          add_problem (l, SHR_CONFIG_ERROR_PARSE, "%s:%u: a value without a key", f->path, lineno);
          g_free (kl.key);
          ok = FALSE;
          continue;
        }
      g_array_append_val (cur->keys, kl);
    }
  return ok;
}

/* ---- values -------------------------------------------------------------- */

static const KeySpec *
find_spec (const gchar *group_kind, const gchar *key)
{
  for (const KeySpec *s = key_specs; s->group != NULL; s++)
    if (strcmp (s->group, group_kind) == 0 && strcmp (s->key, key) == 0)
      return s;
  return NULL;
}

/* Items of a list value: ';' as GKeyFile writes lists, ',' as people do. */
static GPtrArray *
split_list (const gchar *value)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) parts = g_strsplit_set (value, ";,", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      gchar *item = g_strstrip (parts[i]);
      if (*item != '\0')
        g_ptr_array_add (items, g_strdup (item));
    }
  return items;
}

static gchar *
join_sector_keys (const ShrVocabulary *vocab)
{
  g_autoptr (GPtrArray) keys = shr_vocabulary_sector_keys (vocab);
  if (keys == NULL || keys->len == 0)
    return NULL;
  g_ptr_array_add (keys, NULL);
  return g_strjoinv (", ", (gchar **)keys->pdata);
}

static gboolean
is_region_code (const gchar *s)
{
  gsize n = strlen (s);
  if (n < 2 || n > 4)
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isalpha (*s))
      return FALSE;
  return TRUE;
}

typedef struct
{
  Loader *l;
  ConfFile *f;
  const GroupLines *g;
  const KeyLine *kl;
} Where;

#define WHERE_FMT "%s:%u: [%s] %s: "
#define WHERE_ARGS(w) (w)->f->path, (w)->kl->line, (w)->g->name, (w)->kl->key

/* Checks one value against its type; TRUE when valid. Values of the
 * profile's own keys are applied by the caller. */
static gboolean
check_value (const Where *w, const KeySpec *spec, const gchar *value, ShrVersionScheme scheme)
{
  Loader *l = w->l;
  switch (spec->type)
    {
    case T_STRING:
    case T_PATH:
    case T_SECRET:
      if (*value == '\0')
        {
          add_problem (l, SHR_CONFIG_ERROR_INVALID_VALUE, WHERE_FMT "empty value", WHERE_ARGS (w));
          return FALSE;
        }
      return TRUE;
    case T_LIST:
      return TRUE;
    case T_ADDRESSES:
      {
        g_autoptr (GPtrArray) items = split_list (value);
        for (guint i = 0; i < items->len; i++)
          {
            const gchar *a = items->pdata[i];
            const gchar *at = strchr (a, '@');
            if (at == NULL || at == a || at[1] == '\0' || strchr (a, ' ') != NULL)
              {
                add_problem (l, SHR_CONFIG_ERROR_INVALID_VALUE, WHERE_FMT "\"%s\" is not a mail address",
                             WHERE_ARGS (w), a);
                return FALSE;
              }
          }
        return TRUE;
      }
    case T_INT:
      {
        gint64 n;
        if (!g_ascii_string_to_signed (value, 10, (gint64)spec->min, (gint64)spec->max, &n, NULL))
          {
            add_problem (l, SHR_CONFIG_ERROR_INVALID_VALUE,
                         WHERE_FMT "\"%s\" is not a whole number from %.0f to %.0f", WHERE_ARGS (w), value,
                         spec->min, spec->max);
            return FALSE;
          }
        return TRUE;
      }
    case T_DOUBLE:
      {
        gchar *end = NULL;
        gdouble d = g_ascii_strtod (value, &end);
        if (*value == '\0' || end == NULL || *end != '\0' || d < spec->min || d > spec->max || d != d)
          {
            add_problem (l, SHR_CONFIG_ERROR_INVALID_VALUE,
                         WHERE_FMT "\"%s\" is not a number from %.1f to %.1f", WHERE_ARGS (w), value,
                         spec->min, spec->max);
            return FALSE;
          }
        return TRUE;
      }
    case T_BOOL:
      if (strcmp (value, "true") != 0 && strcmp (value, "false") != 0)
        {
          add_problem (l, SHR_CONFIG_ERROR_INVALID_VALUE, WHERE_FMT "\"%s\" is not true or false",
                       WHERE_ARGS (w), value);
          return FALSE;
        }
      return TRUE;
    case T_ENUM:
      {
        g_auto (GStrv) choices = g_strsplit (spec->choices, "|", -1);
        if (!g_strv_contains ((const gchar *const *)choices, value))
          {
            g_autofree gchar *list = g_strjoinv (", ", choices);
            add_problem (l, SHR_CONFIG_ERROR_INVALID_VALUE, WHERE_FMT "\"%s\" is not one of %s",
                         WHERE_ARGS (w), value, list);
            return FALSE;
          }
        return TRUE;
      }
    case T_TIME:
      {
        guint h = 0, m = 0;
        gboolean ok = strlen (value) == 5 && g_ascii_isdigit (value[0]) && g_ascii_isdigit (value[1])
                      && value[2] == ':' && g_ascii_isdigit (value[3]) && g_ascii_isdigit (value[4]);
        if (ok)
          {
            h = (value[0] - '0') * 10 + (value[1] - '0');
            m = (value[3] - '0') * 10 + (value[4] - '0');
          }
        if (!ok || h > 23 || m > 59)
          {
            add_problem (l, SHR_CONFIG_ERROR_INVALID_VALUE, WHERE_FMT "\"%s\" is not a time of day (HH:MM)",
                         WHERE_ARGS (w), value);
            return FALSE;
          }
        return TRUE;
      }
    case T_VERSION:
      {
        g_autoptr (GError) error = NULL;
        if (!shr_version_validate (scheme, value, &error))
          {
            add_problem (l, SHR_CONFIG_ERROR_INVALID_VALUE, WHERE_FMT "%s (scheme %s)", WHERE_ARGS (w),
                         error->message, shr_version_scheme_to_string (scheme));
            return FALSE;
          }
        return TRUE;
      }
    case T_SECTORS:
      {
        g_autoptr (GPtrArray) items = split_list (value);
        for (guint i = 0; i < items->len; i++)
          if (shr_vocabulary_find_sector (l->vocab, items->pdata[i]) == NULL)
            {
              g_autofree gchar *known = join_sector_keys (l->vocab);
              g_autofree gchar *hint
                  = known != NULL ? g_strdup_printf (" (known: %s)", known) : g_strdup ("");
              add_problem (l, SHR_CONFIG_ERROR_INVALID_VALUE, WHERE_FMT "unknown sector \"%s\"%s",
                           WHERE_ARGS (w), (gchar *)items->pdata[i], hint);
              return FALSE;
            }
        return TRUE;
      }
    case T_REGIONS:
      {
        g_autoptr (GPtrArray) items = split_list (value);
        for (guint i = 0; i < items->len; i++)
          {
            g_autofree gchar *code = g_ascii_strup (items->pdata[i], -1);
            gboolean known = l->vocab != NULL && l->vocab->find_region != NULL
                                 ? shr_vocabulary_find_region (l->vocab, code) != NULL
                                 : is_region_code (code);
            if (!known)
              {
                add_problem (l, SHR_CONFIG_ERROR_INVALID_VALUE, WHERE_FMT "unknown region \"%s\"",
                             WHERE_ARGS (w), (gchar *)items->pdata[i]);
                return FALSE;
              }
          }
        return TRUE;
      }
    case T_TIMEZONE:
      {
        GTimeZone *tz = g_time_zone_new_identifier (value);
        if (tz == NULL)
          {
            add_problem (l, SHR_CONFIG_ERROR_INVALID_VALUE, WHERE_FMT "unknown time zone \"%s\"",
                         WHERE_ARGS (w), value);
            return FALSE;
          }
        g_time_zone_unref (tz);
        return TRUE;
      }
    case T_COMMAND:
      {
        /* Split as a shell would, but run without one (shr-summary.c). */
        g_auto (GStrv) argv = NULL;
        g_autoptr (GError) local = NULL;
        if (!g_shell_parse_argv (value, NULL, &argv, &local))
          {
            /* (GLib's own message depends on the locale.) */
            add_problem (l, SHR_CONFIG_ERROR_INVALID_VALUE,
                         WHERE_FMT "not a command line (a quote left open, or nothing to run)",
                         WHERE_ARGS (w));
            return FALSE;
          }
        if (!g_path_is_absolute (argv[0]))
          {
            add_problem (l, SHR_CONFIG_ERROR_INVALID_VALUE,
                         WHERE_FMT "\"%s\": give the program by its absolute path (it runs with an empty "
                                   "environment, without PATH from ours)",
                         WHERE_ARGS (w), argv[0]);
            return FALSE;
          }
        if (!g_file_test (argv[0], G_FILE_TEST_IS_REGULAR)
            || !g_file_test (argv[0], G_FILE_TEST_IS_EXECUTABLE))
          {
            add_problem (l, SHR_CONFIG_ERROR_INVALID_VALUE, WHERE_FMT "\"%s\" is not an executable file",
                         WHERE_ARGS (w), argv[0]);
            return FALSE;
          }
        return TRUE;
      }
    default:
      g_assert_not_reached ();
    }
}

static gboolean
readable_by_others (const gchar *path)
{
  GStatBuf st;
  if (g_stat (path, &st) != 0)
    return FALSE;
  return (st.st_mode & (S_IRWXG | S_IRWXO)) != 0;
}

static gboolean load_file (Loader *l, const gchar *path, gboolean assets_only, const gchar *from_where,
                           ConfFile **out);

static void
apply_assets_file (Loader *l, const Where *w, const gchar *value)
{
  g_autofree gchar *dir = g_path_get_dirname (w->f->path);
  g_autofree gchar *path
      = g_path_is_absolute (value) ? g_strdup (value) : g_build_filename (dir, value, NULL);
  g_autofree gchar *where = g_strdup_printf (WHERE_FMT, WHERE_ARGS (w));
  g_autoptr (ConfFile) sub = NULL;
  load_file (l, path, TRUE, where, &sub);
}

/* Validates every key of one group and applies it to the profile. */
static void
check_group (Loader *l, ConfFile *f, const GroupLines *g, GHashTable *seen_groups)
{
  const gchar *kind = g->name;
  g_autofree gchar *asset_name = NULL;
  if (g_str_has_prefix (g->name, "asset ") || strcmp (g->name, "asset") == 0)
    {
      kind = "asset";
      asset_name = g_strstrip (g_strdup (g->name + 5));
      gboolean ok = *asset_name != '\0';
      for (const gchar *p = asset_name; *p; p++)
        ok &= g_ascii_isalnum (*p) || strchr ("._+-", *p) != NULL;
      if (!ok)
        {
          add_problem (l, SHR_CONFIG_ERROR_INVALID_VALUE,
                       "%s:%u: [%s]: an asset name is letters, digits and . _ + - "
                       "(\"[asset NAME]\")",
                       f->path, g->line, g->name);
          return;
        }
    }
  else if (f->assets_only)
    {
      add_problem (l, SHR_CONFIG_ERROR_UNKNOWN_GROUP,
                   "%s:%u: unknown group [%s] (an assets file holds only "
                   "[asset NAME] groups)",
                   f->path, g->line, g->name);
      return;
    }
  else if (!g_strv_contains (known_groups, g->name))
    {
      add_problem (l, SHR_CONFIG_ERROR_UNKNOWN_GROUP, "%s:%u: unknown group [%s]", f->path, g->line, g->name);
      return;
    }

  /* Duplicates: GKeyFile would merge them silently. */
  guint first = GPOINTER_TO_UINT (g_hash_table_lookup (seen_groups, g->name));
  if (first != 0)
    {
      add_problem (l, SHR_CONFIG_ERROR_DUPLICATE, "%s:%u: [%s]: duplicate group (first at line %u)", f->path,
                   g->line, g->name, first);
      return;
    }
  g_hash_table_insert (seen_groups, g->name, GUINT_TO_POINTER (g->line));
  if (asset_name != NULL)
    {
      const gchar *prev = g_hash_table_lookup (l->asset_where, asset_name);
      if (prev != NULL)
        {
          add_problem (l, SHR_CONFIG_ERROR_DUPLICATE, "%s:%u: [%s]: duplicate asset (first at %s)", f->path,
                       g->line, g->name, prev);
          return;
        }
      g_hash_table_insert (l->asset_where, g_strdup (asset_name),
                           g_strdup_printf ("%s:%u", f->path, g->line));
    }
  if (strcmp (kind, "organization") == 0)
    l->have_organization = TRUE;

  /* The scheme decides how the version is read, wherever it is written. */
  ShrVersionScheme scheme = SHR_VERSION_SCHEME_GENERIC;
  g_autofree gchar *scheme_word = g_key_file_get_string (f->keyfile, g->name, "scheme", NULL);
  if (scheme_word != NULL)
    shr_version_scheme_parse (g_strstrip (scheme_word), &scheme);

  g_autoptr (ShrAsset) asset = asset_name != NULL ? shr_asset_new (asset_name, NULL) : NULL;
  if (asset != NULL)
    asset->scheme = scheme;
  g_autoptr (GHashTable) seen_keys = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean asset_ok = TRUE;

  for (guint i = 0; i < g->keys->len; i++)
    {
      const KeyLine *kl = &g_array_index (g->keys, KeyLine, i);
      Where w = { l, f, g, kl };
      const KeySpec *spec = find_spec (kind, kl->key);
      if (spec == NULL)
        {
          add_problem (l, SHR_CONFIG_ERROR_UNKNOWN_KEY, WHERE_FMT "unknown key", WHERE_ARGS (&w));
          asset_ok = FALSE;
          continue;
        }
      guint prev = GPOINTER_TO_UINT (g_hash_table_lookup (seen_keys, kl->key));
      if (prev != 0)
        {
          add_problem (l, SHR_CONFIG_ERROR_DUPLICATE, WHERE_FMT "duplicate key (first at line %u)",
                       WHERE_ARGS (&w), prev);
          asset_ok = FALSE;
          continue;
        }
      g_hash_table_insert (seen_keys, kl->key, GUINT_TO_POINTER (kl->line));

      g_autoptr (GError) error = NULL;
      g_autofree gchar *raw = g_key_file_get_string (f->keyfile, g->name, kl->key, &error);
      if (raw == NULL)
        {
          add_problem (l, SHR_CONFIG_ERROR_INVALID_VALUE, WHERE_FMT "%s", WHERE_ARGS (&w), error->message);
          asset_ok = FALSE;
          continue;
        }
      const gchar *value = g_strstrip (raw);
      if (spec->type == T_SECRET && readable_by_others (f->path))
        {
          add_problem (l, SHR_CONFIG_ERROR_INSECURE,
                       WHERE_FMT "refusing a password in a file that group or "
                                 "others can read (chmod 600 %s, or use password_file)",
                       WHERE_ARGS (&w), f->path);
          continue;
        }
      if (!check_value (&w, spec, value, scheme))
        {
          asset_ok = FALSE;
          continue;
        }

      /* Apply what the profile needs. */
      ShrProfile *p = l->profile;
      if (strcmp (kind, "organization") == 0)
        {
          if (strcmp (kl->key, "name") == 0)
            {
              g_free (p->name);
              p->name = g_strdup (value);
            }
          else if (strcmp (kl->key, "self_ja") == 0)
            {
              g_free (p->self_ja);
              p->self_ja = g_strdup (value);
            }
          else if (strcmp (kl->key, "self_en") == 0)
            {
              g_free (p->self_en);
              p->self_en = g_strdup (value);
            }
          else if (strcmp (kl->key, "sectors") == 0)
            {
              /* A STIX name ("financial-services") is kept as the key it
               * stands for ("finance"): records name sectors by key. */
              g_autoptr (GPtrArray) items = split_list (value);
              for (guint j = 0; j < items->len; j++)
                {
                  const ShrLabelEntry *e = shr_vocabulary_find_sector (l->vocab, items->pdata[j]);
                  shr_strv_add_unique (p->sectors, e != NULL ? e->key : items->pdata[j]);
                }
            }
          else if (strcmp (kl->key, "regions") == 0)
            {
              /* Another code for a country ("UK") is kept as the code
               * records use ("GB"). */
              g_autoptr (GPtrArray) items = split_list (value);
              for (guint j = 0; j < items->len; j++)
                {
                  g_autofree gchar *code = g_ascii_strup (items->pdata[j], -1);
                  const ShrLabelEntry *e = shr_vocabulary_find_region (l->vocab, code);
                  shr_strv_add_unique (p->regions, e != NULL ? e->key : code);
                }
            }
          else if (strcmp (kl->key, "timezone") == 0)
            shr_profile_set_timezone (p, value);
          else if (strcmp (kl->key, "assets_file") == 0)
            apply_assets_file (l, &w, value);
        }
      else if (strcmp (kind, "policy") == 0)
        {
          if (strcmp (kl->key, "grade_a_cvss") == 0)
            p->policy.grade_a_cvss = g_ascii_strtod (value, NULL);
          else if (strcmp (kl->key, "grade_b_cvss") == 0)
            p->policy.grade_b_cvss = g_ascii_strtod (value, NULL);
          else
            {
              gint idx = kl->key[9] - 'a'; /* deadline_X_days */
              p->policy.deadline_days[idx] = (gint)g_ascii_strtoll (value, NULL, 10);
            }
        }
      else if (asset != NULL)
        {
          if (strcmp (kl->key, "vendor") == 0)
            asset->vendor = g_strdup (value);
          else if (strcmp (kl->key, "product") == 0)
            asset->product = g_strdup (value);
          else if (strcmp (kl->key, "version") == 0)
            asset->version = g_strdup (value);
          else if (strcmp (kl->key, "exposure") == 0)
            shr_exposure_parse (value, &asset->exposure);
          else if (strcmp (kl->key, "platform") == 0)
            asset->platform = g_strdup (value);
          else if (strcmp (kl->key, "owners") == 0 || strcmp (kl->key, "aliases") == 0)
            {
              GPtrArray *into = kl->key[0] == 'o' ? asset->owners : asset->aliases;
              g_autoptr (GPtrArray) items = split_list (value);
              for (guint j = 0; j < items->len; j++)
                shr_strv_add_unique (into, items->pdata[j]);
            }
        }
    }

  if (strcmp (kind, "policy") == 0 && l->profile->policy.grade_b_cvss > l->profile->policy.grade_a_cvss)
    add_problem (l, SHR_CONFIG_ERROR_INVALID_VALUE,
                 "%s:%u: [%s]: grade_b_cvss (%.1f) is above grade_a_cvss (%.1f)", f->path, g->line, g->name,
                 l->profile->policy.grade_b_cvss, l->profile->policy.grade_a_cvss);

  /* Required keys, reported at the group's line. */
  for (const KeySpec *s = key_specs; s->group != NULL; s++)
    if (s->required && strcmp (s->group, kind) == 0 && !g_hash_table_contains (seen_keys, s->key))
      {
        add_problem (l, SHR_CONFIG_ERROR_MISSING_KEY, "%s:%u: [%s]: missing required key \"%s\"", f->path,
                     g->line, g->name, s->key);
        asset_ok = FALSE;
      }

  if (asset != NULL && asset_ok)
    shr_profile_add_asset (l->profile, g_steal_pointer (&asset));
}

/* ---- what the stages require -------------------------------------------- */

/* The rules once, watch and the approval loop apply when they start,
 * checked here with the line of the key at fault, so that check-config
 * refuses what they would refuse. The stages' own checks
 * (shr_watch_config_read, shr_smtp_config_check) are called rather than
 * copied; the rest are rules only the configuration as a whole can see. */

static const GroupLines *
find_group (const ConfFile *f, const gchar *name)
{
  for (guint i = 0; i < f->groups->len; i++)
    {
      const GroupLines *g = f->groups->pdata[i];
      if (strcmp (g->name, name) == 0)
        return g;
    }
  return NULL;
}

static guint
key_line (const GroupLines *g, const gchar *key)
{
  for (guint i = 0; key != NULL && i < g->keys->len; i++)
    if (strcmp (g_array_index (g->keys, KeyLine, i).key, key) == 0)
      return g_array_index (g->keys, KeyLine, i).line;
  return 0;
}

/* A problem at @key's line (the group's when @key is NULL or absent).
 * @message names the group and key itself. */
static void
add_rule_problem (Loader *l, const ConfFile *f, const GroupLines *g, const gchar *key, ShrConfigError code,
                  const gchar *message)
{
  guint line = key_line (g, key);
  add_problem (l, code, "%s:%u: %s", f->path, line != 0 ? line : g->line, message);
}

static gchar *
string_value (const ConfFile *f, const gchar *group, const gchar *key)
{
  g_autofree gchar *v = g_key_file_get_string (f->keyfile, group, key, NULL);
  if (v != NULL)
    g_strstrip (v);
  return v != NULL && *v != '\0' ? g_steal_pointer (&v) : NULL;
}

/* The password file is read as the login will read it (mode, first line
 * not empty), then wiped. */
static void
check_password_file (Loader *l, const ConfFile *f, const GroupLines *g, const gchar *path)
{
  if (path == NULL)
    return;
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrSecret) secret
      = shr_secret_from_file (g->name, path, SHR_CONFIG_ERROR, SHR_CONFIG_ERROR_INVALID_VALUE, &error);
  if (secret == NULL)
    add_rule_problem (l, f, g, "password_file", SHR_CONFIG_ERROR_INVALID_VALUE, error->message);
}

/* A command is not run here (a token helper may reach the network), but
 * the program it starts must exist: a typo would otherwise show only at
 * the first login. Commands using shell syntax are the shell's to judge. */
static void
check_command (Loader *l, const ConfFile *f, const GroupLines *g, const gchar *key)
{
  g_autofree gchar *command = string_value (f, g->name, key);
  if (command == NULL)
    return;
  g_auto (GStrv) argv = NULL;
  if (!g_shell_parse_argv (command, NULL, &argv, NULL))
    {
      g_autofree gchar *m = g_strdup_printf ("[%s] %s: not a command the shell can read", g->name, key);
      add_rule_problem (l, f, g, key, SHR_CONFIG_ERROR_INVALID_VALUE, m);
      return;
    }
  if (strpbrk (argv[0], "$`|;&<>(){}*?=") != NULL)
    return;
  g_autofree gchar *program
      = strchr (argv[0], '/') != NULL ? g_strdup (argv[0]) : g_find_program_in_path (argv[0]);
  if (program == NULL || !g_file_test (program, G_FILE_TEST_IS_EXECUTABLE)
      || g_file_test (program, G_FILE_TEST_IS_DIR))
    {
      g_autofree gchar *m = g_strdup_printf ("[%s] %s: \"%s\" is not an executable program%s", g->name, key,
                                             argv[0], strchr (argv[0], '/') != NULL ? "" : " in PATH");
      add_rule_problem (l, f, g, key, SHR_CONFIG_ERROR_INVALID_VALUE, m);
    }
}

static void
check_readable_file (Loader *l, const ConfFile *f, const GroupLines *g, const gchar *key, const gchar *path)
{
  if (path == NULL || g_access (path, R_OK) == 0)
    return;
  int saved = errno;
  g_autofree gchar *m = g_strdup_printf ("[%s] %s: %s: %s", g->name, key, path, g_strerror (saved));
  add_rule_problem (l, f, g, key, SHR_CONFIG_ERROR_INVALID_VALUE, m);
}

/* Where two secret sources are given, the stage names one of them; the
 * line shown is the later of those given (the one added last). */
static const gchar *
at_fault (const GroupLines *g, const gchar *key)
{
  static const gchar *const secrets[]
      = { "password", "password_file", "password_command", "oauth2_token_command", NULL };
  if (key == NULL || !g_strv_contains (secrets, key))
    return key;
  const gchar *last = key;
  for (guint i = 0; secrets[i] != NULL; i++)
    if (key_line (g, secrets[i]) > key_line (g, last))
      last = secrets[i];
  return last;
}

/* What [imap] and [smtp] name outside this file: the CA file, the
 * password file and the programs of the commands. */
static void
check_files_and_commands (Loader *l, const ConfFile *f, const GroupLines *g, const gchar *ca_file,
                          const gchar *password_file)
{
  check_readable_file (l, f, g, "ca_file", ca_file);
  check_password_file (l, f, g, password_file);
  check_command (l, f, g, "password_command");
  check_command (l, f, g, "oauth2_token_command");
}

static void
check_imap (Loader *l, const ConfFile *f, const GroupLines *g, const gchar *dir)
{
  const gchar *key = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrWatchConfig) c = shr_watch_config_read (f->keyfile, dir, &key, &error);
  if (c == NULL)
    {
      add_rule_problem (l, f, g, at_fault (g, key), SHR_CONFIG_ERROR_INVALID_VALUE, error->message);
      return;
    }
  check_files_and_commands (l, f, g, c->ca_file, c->password_file);
}

static void
check_smtp (Loader *l, const ConfFile *f, const GroupLines *g)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrSmtpConfig) c = shr_smtp_config_from_keyfile (f->keyfile, f->path, &error);
  const gchar *key = "url";
  if (c != NULL && !shr_smtp_config_check (c, &key, &error))
    g_clear_pointer (&c, shr_smtp_config_free);
  if (c == NULL)
    {
      /* shr_smtp_config_from_keyfile names the file itself. */
      const gchar *message = error->message;
      if (g_str_has_prefix (message, f->path) && message[strlen (f->path)] == ':')
        message += strlen (f->path) + 2;
      add_rule_problem (l, f, g, at_fault (g, key), SHR_CONFIG_ERROR_INVALID_VALUE, message);
      return;
    }
  check_files_and_commands (l, f, g, c->ca_file, c->password_file);
}

/* "Name <addr>" or "addr": whether an address is there. */
static gboolean
has_address (const gchar *from)
{
  const gchar *lt = strrchr (from, '<');
  const gchar *at = strchr (lt != NULL ? lt : from, '@');
  return at != NULL && at[1] != '\0' && at[1] != '>' && at != (lt != NULL ? lt + 1 : from);
}

static void
check_approval (Loader *l, const ConfFile *f, const GroupLines *g, const GroupLines *smtp)
{
  if (smtp == NULL)
    add_rule_problem (l, f, g, NULL, SHR_CONFIG_ERROR_MISSING_KEY,
                      "[approval]: drafts go out by mail, but there is no [smtp] group");
  else
    {
      g_autofree gchar *from = string_value (f, "smtp", "from");
      if (from == NULL || !has_address (from))
        add_rule_problem (l, f, smtp, "from", SHR_CONFIG_ERROR_MISSING_KEY,
                          "[smtp] from: an address is needed to send drafts and notices");
    }

  g_autofree gchar *approvers = string_value (f, "approval", "approvers");
  g_autoptr (GPtrArray) list = approvers != NULL ? split_list (approvers) : g_ptr_array_new ();
  gint64 quorum = 1;
  g_autofree gchar *q = string_value (f, "approval", "quorum");
  if (q != NULL)
    g_ascii_string_to_signed (q, 10, 1, 100, &quorum, NULL);
  if (list->len > 0 && (guint64)quorum > list->len)
    {
      g_autofree gchar *m = g_strdup_printf ("[approval] quorum: %" G_GINT64_FORMAT
                                             " approvals are needed, but approvers lists %u",
                                             quorum, list->len);
      add_rule_problem (l, f, g, "quorum", SHR_CONFIG_ERROR_INVALID_VALUE, m);
    }

  g_autofree gchar *require = string_value (f, "approval", "require_auth_results");
  g_autofree gchar *authserv = string_value (f, "approval", "trusted_authserv_id");
  gboolean required = g_strcmp0 (require, "true") == 0;
  if (required && authserv == NULL)
    add_rule_problem (l, f, g, "require_auth_results", SHR_CONFIG_ERROR_MISSING_KEY,
                      "[approval] require_auth_results: needs trusted_authserv_id (the authserv-id your "
                      "receiving server writes in Authentication-Results), else no reply would count");
  else if (!required && authserv != NULL)
    add_rule_problem (l, f, g, "trusted_authserv_id", SHR_CONFIG_ERROR_INVALID_VALUE,
                      "[approval] trusted_authserv_id: has no effect unless require_auth_results = true");
}

static void
check_templates (Loader *l, const ConfFile *f, const GroupLines *g)
{
  if (key_line (g, "dir") == 0)
    return;
  g_autofree gchar *dir = shr_render_dir_for_config (f->keyfile, f->path);
  g_autoptr (GError) error = NULL;
  ShrRenderer *renderer = shr_renderer_new (dir, &error);
  if (renderer == NULL)
    {
      g_autofree gchar *m = g_strdup_printf ("[templates] dir: %s", error->message);
      add_rule_problem (l, f, g, "dir", SHR_CONFIG_ERROR_INVALID_VALUE, m);
    }
  shr_renderer_free (renderer);
}

/* Runs the rules of the groups present whose keys were all valid (a
 * group with a bad value would only repeat its problem). */
static void
check_stage_rules (Loader *l, const ConfFile *f, GHashTable *bad_groups)
{
  g_autofree gchar *dir = g_path_get_dirname (f->path);
  const GroupLines *imap = find_group (f, "imap");
  const GroupLines *smtp = find_group (f, "smtp");
  const GroupLines *approval = find_group (f, "approval");
  const GroupLines *templates = find_group (f, "templates");
  if (templates != NULL && !g_hash_table_contains (bad_groups, "templates"))
    check_templates (l, f, templates);
  if (l->judge_only)
    return;
  if (imap != NULL && !g_hash_table_contains (bad_groups, "imap"))
    check_imap (l, f, imap, dir);
  if (smtp != NULL && !g_hash_table_contains (bad_groups, "smtp"))
    check_smtp (l, f, smtp);
  if (approval != NULL && !g_hash_table_contains (bad_groups, "approval")
      && !g_hash_table_contains (bad_groups, "smtp"))
    check_approval (l, f, approval, smtp);
}

static gboolean
load_file (Loader *l, const gchar *path, gboolean assets_only, const gchar *from_where, ConfFile **out)
{
  g_autoptr (ConfFile) f = g_new0 (ConfFile, 1);
  f->path = g_strdup (path);
  f->assets_only = assets_only;
  f->groups = g_ptr_array_new_with_free_func (group_lines_free);

  g_autofree gchar *text = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;
  if (!g_file_get_contents (path, &text, &len, &error))
    {
      if (from_where != NULL)
        add_problem (l, SHR_CONFIG_ERROR_IO, "%scannot read %s: %s", from_where, path,
                     g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? "no such file"
                                                                               : error->message);
      else
        add_problem (l, SHR_CONFIG_ERROR_IO, "%s", error->message);
      return FALSE;
    }
  if (len > SHR_MAX_CONFIG_BYTES)
    {
      add_problem (l, SHR_CONFIG_ERROR_IO, "%s: larger than %u bytes", path, (guint)SHR_MAX_CONFIG_BYTES);
      return FALSE;
    }
  if (memchr (text, '\0', len) != NULL || !g_utf8_validate (text, len, NULL))
    {
      add_problem (l, SHR_CONFIG_ERROR_PARSE, "%s: not UTF-8 text", path);
      return FALSE;
    }
  if (!scan_lines (l, f, text))
    return FALSE;

  f->keyfile = g_key_file_new ();
  if (!g_key_file_load_from_data (f->keyfile, text, len, G_KEY_FILE_NONE, &error))
    {
      add_problem (l, SHR_CONFIG_ERROR_PARSE, "%s: %s", path, error->message);
      return FALSE;
    }

  g_autoptr (GHashTable) seen_groups = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) bad_groups = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < f->groups->len; i++)
    {
      GroupLines *g = f->groups->pdata[i];
      guint before = l->problems->len;
      check_group (l, f, g, seen_groups);
      if (l->problems->len > before)
        g_hash_table_add (bad_groups, g->name);
    }
  if (!assets_only)
    check_stage_rules (l, f, bad_groups);
  if (out != NULL)
    *out = g_steal_pointer (&f);
  return TRUE;
}

static ShrConfig *
load (const gchar *path, const ShrVocabulary *vocab, gboolean judge_only, GPtrArray *problems)
{
  Loader l = { problems,
               vocab,
               shr_profile_new (NULL),
               g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
               FALSE,
               judge_only };
  ConfFile *f = NULL;
  gboolean read = load_file (&l, path, FALSE, NULL, &f);
  if (read && !l.have_organization)
    add_problem (&l, SHR_CONFIG_ERROR_MISSING_KEY, "%s: missing required group [organization]", path);
  g_hash_table_unref (l.asset_where);
  if (problems->len > 0 || f == NULL)
    {
      conf_file_free (f);
      shr_profile_free (l.profile);
      return NULL;
    }
  shr_profile_build_index (l.profile, vocab);
  ShrConfig *c = g_new0 (ShrConfig, 1);
  c->path = g_strdup (path);
  c->keyfile = g_key_file_ref (f->keyfile);
  c->profile = l.profile;
  conf_file_free (f);
  return c;
}

static ShrConfig *
load_or_fail (const gchar *path, const ShrVocabulary *vocab, gboolean judge_only, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (problem_free);
  ShrConfig *c = load (path, vocab, judge_only, problems);
  if (c == NULL)
    {
      const ShrConfigProblem *p = problems->pdata[0];
      g_set_error_literal (error, SHR_CONFIG_ERROR, p->code, p->message);
    }
  return c;
}

ShrConfig *
shr_config_load (const gchar *path, const ShrVocabulary *vocab, GError **error)
{
  return load_or_fail (path, vocab, FALSE, error);
}

ShrConfig *
shr_config_load_for_judging (const gchar *path, const ShrVocabulary *vocab, GError **error)
{
  return load_or_fail (path, vocab, TRUE, error);
}

GPtrArray *
shr_config_check (const gchar *path, const ShrVocabulary *vocab)
{
  g_return_val_if_fail (path != NULL, NULL);
  GPtrArray *problems = g_ptr_array_new_with_free_func (problem_free);
  ShrConfig *c = load (path, vocab, FALSE, problems);
  shr_config_free (c);
  return problems;
}

void
shr_config_free (ShrConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->path);
  if (config->keyfile != NULL)
    g_key_file_unref (config->keyfile);
  shr_profile_free (config->profile);
  g_free (config);
}

gchar **
shr_config_known_keys (void)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  for (const KeySpec *s = key_specs; s->group != NULL; s++)
    {
      g_autofree gchar *name = g_strdup_printf ("%s %s", s->group, s->key);
      g_strv_builder_add (b, name);
    }
  return g_strv_builder_end (b);
}

gchar *
shr_config_asset_group (const gchar *name)
{
  return g_strdup_printf ("asset %s", name);
}

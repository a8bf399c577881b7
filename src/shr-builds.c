/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "shr-builds.h"

#include <string.h>

#include "shr-error.h"
#include "shr-lexicon.h"
#include "shr-limits.h"
#include "shr-version.h"

typedef struct
{
  gchar *product; /* normalised */
  gchar *name;    /* normalised release name: "2019 cu14" */
  gchar *build;
} Release;

struct _ShrBuilds
{
  GPtrArray *releases; /* Release*, longest name first */
  GPtrArray *windows;  /* ShrWindowsLine*, in file order */
};

static void windows_line_free (ShrWindowsLine *line);

static void
release_free (Release *r)
{
  g_free (r->product);
  g_free (r->name);
  g_free (r->build);
  g_free (r);
}

static gint
longest_name_first (gconstpointer a, gconstpointer b)
{
  const Release *x = *(Release *const *)a;
  const Release *y = *(Release *const *)b;
  return (gint)strlen (y->name) - (gint)strlen (x->name);
}

ShrBuilds *
shr_builds_new (void)
{
  ShrBuilds *builds = g_new0 (ShrBuilds, 1);
  builds->releases = g_ptr_array_new_with_free_func ((GDestroyNotify)release_free);
  builds->windows = g_ptr_array_new_with_free_func ((GDestroyNotify)windows_line_free);
  return builds;
}

ShrBuilds *
shr_builds_load (const gchar *path, GError **error)
{
  g_autofree gchar *contents = shr_lexicon_read_data (path, error);
  if (contents == NULL)
    return NULL;
  g_autoptr (ShrBuilds) builds = shr_builds_new ();
  g_auto (GStrv) lines = g_strsplit (contents, "\n", -1);
  for (guint n = 0; lines[n] != NULL; n++)
    {
      g_strchomp (lines[n]);
      if (lines[n][0] == '#' || lines[n][0] == '\0')
        continue;
      g_auto (GStrv) f = g_strsplit (lines[n], "\t", -1);
      if (g_strv_length (f) < 4 || shr_version_validate (SHR_VERSION_SCHEME_GENERIC, f[3], NULL) == FALSE)
        {
          g_set_error (error, SHR_LEXICON_ERROR, SHR_LEXICON_ERROR_PARSE,
                       "%s:%u: vendor, product, release and build expected, separated by tabs", path, n + 1);
          return NULL;
        }
      Release *r = g_new0 (Release, 1);
      r->product = shr_lexicon_normalize (f[1]);
      r->name = shr_lexicon_normalize (f[2]);
      r->build = g_strdup (f[3]);
      g_ptr_array_add (builds->releases, r);
    }
  g_ptr_array_sort (builds->releases, longest_name_first);
  return g_steal_pointer (&builds);
}

void
shr_builds_free (ShrBuilds *builds)
{
  if (builds == NULL)
    return;
  g_ptr_array_unref (builds->releases);
  g_ptr_array_unref (builds->windows);
  g_free (builds);
}

const ShrBuilds *
shr_builds_get_default (void)
{
  static gsize once;
  static ShrBuilds *builds;
  if (g_once_init_enter (&once))
    {
      g_autofree gchar *path = g_build_filename (shr_lexicon_default_dir (), "builds.tsv", NULL);
      g_autofree gchar *windows = g_build_filename (shr_lexicon_default_dir (), "windows-builds.tsv", NULL);
      g_autoptr (GError) error = NULL;
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        {
          builds = shr_builds_load (path, &error);
          if (builds == NULL)
            g_warning ("release names of products are not available: %s", error->message);
          g_clear_error (&error);
        }
      if (builds == NULL)
        builds = shr_builds_new ();
      if (g_file_test (windows, G_FILE_TEST_EXISTS) && !shr_builds_load_windows (builds, windows, &error))
        g_warning ("Windows builds are not available: %s", error->message);
      g_once_init_leave (&once, 1);
    }
  return builds;
}

/* "… CU15 SU3", "… RTM SU2", "… CU14 Hotfix": an update after the release. */
static gboolean
names_later_update (const gchar *norm_phrase, const gchar *after_name)
{
  static GRegex *re;
  if (g_once_init_enter (&re))
    g_once_init_leave (
        &re, g_regex_new ("^\\s*(?:su|hu|hotfix|security update)\\s*\\d*", G_REGEX_OPTIMIZE, 0, NULL));
  return g_regex_match (re, after_name, 0, NULL) || strstr (norm_phrase, " su") != NULL;
}

const gchar *
shr_builds_find (const ShrBuilds *builds, const gchar *product, const gchar *phrase, gboolean *later_update)
{
  if (builds == NULL || product == NULL || phrase == NULL)
    return NULL;
  g_autofree gchar *norm_product = shr_lexicon_normalize (product);
  g_autofree gchar *norm = shr_lexicon_normalize (phrase);
  for (guint i = 0; i < builds->releases->len; i++)
    {
      const Release *r = g_ptr_array_index (builds->releases, i);
      if (strstr (norm_product, r->product) == NULL && strstr (r->product, norm_product) == NULL)
        continue;
      const gchar *at = strstr (norm, r->name);
      if (at == NULL)
        continue;
      /* The name must stand alone: "cu1" is not found in "cu15". */
      const gchar *end = at + strlen (r->name);
      if (g_ascii_isalnum (*end) || (at > norm && g_ascii_isalnum (at[-1])))
        continue;
      if (later_update != NULL)
        *later_update = names_later_update (norm, end);
      return r->build;
    }
  return NULL;
}

gboolean
shr_builds_names_release (const ShrBuilds *builds, const gchar *product, const GPtrArray *fixed)
{
  if (builds == NULL || fixed == NULL)
    return FALSE;
  for (guint i = 0; i < fixed->len; i++)
    if (shr_builds_find (builds, product, g_ptr_array_index (fixed, i), NULL) != NULL)
      return TRUE;
  return FALSE;
}

/* "15.2.1748.10" → "15.2.1748": the release line a build belongs to. */
static gchar *
release_line (const gchar *build)
{
  g_auto (GStrv) parts = g_strsplit (build, ".", 4);
  if (g_strv_length (parts) < 3)
    return g_strdup (build);
  return g_strdup_printf ("%s.%s.%s", parts[0], parts[1], parts[2]);
}

ShrTristate
shr_builds_affected (const ShrBuilds *builds, const gchar *product, const GPtrArray *fixed,
                     const gchar *version)
{
  if (builds == NULL || fixed == NULL || version == NULL
      || !shr_version_validate (SHR_VERSION_SCHEME_GENERIC, version, NULL))
    return SHR_TRISTATE_UNKNOWN;
  g_autofree gchar *asset_line = release_line (version);
  const gchar *newest = NULL;
  for (guint i = 0; i < fixed->len; i++)
    {
      gboolean later = FALSE;
      const gchar *build = shr_builds_find (builds, product, g_ptr_array_index (fixed, i), &later);
      if (build == NULL)
        continue;
      if (newest == NULL || shr_version_compare_generic (build, newest) > 0)
        newest = build;
      g_autofree gchar *line = release_line (build);
      if (strcmp (line, asset_line) != 0)
        continue;
      gint cmp = shr_version_compare_generic (version, build);
      if (later)
        /* The fix is an update on this release: the release itself and
         * anything before it are affected; later builds cannot be placed. */
        return cmp <= 0 ? SHR_TRISTATE_TRUE : SHR_TRISTATE_UNKNOWN;
      return cmp < 0 ? SHR_TRISTATE_TRUE : SHR_TRISTATE_FALSE;
    }
  if (newest == NULL)
    return SHR_TRISTATE_UNKNOWN;
  /* A release line the advisory does not fix: older ones get no fix. */
  return shr_version_compare_generic (version, newest) < 0 ? SHR_TRISTATE_TRUE : SHR_TRISTATE_UNKNOWN;
}

/* ---- Windows: release lines and their monthly security updates ---- */

typedef struct
{
  gint month; /* year * 12 + month - 1 */
  gint date;  /* yyyymmdd */
  guint ubr;  /* the last part of the build: 10.0.14393.693 → 693 */
  guint kb;
} WinUpdate;

/* What a month of a line's span holds, besides an index into updates. */
enum
{
  SLOT_GAP = -1,  /* not in the table: can't tell */
  SLOT_NONE = -2, /* Microsoft released no security update that month */
};

struct _ShrWindowsLine
{
  gchar *id;
  gchar *name;
  guint major, minor, build; /* 10.0.14393 */
  GPtrArray *keys;           /* (element-type GStrv) words of each name */
  GStrv exclude;
  GArray *updates;   /* WinUpdate, by month: dates and UBRs rise with it */
  GArray *slots;     /* gint per month from the first update's to the last's */
  GHashTable *by_kb; /* kb → index + 1 */
  /* Lines sharing a build (Windows 11 24H2, Windows Server 2025): updates up
   * to shared_ubr are the same on all of them; past it, this line's own
   * builds start at branch_ubr. shares_build is FALSE for a build of one
   * line, and for lines that never diverged. */
  gboolean shares_build;
  guint shared_ubr;
  guint branch_ubr;
};

static void
windows_line_free (ShrWindowsLine *line)
{
  if (line == NULL)
    return;
  g_free (line->id);
  g_free (line->name);
  g_ptr_array_unref (line->keys);
  g_strfreev (line->exclude);
  g_array_unref (line->updates);
  g_array_unref (line->slots);
  g_hash_table_unref (line->by_kb);
  g_free (line);
}

const gchar *
shr_windows_line_id (const ShrWindowsLine *line)
{
  g_return_val_if_fail (line != NULL, NULL);
  return line->id;
}

const gchar *
shr_windows_line_name (const ShrWindowsLine *line)
{
  g_return_val_if_fail (line != NULL, NULL);
  return line->name;
}

/* A build as Windows reports it: 10.0.19044.1645 (has_ubr), 10.0.19044. */
typedef struct
{
  guint major, minor, build, ubr;
  gboolean has_ubr;
} WinBuild;

/* Largest number accepted in any part of a build: Windows' own parts stay
 * far below (UBR 33158 in 2026); more digits are not a build. */
#define WIN_MAX_PART 999999u

/* One dotted run of @len bytes at @p: "10.0.19044.1645", "19044.1645". */
static gboolean
parse_build_token (const gchar *p, gsize len, WinBuild *out)
{
  guint parts[4];
  guint n = 0;
  gsize i = 0;
  while (i < len)
    {
      if (n == 4)
        return FALSE;
      guint64 v = 0;
      gsize digits = 0;
      while (i < len && g_ascii_isdigit (p[i]))
        {
          v = v * 10 + (guint)(p[i] - '0');
          if (++digits > 6)
            return FALSE;
          i++;
        }
      if (digits == 0 || v > WIN_MAX_PART)
        return FALSE;
      parts[n++] = (guint)v;
      if (i < len)
        {
          if (p[i] != '.' || i + 1 == len)
            return FALSE;
          i++;
        }
    }
  *out = (WinBuild){ 0 };
  if (n == 4 || n == 3)
    {
      /* NT 10.0 for Windows 10, 11 and Server 2016 on; 6.3 for Server
       * 2012 R2. Other prefixes are some other product's version. */
      if (!((parts[0] == 10 && parts[1] == 0 && parts[2] >= 10240)
            || (parts[0] == 6 && parts[1] == 3 && parts[2] == 9600)))
        return FALSE;
      out->major = parts[0];
      out->minor = parts[1];
      out->build = parts[2];
      out->has_ubr = n == 4;
      out->ubr = n == 4 ? parts[3] : 0;
      return TRUE;
    }
  if (n == 2 && (parts[0] == 9600 || parts[0] >= 10240))
    {
      /* "19045.3803" as release-health pages and winver write it. */
      out->major = parts[0] == 9600 ? 6 : 10;
      out->minor = parts[0] == 9600 ? 3 : 0;
      out->build = parts[0];
      out->ubr = parts[1];
      out->has_ubr = TRUE;
      return TRUE;
    }
  return FALSE;
}

/* The first build in @text: a run of digits and dots standing alone
 * ("Version 10.0.19045.3803", "OS Build 19045.3803]"). When @whole, @text
 * must be that build and nothing else. */
static gboolean
find_build (const gchar *text, gboolean whole, WinBuild *out)
{
  gsize len = strlen (text);
  gsize i = 0;
  while (i < len)
    {
      /* A digit run glued to a word, a dot or a sign ("x64", "-19044") is
       * not a build. */
      if (!g_ascii_isdigit (text[i])
          || (i > 0 && (g_ascii_isalnum (text[i - 1]) || strchr (".-+", text[i - 1]))))
        {
          if (whole && !g_ascii_isspace (text[i]))
            return FALSE;
          i++;
          continue;
        }
      gsize start = i;
      while (i < len && (g_ascii_isdigit (text[i]) || text[i] == '.'))
        i++;
      gboolean alone = i == len || !g_ascii_isalnum (text[i]);
      if (alone && parse_build_token (text + start, i - start, out))
        {
          if (!whole)
            return TRUE;
          while (i < len && g_ascii_isspace (text[i]))
            i++;
          return i == len;
        }
      if (whole)
        return FALSE;
    }
  return FALSE;
}

/* The words of a product name (and of a version written as a release,
 * "22H2"): NFKC, case folded, split at whatever is not a letter or digit;
 * "Windows10" and "Win10" are "windows 10". The words point into texts. */
#define WORDS_MAX 256
typedef struct
{
  gchar *texts[2];
  guint n_texts;
  const gchar *word[WORDS_MAX];
  guint len;
} Words;

static void
words_clear (Words *w)
{
  for (guint i = 0; i < w->n_texts; i++)
    g_free (w->texts[i]);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Words, words_clear)

static gboolean
is_ascii (const gchar *text)
{
  for (const guchar *p = (const guchar *)text; *p; p++)
    if (*p >= 0x80)
      return FALSE;
  return TRUE;
}

static void
words_add (Words *w, const gchar *text)
{
  g_return_if_fail (w->n_texts < G_N_ELEMENTS (w->texts));
  /* Product names are nearly always ASCII, whose NFKC case fold is lower
   * case; this runs for every asset an advisory may concern. */
  gchar *norm = is_ascii (text) ? g_ascii_strdown (text, -1) : shr_lexicon_normalize (text);
  w->texts[w->n_texts++] = norm;
  gchar *p = norm;
  while (*p && w->len < WORDS_MAX)
    {
      if (!g_unichar_isalnum (g_utf8_get_char (p)))
        {
          gchar *next = g_utf8_next_char (p);
          memset (p, '\0', next - p);
          p = next;
          continue;
        }
      gchar *start = p;
      while (*p && g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      gsize len = p - start;
      if (*p)
        {
          gchar *next = g_utf8_next_char (p);
          memset (p, '\0', next - p);
          p = next;
        }
      gsize prefix = 0;
      if (len >= 7 && strncmp (start, "windows", 7) == 0)
        prefix = 7;
      else if (len >= 3 && strncmp (start, "win", 3) == 0 && (len == 3 || g_ascii_isdigit (start[3])))
        prefix = 3;
      if (prefix > 0 && strspn (start + prefix, "0123456789") == len - prefix)
        {
          w->word[w->len++] = "windows";
          if (len > prefix && w->len < WORDS_MAX)
            w->word[w->len++] = start + prefix;
        }
      else
        w->word[w->len++] = start;
    }
}

/* Whether @key's words occur in @w in that order. */
static gboolean
words_hold (const Words *w, const gchar *const *key)
{
  guint at = 0;
  for (; *key != NULL; key++)
    {
      while (at < w->len && strcmp (w->word[at], *key) != 0)
        at++;
      if (at == w->len)
        return FALSE;
      at++;
    }
  return TRUE;
}

/* (transfer full) The words of @text as a string vector: keys, exclusions. */
static GStrv
words_strv (const gchar *text)
{
  g_auto (Words) w = { 0 };
  words_add (&w, text);
  GStrv v = g_new0 (gchar *, w.len + 1);
  for (guint i = 0; i < w.len; i++)
    v[i] = g_strdup (w.word[i]);
  return v;
}

static gboolean
line_named_by (const ShrWindowsLine *line, const Words *words)
{
  for (guint i = 0; line->exclude != NULL && line->exclude[i] != NULL; i++)
    for (guint w = 0; w < words->len; w++)
      if (strcmp (words->word[w], line->exclude[i]) == 0)
        return FALSE;
  for (guint k = 0; k < line->keys->len; k++)
    if (words_hold (words, g_ptr_array_index (line->keys, k)))
      return TRUE;
  return FALSE;
}

/* Whether the family a product name names, if any ("Windows Server", "Windows
 * 10", "Windows 11", without a release), is one of @line's: the first two
 * words of its keys. */
static gboolean
family_fits (const ShrWindowsLine *line, const Words *words)
{
  static const gchar *const families[][3] = {
    { "windows", "server", NULL },
    { "windows", "10", NULL },
    { "windows", "11", NULL },
  };
  gboolean names_family = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (families); i++)
    {
      if (!words_hold (words, families[i]))
        continue;
      names_family = TRUE;
      for (guint k = 0; k < line->keys->len; k++)
        {
          const gchar *const *key = g_ptr_array_index (line->keys, k);
          if (key[0] != NULL && key[1] != NULL && strcmp (key[0], families[i][0]) == 0
              && strcmp (key[1], families[i][1]) == 0)
            return TRUE;
        }
    }
  return !names_family;
}

static gboolean
usable_text (const gchar *text, gsize max)
{
  return text != NULL && strlen (text) <= max && g_utf8_validate (text, -1, NULL);
}

/* ---- loading ---- */

static gboolean
parse_month (const gchar *text, gint *month)
{
  guint64 y, m;
  if (strlen (text) != 7 || text[4] != '-' || !g_ascii_isdigit (text[5]) || !g_ascii_isdigit (text[6]))
    return FALSE;
  g_autofree gchar *year = g_strndup (text, 4);
  if (!g_ascii_string_to_unsigned (year, 10, 1990, 2200, &y, NULL)
      || !g_ascii_string_to_unsigned (text + 5, 10, 1, 12, &m, NULL))
    return FALSE;
  *month = (gint)(y * 12 + m - 1);
  return TRUE;
}

/* "2017-03-14" → 20170314 and its month; only real dates. */
static gboolean
parse_date (const gchar *text, gint *date, gint *month)
{
  if (strlen (text) != 10 || text[7] != '-' || !g_ascii_isdigit (text[8]) || !g_ascii_isdigit (text[9]))
    return FALSE;
  g_autofree gchar *ym = g_strndup (text, 7);
  if (!parse_month (ym, month))
    return FALSE;
  guint64 d;
  if (!g_ascii_string_to_unsigned (text + 8, 10, 1, 31, &d, NULL))
    return FALSE;
  gint y = *month / 12, m = *month % 12 + 1;
  if (!g_date_valid_dmy ((GDateDay)d, (GDateMonth)m, (GDateYear)y))
    return FALSE;
  *date = y * 10000 + m * 100 + (gint)d;
  return TRUE;
}

/* "KB5012599", "kb 5012599". */
static gboolean
parse_kb (const gchar *text, guint *kb)
{
  if (g_ascii_strncasecmp (text, "kb", 2) != 0)
    return FALSE;
  text += 2;
  if (*text == ' ')
    text++;
  guint64 v;
  if (*text == '\0' || strspn (text, "0123456789") != strlen (text)
      || !g_ascii_string_to_unsigned (text, 10, 1, 99999999, &v, NULL))
    return FALSE;
  *kb = (guint)v;
  return TRUE;
}

static ShrWindowsLine *
find_line_id (GPtrArray *lines, const gchar *id)
{
  for (guint i = 0; i < lines->len; i++)
    {
      ShrWindowsLine *line = g_ptr_array_index (lines, i);
      if (strcmp (line->id, id) == 0)
        return line;
    }
  return NULL;
}

static gboolean G_GNUC_PRINTF (4, 5)
    windows_fail (GError **error, const gchar *path, guint lineno, const gchar *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree gchar *what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SHR_LEXICON_ERROR, SHR_LEXICON_ERROR_PARSE, "%s:%u: %s", path, lineno, what);
  return FALSE;
}

static ShrWindowsLine *
parse_line_record (gchar **f, guint n, GPtrArray *lines, GPtrArray *known, const gchar *path, guint lineno,
                   GError **error)
{
  if (n < 5 || n > 6)
    {
      windows_fail (error, path, lineno, "line: ID, BUILD, NAME, KEYS and optional EXCLUDE expected");
      return NULL;
    }
  if (f[1][0] == '\0' || find_line_id (lines, f[1]) != NULL || find_line_id (known, f[1]) != NULL)
    {
      windows_fail (error, path, lineno, "line: ID \"%s\" empty or given twice", f[1]);
      return NULL;
    }
  WinBuild b;
  if (!find_build (f[2], TRUE, &b) || b.has_ubr)
    {
      windows_fail (error, path, lineno, "line: BUILD \"%s\" is not a Windows build such as 10.0.14393",
                    f[2]);
      return NULL;
    }
  ShrWindowsLine *line = g_new0 (ShrWindowsLine, 1);
  line->id = g_strdup (f[1]);
  line->name = g_strdup (f[3]);
  line->major = b.major;
  line->minor = b.minor;
  line->build = b.build;
  line->keys = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  line->updates = g_array_new (FALSE, FALSE, sizeof (WinUpdate));
  line->slots = g_array_new (FALSE, FALSE, sizeof (gint));
  line->by_kb = g_hash_table_new (NULL, NULL);
  g_auto (GStrv) keys = g_strsplit (f[4], "|", -1);
  for (guint k = 0; keys[k] != NULL; k++)
    {
      GStrv words = words_strv (keys[k]);
      if (words[0] == NULL)
        g_strfreev (words);
      else
        g_ptr_array_add (line->keys, words);
    }
  if (line->name[0] == '\0' || line->keys->len == 0)
    {
      windows_line_free (line);
      windows_fail (error, path, lineno, "line: NAME and at least one key expected");
      return NULL;
    }
  if (n == 6)
    {
      line->exclude = words_strv (f[5]);
    }
  return line;
}

static gboolean
add_update_record (gchar **f, guint n, GPtrArray *lines, const gchar *path, guint lineno, GError **error)
{
  ShrWindowsLine *line = n > 1 ? find_line_id (lines, f[1]) : NULL;
  if (n != 6 || line == NULL)
    return windows_fail (error, path, lineno, "update: a line's ID, MONTH, DATE, BUILD and KB expected");
  WinUpdate u;
  gint date_month;
  WinBuild b;
  if (!parse_month (f[2], &u.month))
    return windows_fail (error, path, lineno, "update: MONTH \"%s\" is not YYYY-MM", f[2]);
  if (!parse_date (f[3], &u.date, &date_month) || date_month != u.month)
    return windows_fail (error, path, lineno, "update: DATE \"%s\" is not a day of %s", f[3], f[2]);
  if (!find_build (f[4], TRUE, &b) || !b.has_ubr || b.major != line->major || b.minor != line->minor
      || b.build != line->build)
    return windows_fail (error, path, lineno, "update: BUILD \"%s\" is not a full build of %u.%u.%u", f[4],
                         line->major, line->minor, line->build);
  u.ubr = b.ubr;
  if (!parse_kb (f[5], &u.kb))
    return windows_fail (error, path, lineno, "update: KB \"%s\" is not a KB number such as KB5012599", f[5]);
  if (line->updates->len > 0)
    {
      const WinUpdate *last = &g_array_index (line->updates, WinUpdate, line->updates->len - 1);
      if (u.month <= last->month || u.ubr <= last->ubr || u.date <= last->date)
        return windows_fail (error, path, lineno,
                             "update: %s must come after the line's previous update, with a higher build",
                             f[2]);
    }
  if (g_hash_table_contains (line->by_kb, GUINT_TO_POINTER (u.kb)))
    return windows_fail (error, path, lineno, "update: %s given twice for %s", f[5], line->id);
  g_array_append_val (line->updates, u);
  g_hash_table_insert (line->by_kb, GUINT_TO_POINTER (u.kb), GUINT_TO_POINTER (line->updates->len));
  return TRUE;
}

static gint
slot_of (const ShrWindowsLine *line, gint month)
{
  if (line->updates->len == 0)
    return SLOT_GAP;
  gint first = g_array_index (line->updates, WinUpdate, 0).month;
  if (month < first || month - first >= (gint)line->slots->len)
    return SLOT_GAP;
  return g_array_index (line->slots, gint, month - first);
}

static void
fill_slots (ShrWindowsLine *line)
{
  g_array_set_size (line->slots, 0);
  if (line->updates->len == 0)
    return;
  const WinUpdate *first = &g_array_index (line->updates, WinUpdate, 0);
  const WinUpdate *last = &g_array_index (line->updates, WinUpdate, line->updates->len - 1);
  g_array_set_size (line->slots, last->month - first->month + 1);
  for (guint i = 0; i < line->slots->len; i++)
    g_array_index (line->slots, gint, i) = SLOT_GAP;
  for (guint i = 0; i < line->updates->len; i++)
    g_array_index (line->slots, gint, g_array_index (line->updates, WinUpdate, i).month - first->month)
        = (gint)i;
}

/* Lines of one build share their first updates; find where they part. */
static void
find_branches (GPtrArray *lines)
{
  for (guint i = 0; i < lines->len; i++)
    {
      ShrWindowsLine *a = g_ptr_array_index (lines, i);
      a->shares_build = FALSE;
      a->shared_ubr = 0;
      a->branch_ubr = G_MAXUINT;
    }
  for (guint i = 0; i < lines->len; i++)
    {
      ShrWindowsLine *a = g_ptr_array_index (lines, i);
      for (guint j = 0; j < lines->len; j++)
        {
          ShrWindowsLine *b = g_ptr_array_index (lines, j);
          if (i == j || a->build != b->build || a->major != b->major)
            continue;
          guint k = 0;
          while (k < a->updates->len && k < b->updates->len
                 && memcmp (&g_array_index (a->updates, WinUpdate, k),
                            &g_array_index (b->updates, WinUpdate, k), sizeof (WinUpdate))
                        == 0)
            k++;
          if (k == a->updates->len && k == b->updates->len)
            continue; /* never parted: one history, no need to tell apart */
          guint shared = k > 0 ? g_array_index (a->updates, WinUpdate, k - 1).ubr : 0;
          if (!a->shares_build || shared < a->shared_ubr)
            a->shared_ubr = shared;
          a->shares_build = TRUE;
          a->branch_ubr = k < a->updates->len ? g_array_index (a->updates, WinUpdate, k).ubr : G_MAXUINT;
        }
    }
}

gboolean
shr_builds_load_windows (ShrBuilds *builds, const gchar *path, GError **error)
{
  g_return_val_if_fail (builds != NULL && path != NULL, FALSE);
  g_autofree gchar *contents = shr_lexicon_read_data (path, error);
  if (contents == NULL)
    return FALSE;
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify)windows_line_free);
  g_auto (GStrv) text = g_strsplit (contents, "\n", -1);
  typedef struct
  {
    ShrWindowsLine *line;
    gint month;
    guint lineno;
  } NoUpdate;
  g_autoptr (GArray) none = g_array_new (FALSE, FALSE, sizeof (NoUpdate));
  /* Lines first, so updates may refer to any of them. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint n = 0; text[n] != NULL; n++)
      {
        g_autofree gchar *row = g_strdup (text[n]);
        g_strchomp (row);
        if (row[0] == '#' || row[0] == '\0')
          continue;
        g_auto (GStrv) f = g_strsplit (row, "\t", -1);
        guint nf = g_strv_length (f);
        if (strcmp (f[0], "line") == 0)
          {
            if (pass == 1)
              continue;
            ShrWindowsLine *line = parse_line_record (f, nf, lines, builds->windows, path, n + 1, error);
            if (line == NULL)
              return FALSE;
            g_ptr_array_add (lines, line);
          }
        else if (strcmp (f[0], "update") == 0)
          {
            if (pass == 1 && !add_update_record (f, nf, lines, path, n + 1, error))
              return FALSE;
          }
        else if (strcmp (f[0], "none") == 0)
          {
            if (pass == 0)
              continue;
            NoUpdate u = { nf == 4 ? find_line_id (lines, f[1]) : NULL, 0, n + 1 };
            if (u.line == NULL || !parse_month (f[2], &u.month))
              return windows_fail (error, path, n + 1,
                                   "none: a line's ID, a MONTH (YYYY-MM) and why expected");
            g_array_append_val (none, u);
          }
        else if (pass == 0)
          return windows_fail (error, path, n + 1, "\"line\", \"update\" or \"none\" expected, not \"%s\"",
                               f[0]);
      }
  for (guint i = 0; i < lines->len; i++)
    fill_slots (g_ptr_array_index (lines, i));
  for (guint i = 0; i < none->len; i++)
    {
      const NoUpdate *u = &g_array_index (none, NoUpdate, i);
      gint first = u->line->updates->len > 0 ? g_array_index (u->line->updates, WinUpdate, 0).month : 0;
      if (u->line->slots->len == 0 || u->month <= first || u->month - first >= (gint)u->line->slots->len
          || slot_of (u->line, u->month) != SLOT_GAP)
        return windows_fail (error, path, u->lineno,
                             "none: the month must lie between the line's updates and have none of its own");
      g_array_index (u->line->slots, gint, u->month - first) = SLOT_NONE;
    }
  for (guint i = 0; i < lines->len; i++)
    g_ptr_array_add (builds->windows, g_ptr_array_index (lines, i));
  g_ptr_array_set_free_func (lines, NULL);
  find_branches (builds->windows);
  return TRUE;
}

/* ---- placing an asset ---- */

/* The lines an asset may be on (one, or two sharing a build when nothing
 * tells them apart) and its build's update level. */
typedef struct
{
  const ShrWindowsLine *lines[4];
  guint n;
  guint ubr;
  gboolean has_ubr;
} Placement;

/* Whether update level @ubr can be on @line: past the shared history, each
 * line of a shared build has its own range of builds. */
static gboolean
ubr_fits (const ShrBuilds *builds, const ShrWindowsLine *line, guint ubr)
{
  if (!line->shares_build || ubr <= line->shared_ubr)
    return TRUE;
  /* Below every line's own first build: still the common trunk (a preview
   * or out-of-band build after the last shared update). */
  guint trunk_end = line->branch_ubr;
  gboolean past_later_branch = FALSE;
  for (guint i = 0; i < builds->windows->len; i++)
    {
      const ShrWindowsLine *other = g_ptr_array_index (builds->windows, i);
      if (other == line || !other->shares_build || other->build != line->build || other->major != line->major)
        continue;
      trunk_end = MIN (trunk_end, other->branch_ubr);
      past_later_branch |= other->branch_ubr > line->branch_ubr && ubr >= other->branch_ubr;
    }
  if (ubr < trunk_end)
    return TRUE;
  return ubr >= line->branch_ubr && !past_later_branch;
}

static void
place (const ShrBuilds *builds, const gchar *product, const gchar *version, Placement *out)
{
  *out = (Placement){ 0 };
  if (builds == NULL || builds->windows->len == 0)
    return;
  if (product != NULL && !usable_text (product, SHR_MAX_WINDOWS_NAME_BYTES))
    return;
  if (version != NULL && !usable_text (version, SHR_MAX_VERSION_BYTES))
    return;
  /* Full-width digits and dots ("１０．０．１９０４４") are digits and dots. */
  g_autofree gchar *version_nfkc
      = version != NULL && !is_ascii (version) ? g_utf8_normalize (version, -1, G_NORMALIZE_NFKC) : NULL;
  g_autofree gchar *product_nfkc
      = product != NULL && !is_ascii (product) ? g_utf8_normalize (product, -1, G_NORMALIZE_NFKC) : NULL;
  WinBuild b;
  gboolean have_build
      = (version != NULL && find_build (version_nfkc != NULL ? version_nfkc : version, FALSE, &b))
        || (product != NULL && find_build (product_nfkc != NULL ? product_nfkc : product, FALSE, &b));
  if (have_build)
    {
      /* Most builds are one line's: no need to read the name (this runs for
       * every asset an advisory may concern). */
      const ShrWindowsLine *only = NULL;
      guint n_build = 0;
      for (guint i = 0; i < builds->windows->len; i++)
        {
          const ShrWindowsLine *line = g_ptr_array_index (builds->windows, i);
          if (line->build == b.build && line->major == b.major && line->minor == b.minor)
            {
              only = line;
              n_build++;
            }
        }
      if (n_build <= 1)
        {
          out->n = n_build;
          out->lines[0] = only;
          out->ubr = b.ubr;
          out->has_ubr = b.has_ubr && n_build == 1;
          return;
        }
    }
  g_auto (Words) w = { 0 };
  const Words *words = &w;
  words_add (&w, product != NULL ? product : "");
  if (!have_build && version != NULL)
    words_add (&w, version); /* "22H2", "1809": a release where the version goes */
  const ShrWindowsLine *named[G_N_ELEMENTS (out->lines)];
  guint n_named = 0;
  for (guint i = 0; i < builds->windows->len && n_named < G_N_ELEMENTS (named); i++)
    {
      const ShrWindowsLine *line = g_ptr_array_index (builds->windows, i);
      if (line_named_by (line, words) && (!have_build || (line->build == b.build && line->major == b.major)))
        named[n_named++] = line;
    }
  if (!have_build)
    {
      memcpy (out->lines, named, n_named * sizeof (named[0]));
      out->n = n_named;
      return;
    }
  /* The build decides; among lines sharing it, the name (its release, else
   * its family: "Windows 11 Pro" is no server), then the update level. */
  guint n_family = 0;
  for (guint i = 0; i < builds->windows->len; i++)
    {
      const ShrWindowsLine *line = g_ptr_array_index (builds->windows, i);
      n_family += line->build == b.build && line->major == b.major && family_fits (line, words);
    }
  for (guint i = 0; i < builds->windows->len && out->n < G_N_ELEMENTS (out->lines); i++)
    {
      const ShrWindowsLine *line = g_ptr_array_index (builds->windows, i);
      if (line->build != b.build || line->major != b.major || line->minor != b.minor)
        continue;
      gboolean is_named = FALSE;
      for (guint k = 0; k < n_named; k++)
        is_named |= named[k] == line;
      if (n_named > 0 && !is_named)
        continue;
      if (n_named == 0 && n_family > 0 && !family_fits (line, words))
        continue;
      if (b.has_ubr && !ubr_fits (builds, line, b.ubr))
        continue;
      out->lines[out->n++] = line;
    }
  out->ubr = b.ubr;
  out->has_ubr = b.has_ubr && out->n > 0;
}

const ShrWindowsLine *
shr_builds_windows_line (const ShrBuilds *builds, const gchar *product, const gchar *version)
{
  Placement p;
  place (builds, product, version, &p);
  return p.n == 1 ? p.lines[0] : NULL;
}

const ShrWindowsLine *
shr_builds_windows_product_line (const ShrBuilds *builds, const gchar *product)
{
  if (builds == NULL || !usable_text (product, SHR_MAX_WINDOWS_NAME_BYTES))
    return NULL;
  g_auto (Words) words = { 0 };
  words_add (&words, product);
  const ShrWindowsLine *found = NULL;
  for (guint i = 0; i < builds->windows->len; i++)
    {
      const ShrWindowsLine *line = g_ptr_array_index (builds->windows, i);
      if (!line_named_by (line, &words))
        continue;
      if (found != NULL)
        return NULL; /* "Windows Server 2016 and 2019": not one line */
      found = line;
    }
  return found;
}

gboolean
shr_builds_windows_names_line (const ShrBuilds *builds, const gchar *advisory_product,
                               const ShrWindowsLine *line)
{
  if (builds == NULL || line == NULL || !usable_text (advisory_product, SHR_MAX_WINDOWS_NAME_BYTES))
    return FALSE;
  g_auto (Words) words = { 0 };
  words_add (&words, advisory_product);
  return line_named_by (line, &words);
}

ShrTristate
shr_builds_windows_runs (const ShrBuilds *builds, const gchar *asset_product, const gchar *asset_version,
                         const gchar *advisory_product)
{
  Placement p;
  place (builds, asset_product, asset_version, &p);
  if (p.n == 0 || builds == NULL || !usable_text (advisory_product, SHR_MAX_WINDOWS_NAME_BYTES))
    return SHR_TRISTATE_UNKNOWN;
  g_auto (Words) words = { 0 };
  words_add (&words, advisory_product);
  gboolean any_named = FALSE;
  for (guint i = 0; i < builds->windows->len; i++)
    any_named |= line_named_by (g_ptr_array_index (builds->windows, i), &words);
  if (!any_named)
    return SHR_TRISTATE_UNKNOWN;
  guint hits = 0;
  for (guint i = 0; i < p.n; i++)
    hits += line_named_by (p.lines[i], &words);
  if (hits == p.n)
    return SHR_TRISTATE_TRUE;
  return hits == 0 ? SHR_TRISTATE_FALSE : SHR_TRISTATE_UNKNOWN;
}

/* ---- months and fixes ---- */

/* Index of the first update released on or after @date (len when none). */
static guint
first_on_or_after (const ShrWindowsLine *line, gint date)
{
  guint lo = 0, hi = line->updates->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (g_array_index (line->updates, WinUpdate, mid).date < date)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Index of the last update with a build at or below @ubr, -1 when none. */
static gint
last_at_or_below (const ShrWindowsLine *line, guint ubr)
{
  guint lo = 0, hi = line->updates->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (g_array_index (line->updates, WinUpdate, mid).ubr <= ubr)
        lo = mid + 1;
      else
        hi = mid;
    }
  return (gint)lo - 1;
}

/* Whether the table knows every month from @from to @to. */
static gboolean
months_known (const ShrWindowsLine *line, gint from, gint to)
{
  for (gint m = from; m <= to; m++)
    if (slot_of (line, m) == SLOT_GAP)
      return FALSE;
  return TRUE;
}

static gint
month_of_line (const ShrWindowsLine *line, guint ubr)
{
  gint k = last_at_or_below (line, ubr);
  if (k < 0)
    return -1;
  /* Exactly a month's update is that month; a build past it may hold a
   * later month's the table lacks (beyond its end, or in a gap). */
  const WinUpdate *at = &g_array_index (line->updates, WinUpdate, k);
  if (ubr == at->ubr)
    return at->month;
  if ((guint)k + 1 == line->updates->len)
    return -1;
  const WinUpdate *next = &g_array_index (line->updates, WinUpdate, k + 1);
  return months_known (line, at->month + 1, next->month - 1) ? at->month : -1;
}

gchar *
shr_builds_windows_month (const ShrBuilds *builds, const gchar *asset_product, const gchar *asset_version)
{
  Placement p;
  place (builds, asset_product, asset_version, &p);
  if (p.n == 0 || !p.has_ubr)
    return NULL;
  gint month = month_of_line (p.lines[0], p.ubr);
  for (guint i = 1; i < p.n && month >= 0; i++)
    if (month_of_line (p.lines[i], p.ubr) != month)
      month = -1;
  return month < 0 ? NULL : g_strdup_printf ("%04d-%02d", month / 12, month % 12 + 1);
}

/* Whether build @ubr of @line holds a fix released on @date. */
static ShrTristate
contains_date (const ShrWindowsLine *line, guint ubr, gint date)
{
  guint n = line->updates->len;
  guint first = first_on_or_after (line, date);
  if (first < n && ubr >= g_array_index (line->updates, WinUpdate, first).ubr)
    return SHR_TRISTATE_TRUE;
  /* Below an update released on or before that day: the fix is later. */
  gint last = first < n && g_array_index (line->updates, WinUpdate, first).date == date ? (gint)first
                                                                                        : (gint)first - 1;
  if (last >= 0 && ubr < g_array_index (line->updates, WinUpdate, last).ubr)
    return SHR_TRISTATE_FALSE;
  /* Below the first update after that day: FALSE only when no month the
   * table lacks could hold an earlier one. */
  gint month = (date / 10000) * 12 + (date / 100) % 100 - 1;
  if (first < n && months_known (line, month, g_array_index (line->updates, WinUpdate, first).month))
    return SHR_TRISTATE_FALSE;
  return SHR_TRISTATE_UNKNOWN;
}

typedef enum
{
  FIX_NONE,
  FIX_DATE,
  FIX_KB,
  FIX_BUILD,
} FixKind;

typedef struct
{
  FixKind kind;
  gint date;
  guint kb;
  WinBuild build;
} Fix;

static void
parse_fix (const gchar *text, Fix *fix)
{
  *fix = (Fix){ FIX_NONE };
  if (!usable_text (text, SHR_MAX_VERSION_BYTES))
    return;
  g_autofree gchar *t
      = g_strstrip (is_ascii (text) ? g_strdup (text) : g_utf8_normalize (text, -1, G_NORMALIZE_NFKC));
  gint month;
  if (parse_month (t, &month))
    {
      fix->kind = FIX_DATE;
      fix->date = (month / 12) * 10000 + (month % 12 + 1) * 100 + 1;
    }
  else if (parse_date (t, &fix->date, &month))
    fix->kind = FIX_DATE;
  else if (parse_kb (t, &fix->kb))
    fix->kind = FIX_KB;
  else if (find_build (t, TRUE, &fix->build) && fix->build.has_ubr)
    fix->kind = FIX_BUILD;
}

/* The update of @line that installs exactly @ubr, -1 when none. */
static gint
update_with_ubr (const ShrWindowsLine *line, guint ubr)
{
  gint k = last_at_or_below (line, ubr);
  return k >= 0 && g_array_index (line->updates, WinUpdate, k).ubr == ubr ? k : -1;
}

static ShrTristate
contains_on_line (const ShrBuilds *builds, const ShrWindowsLine *line, guint ubr, const Fix *fix)
{
  switch (fix->kind)
    {
    case FIX_DATE:
      return contains_date (line, ubr, fix->date);
    case FIX_KB:
      {
        guint at = GPOINTER_TO_UINT (g_hash_table_lookup (line->by_kb, GUINT_TO_POINTER (fix->kb)));
        if (at == 0)
          return SHR_TRISTATE_UNKNOWN;
        return ubr >= g_array_index (line->updates, WinUpdate, at - 1).ubr ? SHR_TRISTATE_TRUE
                                                                           : SHR_TRISTATE_FALSE;
      }
    case FIX_BUILD:
      {
        const WinBuild *f = &fix->build;
        if (f->major == line->major && f->minor == line->minor && f->build == line->build
            && ubr_fits (builds, line, f->ubr))
          return ubr >= f->ubr ? SHR_TRISTATE_TRUE : SHR_TRISTATE_FALSE;
        /* Another line's build: the same update (KB) on this line, when
         * both got it (Windows 10 21H2 and 22H2 every month). */
        for (guint i = 0; i < builds->windows->len; i++)
          {
            const ShrWindowsLine *other = g_ptr_array_index (builds->windows, i);
            if (other == line || other->major != f->major || other->minor != f->minor
                || other->build != f->build || !ubr_fits (builds, other, f->ubr))
              continue;
            gint k = update_with_ubr (other, f->ubr);
            if (k < 0)
              continue;
            Fix by_kb = { FIX_KB, 0, g_array_index (other->updates, WinUpdate, k).kb, { 0 } };
            ShrTristate r = contains_on_line (builds, line, ubr, &by_kb);
            if (r != SHR_TRISTATE_UNKNOWN)
              return r;
          }
        return SHR_TRISTATE_UNKNOWN;
      }
    case FIX_NONE:
    default:
      return SHR_TRISTATE_UNKNOWN;
    }
}

ShrTristate
shr_builds_windows_contains (const ShrBuilds *builds, const gchar *asset_product, const gchar *asset_version,
                             const gchar *fix)
{
  Placement p;
  place (builds, asset_product, asset_version, &p);
  if (p.n == 0 || !p.has_ubr)
    return SHR_TRISTATE_UNKNOWN;
  Fix f;
  parse_fix (fix, &f);
  if (f.kind == FIX_NONE)
    return SHR_TRISTATE_UNKNOWN;
  /* On any line it may be on, the same answer, or no answer. */
  ShrTristate result = contains_on_line (builds, p.lines[0], p.ubr, &f);
  for (guint i = 1; i < p.n && result != SHR_TRISTATE_UNKNOWN; i++)
    if (contains_on_line (builds, p.lines[i], p.ubr, &f) != result)
      result = SHR_TRISTATE_UNKNOWN;
  return result;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-version.c — version orderings (generic, dpkg, rpm) and advisory
 * range phrases. See shr-version.h for the rules. */
#include "config.h"

#include "shr-version.h"

#include <limits.h>
#include <string.h>

/* The C library's ctype depends on the locale; versions are ASCII and must
 * compare the same everywhere, as dpkg's c_isdigit and rpm's risdigit do. */
static inline gboolean
is_digit (gchar c)
{
  return c >= '0' && c <= '9';
}

static inline gboolean
is_alpha (gchar c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline gboolean
is_alnum (gchar c)
{
  return is_digit (c) || is_alpha (c);
}

gboolean
shr_version_scheme_parse (const gchar *word, ShrVersionScheme *scheme)
{
  g_return_val_if_fail (scheme != NULL, FALSE);
  if (word == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (word, "generic") == 0)
    *scheme = SHR_VERSION_SCHEME_GENERIC;
  else if (g_ascii_strcasecmp (word, "dpkg") == 0 || g_ascii_strcasecmp (word, "deb") == 0)
    *scheme = SHR_VERSION_SCHEME_DPKG;
  else if (g_ascii_strcasecmp (word, "rpm") == 0)
    *scheme = SHR_VERSION_SCHEME_RPM;
  else
    return FALSE;
  return TRUE;
}

const gchar *
shr_version_scheme_to_string (ShrVersionScheme scheme)
{
  switch (scheme)
    {
    case SHR_VERSION_SCHEME_DPKG:
      return "dpkg";
    case SHR_VERSION_SCHEME_RPM:
      return "rpm";
    case SHR_VERSION_SCHEME_GENERIC:
    default:
      return "generic";
    }
}

/* ---- dpkg ------------------------------------------------------------- */

/* dpkg's order(): '~' below the end of the string, letters below every
 * other non-digit. */
static int
dpkg_order (int c)
{
  if (is_digit (c))
    return 0;
  if (is_alpha (c))
    return c;
  if (c == '~')
    return -1;
  if (c)
    return c + 256;
  return 0;
}

gint
shr_dpkg_verrevcmp (const gchar *a, const gchar *b)
{
  if (a == NULL)
    a = "";
  if (b == NULL)
    b = "";
  while (*a || *b)
    {
      int first_diff = 0;

      while ((*a && !is_digit (*a)) || (*b && !is_digit (*b)))
        {
          int ac = dpkg_order ((unsigned char)*a);
          int bc = dpkg_order ((unsigned char)*b);
          if (ac != bc)
            return ac - bc;
          a++;
          b++;
        }
      while (*a == '0')
        a++;
      while (*b == '0')
        b++;
      while (is_digit (*a) && is_digit (*b))
        {
          if (!first_diff)
            first_diff = *a - *b;
          a++;
          b++;
        }
      if (is_digit (*a))
        return 1;
      if (is_digit (*b))
        return -1;
      if (first_diff)
        return first_diff;
    }
  return 0;
}

typedef struct
{
  gchar *buf;                /* owned copy, cut in place */
  const gchar *epoch_digits; /* NULL = 0 */
  const gchar *upstream;
  const gchar *revision; /* "" when absent (dpkg's rule) */
} SplitVersion;

/* Epoch before the first ':', revision after the last '-' (dpkg and rpm
 * split the same way; rpm forbids '-' in the version anyway). */
static void
split_version (const gchar *v, SplitVersion *out)
{
  out->buf = g_strdup (v);
  gchar *p = out->buf;
  gchar *colon = strchr (p, ':');
  out->epoch_digits = NULL;
  if (colon != NULL)
    {
      *colon = '\0';
      out->epoch_digits = p;
      p = colon + 1;
    }
  out->upstream = p;
  gchar *hyphen = strrchr (p, '-');
  if (hyphen != NULL)
    {
      *hyphen = '\0';
      out->revision = hyphen + 1;
    }
  else
    out->revision = NULL;
}

/* Numeric comparison of digit strings of any length. */
static gint
cmp_digits (const gchar *a, gsize alen, const gchar *b, gsize blen)
{
  while (alen > 0 && *a == '0')
    a++, alen--;
  while (blen > 0 && *b == '0')
    b++, blen--;
  if (alen != blen)
    return alen < blen ? -1 : 1;
  int c = alen ? memcmp (a, b, alen) : 0;
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

static gint
cmp_epoch (const gchar *a, const gchar *b)
{
  /* "(none)" is how rpm -q prints an absent epoch. */
  if (a == NULL || strcmp (a, "(none)") == 0)
    a = "0";
  if (b == NULL || strcmp (b, "(none)") == 0)
    b = "0";
  return cmp_digits (a, strlen (a), b, strlen (b));
}

gint
shr_dpkg_compare (const gchar *a, const gchar *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, 0);
  SplitVersion va, vb;
  split_version (a, &va);
  split_version (b, &vb);
  gint r = cmp_epoch (va.epoch_digits, vb.epoch_digits);
  if (r == 0)
    r = shr_dpkg_verrevcmp (va.upstream, vb.upstream);
  if (r == 0)
    r = shr_dpkg_verrevcmp (va.revision, vb.revision);
  g_free (va.buf);
  g_free (vb.buf);
  return r;
}

/* ---- rpm -------------------------------------------------------------- */

gint
shr_rpmvercmp (const gchar *a, const gchar *b)
{
  if (a == NULL)
    a = "";
  if (b == NULL)
    b = "";
  if (strcmp (a, b) == 0)
    return 0;

  const gchar *one = a, *two = b;
  while (*one || *two)
    {
      while (*one && !is_alnum (*one) && *one != '~' && *one != '^')
        one++;
      while (*two && !is_alnum (*two) && *two != '~' && *two != '^')
        two++;

      /* '~' sorts before everything else. */
      if (*one == '~' || *two == '~')
        {
          if (*one != '~')
            return 1;
          if (*two != '~')
            return -1;
          one++;
          two++;
          continue;
        }

      /* '^' likewise, except that the end of the other string (the base
       * version) sorts before it. */
      if (*one == '^' || *two == '^')
        {
          if (!*one)
            return -1;
          if (!*two)
            return 1;
          if (*one != '^')
            return 1;
          if (*two != '^')
            return -1;
          one++;
          two++;
          continue;
        }

      if (!(*one && *two))
        break;

      const gchar *str1 = one, *str2 = two;
      gboolean isnum;
      if (is_digit (*str1))
        {
          while (*str1 && is_digit (*str1))
            str1++;
          while (*str2 && is_digit (*str2))
            str2++;
          isnum = TRUE;
        }
      else
        {
          while (*str1 && is_alpha (*str1))
            str1++;
          while (*str2 && is_alpha (*str2))
            str2++;
          isnum = FALSE;
        }

      if (one == str1)
        return -1; /* cannot happen: rpm's "arbitrary" */
      /* Segments of different types: numeric is newer. */
      if (two == str2)
        return isnum ? 1 : -1;

      gint rc;
      if (isnum)
        rc = cmp_digits (one, str1 - one, two, str2 - two);
      else
        {
          gsize l1 = str1 - one, l2 = str2 - two;
          int c = memcmp (one, two, MIN (l1, l2));
          rc = c != 0 ? c : (l1 < l2 ? -1 : l1 > l2 ? 1 : 0);
        }
      if (rc)
        return rc < 0 ? -1 : 1;
      one = str1;
      two = str2;
    }

  if (!*one && !*two)
    return 0;
  return !*one ? -1 : 1;
}

gint
shr_rpm_compare (const gchar *a, const gchar *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, 0);
  SplitVersion va, vb;
  split_version (a, &va);
  split_version (b, &vb);
  gint r = cmp_epoch (va.epoch_digits, vb.epoch_digits);
  if (r == 0)
    r = shr_rpmvercmp (va.upstream, vb.upstream);
  /* rpm compares releases only when both sides have one: "fixed in 2.4.37"
   * holds for every release of 2.4.37. */
  if (r == 0 && va.revision != NULL && vb.revision != NULL)
    r = shr_rpmvercmp (va.revision, vb.revision);
  g_free (va.buf);
  g_free (vb.buf);
  return r;
}

/* ---- generic ---------------------------------------------------------- */

typedef struct
{
  const gchar *p;
  gsize len;
  gboolean numeric;
} Segment;

/* Next digit or letter run after @*pos, skipping separators. */
static gboolean
next_segment (const gchar **pos, Segment *seg)
{
  const gchar *p = *pos;
  while (*p && !is_alnum (*p))
    p++;
  if (!*p)
    {
      *pos = p;
      return FALSE;
    }
  seg->p = p;
  seg->numeric = is_digit (*p);
  while (*p && (seg->numeric ? is_digit (*p) : is_alpha (*p)))
    p++;
  seg->len = p - seg->p;
  *pos = p;
  return TRUE;
}

/* Pre-release words sort before the release they lead up to; their rank
 * orders them among themselves. 0 = not a pre-release word. */
static gint
prerelease_rank (const Segment *s)
{
  static const gchar *const words[] = { "dev", "snapshot", "alpha", "beta", "pre", "preview", "rc", NULL };
  for (gint i = 0; words[i] != NULL; i++)
    if (strlen (words[i]) == s->len && g_ascii_strncasecmp (words[i], s->p, s->len) == 0)
      return i + 1;
  return 0;
}

static gboolean
segment_is_zero (const Segment *s)
{
  for (gsize i = 0; i < s->len; i++)
    if (s->p[i] != '0')
      return FALSE;
  return TRUE;
}

static const gchar *
skip_v (const gchar *v)
{
  if ((v[0] == 'v' || v[0] == 'V') && is_digit (v[1]))
    return v + 1;
  return v;
}

gint
shr_version_compare_generic (const gchar *a, const gchar *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, 0);
  const gchar *pa = skip_v (a), *pb = skip_v (b);
  for (;;)
    {
      Segment sa, sb;
      gboolean ha = next_segment (&pa, &sa);
      gboolean hb = next_segment (&pb, &sb);
      if (!ha && !hb)
        return 0;
      if (!ha || !hb)
        {
          /* One side ended: "7.2" equals "7.2.0"; "1.0rc1" is before
           * "1.0"; "10.2.9-h1" and "1.1.1a" are after their base. */
          const Segment *s = ha ? &sa : &sb;
          gint longer = ha ? 1 : -1;
          if (s->numeric && segment_is_zero (s))
            continue;
          if (!s->numeric && prerelease_rank (s) > 0)
            return -longer;
          return longer;
        }
      if (sa.numeric && sb.numeric)
        {
          gint c = cmp_digits (sa.p, sa.len, sb.p, sb.len);
          if (c)
            return c;
          continue;
        }
      if (sa.numeric != sb.numeric)
        {
          /* A number after the common part is newer than a letter suffix
           * ("1.0.1" > "1.0a") and than a pre-release ("1.0.1" > "1.0rc"). */
          return sa.numeric ? 1 : -1;
        }
      gint ra = prerelease_rank (&sa), rb = prerelease_rank (&sb);
      if (ra != rb)
        {
          if (ra == 0)
            return 1;
          if (rb == 0)
            return -1;
          return ra < rb ? -1 : 1;
        }
      gsize n = MIN (sa.len, sb.len);
      gint c = g_ascii_strncasecmp (sa.p, sb.p, n);
      if (c)
        return c < 0 ? -1 : 1;
      if (sa.len != sb.len)
        return sa.len < sb.len ? -1 : 1;
    }
}

gint
shr_version_compare (ShrVersionScheme scheme, const gchar *a, const gchar *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, 0);
  switch (scheme)
    {
    case SHR_VERSION_SCHEME_DPKG:
      return shr_dpkg_compare (a, b);
    case SHR_VERSION_SCHEME_RPM:
      return shr_rpm_compare (a, b);
    case SHR_VERSION_SCHEME_GENERIC:
    default:
      return shr_version_compare_generic (a, b);
    }
}

/* ---- validation ------------------------------------------------------- */

static gboolean
all_chars (const gchar *s, const gchar *extra)
{
  for (; *s; s++)
    if (!is_alnum (*s) && strchr (extra, *s) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
all_digits (const gchar *s)
{
  if (!*s)
    return FALSE;
  for (; *s; s++)
    if (!is_digit (*s))
      return FALSE;
  return TRUE;
}

static gboolean
invalid (GError **error, const gchar *version, const gchar *why)
{
  g_set_error (error, SHR_VERSION_ERROR, SHR_VERSION_ERROR_INVALID, "\"%s\" is not a version: %s", version,
               why);
  return FALSE;
}

gboolean
shr_version_validate (ShrVersionScheme scheme, const gchar *version, GError **error)
{
  g_return_val_if_fail (version != NULL, FALSE);
  if (!*version)
    return invalid (error, version, "empty");
  if (strlen (version) > SHR_MAX_VERSION_BYTES)
    return invalid (error, version, "too long");
  if (!g_utf8_validate (version, -1, NULL))
    return invalid (error, version, "not UTF-8");
  for (const gchar *p = version; *p; p++)
    if (g_ascii_isspace (*p))
      return invalid (error, version, "contains spaces");

  if (scheme == SHR_VERSION_SCHEME_GENERIC)
    {
      /* Brackets hold a release: Cisco's "12.2(55)SE". */
      if (!all_chars (version, ".+~^:_-()"))
        return invalid (error, version, "invalid character");
      gint depth = 0;
      for (const gchar *p = version; *p && depth >= 0; p++)
        depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
      if (depth != 0)
        return invalid (error, version, "unbalanced brackets");
      if (strpbrk (version, "0123456789") == NULL)
        return invalid (error, version, "no digit");
      return TRUE;
    }

  SplitVersion v;
  split_version (version, &v);
  g_autofree gchar *buf = v.buf;
  if (v.epoch_digits != NULL)
    {
      gboolean none = scheme == SHR_VERSION_SCHEME_RPM && strcmp (v.epoch_digits, "(none)") == 0;
      if (!none && !all_digits (v.epoch_digits))
        return invalid (error, version, "epoch is not a number");
      if (!none && strlen (v.epoch_digits) > 9)
        return invalid (error, version, "epoch too large");
    }
  if (!*v.upstream)
    return invalid (error, version, "nothing before the revision");
  if (v.revision != NULL && !*v.revision)
    return invalid (error, version, "empty revision");

  if (scheme == SHR_VERSION_SCHEME_DPKG)
    {
      /* dpkg's parseversion: upstream starts with a digit; a ':' in it
       * only with an epoch; the revision has no '-' or ':'. The upstream
       * part may hold '-' (the revision is after the last one). */
      if (!is_digit (*v.upstream))
        return invalid (error, version, "does not start with a digit");
      if (!all_chars (v.upstream, ".+~-:"))
        return invalid (error, version, "invalid character in version");
      if (v.revision != NULL && !all_chars (v.revision, ".+~"))
        return invalid (error, version, "invalid character in revision");
      return TRUE;
    }

  /* rpm: version and release take letters, digits and . _ + ~ ^ */
  if (strchr (v.upstream, '-') != NULL || !all_chars (v.upstream, "._+~^"))
    return invalid (error, version, "invalid character in version");
  if (v.revision != NULL && !all_chars (v.revision, "._+~^"))
    return invalid (error, version, "invalid character in release");
  gboolean any_alnum = FALSE;
  for (const gchar *p = v.upstream; *p; p++)
    any_alnum |= is_alnum (*p);
  if (!any_alnum)
    return invalid (error, version, "no letter or digit");
  return TRUE;
}

/* ---- ranges ----------------------------------------------------------- */

static void
interval_free (gpointer data)
{
  ShrInterval *iv = data;
  g_free (iv->low);
  g_free (iv->high);
  g_free (iv);
}

ShrRange *
shr_range_new (void)
{
  ShrRange *r = g_new0 (ShrRange, 1);
  r->intervals = g_ptr_array_new_with_free_func (interval_free);
  return r;
}

void
shr_range_free (ShrRange *range)
{
  if (range == NULL)
    return;
  g_ptr_array_unref (range->intervals);
  g_free (range);
}

typedef enum
{
  ROLE_NONE,
  ROLE_EXACT,
  ROLE_LOWER_INCL,
  ROLE_LOWER_EXCL,
  ROLE_UPPER_INCL,
  ROLE_UPPER_EXCL,
  ROLE_BRANCH,
  /* Weak roles: a connector between two versions ("7.2.0 through 7.2.4",
   * "between 1 and 2"); they give way to any keyword. */
  ROLE_CONNECT_LOW,
  ROLE_CONNECT_HIGH,
} Role;

typedef struct
{
  const gchar *word;
  Role role;
} Keyword;

/* Words after a version ("2.4.58 and earlier", 「2.4.58 以前」). Longer
 * words first where one is a prefix of another. */
static const Keyword suffix_words[] = {
  { "and earlier", ROLE_UPPER_INCL },
  { "or earlier", ROLE_UPPER_INCL },
  { "and prior", ROLE_UPPER_INCL },
  { "or prior", ROLE_UPPER_INCL },
  { "and older", ROLE_UPPER_INCL },
  { "or older", ROLE_UPPER_INCL },
  { "and below", ROLE_UPPER_INCL },
  { "or below", ROLE_UPPER_INCL },
  { "and lower", ROLE_UPPER_INCL },
  { "or lower", ROLE_UPPER_INCL },
  { "and later", ROLE_LOWER_INCL },
  { "or later", ROLE_LOWER_INCL },
  { "and above", ROLE_LOWER_INCL },
  { "or above", ROLE_LOWER_INCL },
  { "and newer", ROLE_LOWER_INCL },
  { "or newer", ROLE_LOWER_INCL },
  { "and higher", ROLE_LOWER_INCL },
  { "or higher", ROLE_LOWER_INCL },
  { "and up", ROLE_LOWER_INCL },
  { "onwards", ROLE_LOWER_INCL },
  { "onward", ROLE_LOWER_INCL },
  { "およびそれ以前", ROLE_UPPER_INCL },
  { "及びそれ以前", ROLE_UPPER_INCL },
  { "およびそれ以降", ROLE_LOWER_INCL },
  { "及びそれ以降", ROLE_LOWER_INCL },
  { "以前", ROLE_UPPER_INCL },
  { "以下", ROLE_UPPER_INCL },
  { "までの", ROLE_UPPER_INCL },
  { "まで", ROLE_UPPER_INCL },
  { "よりも前", ROLE_UPPER_EXCL },
  { "より前", ROLE_UPPER_EXCL },
  { "より以前", ROLE_UPPER_EXCL },
  { "未満", ROLE_UPPER_EXCL },
  { "より古い", ROLE_UPPER_EXCL },
  { "で修正", ROLE_UPPER_EXCL },
  { "にて修正", ROLE_UPPER_EXCL },
  { "で解決", ROLE_UPPER_EXCL },
  { "で対策", ROLE_UPPER_EXCL },
  { "以降", ROLE_LOWER_INCL },
  { "以上", ROLE_LOWER_INCL },
  { "から", ROLE_LOWER_INCL },
  { "より後", ROLE_LOWER_EXCL },
  { "より新しい", ROLE_LOWER_EXCL },
  { "を超える", ROLE_LOWER_EXCL },
  { "超", ROLE_LOWER_EXCL },
  { ":", ROLE_BRANCH },
  { "up to and including", ROLE_CONNECT_LOW },
  { "up to", ROLE_CONNECT_LOW },
  { "through", ROLE_CONNECT_LOW },
  { "thru", ROLE_CONNECT_LOW },
  { "to", ROLE_CONNECT_LOW },
  { "until", ROLE_CONNECT_LOW },
  { "-", ROLE_CONNECT_LOW },
  { "〜", ROLE_CONNECT_LOW },
  { "~", ROLE_CONNECT_LOW },
  { "–", ROLE_CONNECT_LOW },
  { "—", ROLE_CONNECT_LOW },
  { NULL, ROLE_NONE },
};

/* Words before a version ("prior to 2.4.58", "<= 3.1"). */
static const Keyword prefix_words[] = {
  { "up to and including", ROLE_UPPER_INCL },
  { "up to", ROLE_UPPER_INCL },
  { "<=", ROLE_UPPER_INCL },
  { "=<", ROLE_UPPER_INCL },
  { "≤", ROLE_UPPER_INCL },
  { "through", ROLE_UPPER_INCL },
  { "thru", ROLE_UPPER_INCL },
  { "prior to", ROLE_UPPER_EXCL },
  { "before", ROLE_UPPER_EXCL },
  { "earlier than", ROLE_UPPER_EXCL },
  { "older than", ROLE_UPPER_EXCL },
  { "lower than", ROLE_UPPER_EXCL },
  { "less than", ROLE_UPPER_EXCL },
  { "below", ROLE_UPPER_EXCL },
  { "until", ROLE_UPPER_EXCL },
  { "<", ROLE_UPPER_EXCL },
  { "fixed in", ROLE_UPPER_EXCL },
  { "fixed:", ROLE_UPPER_EXCL },
  { "fixed", ROLE_UPPER_EXCL },
  { "patched in", ROLE_UPPER_EXCL },
  { "resolved in", ROLE_UPPER_EXCL },
  { "corrected in", ROLE_UPPER_EXCL },
  { "addressed in", ROLE_UPPER_EXCL },
  { "upgrade to", ROLE_UPPER_EXCL },
  { "update to", ROLE_UPPER_EXCL },
  { "updated to", ROLE_UPPER_EXCL },
  { ">=", ROLE_LOWER_INCL },
  { "=>", ROLE_LOWER_INCL },
  { "≥", ROLE_LOWER_INCL },
  { "from", ROLE_LOWER_INCL },
  { "since", ROLE_LOWER_INCL },
  { "starting with", ROLE_LOWER_INCL },
  { "starting from", ROLE_LOWER_INCL },
  { "starting in", ROLE_LOWER_INCL },
  { "between", ROLE_LOWER_INCL },
  { "later than", ROLE_LOWER_EXCL },
  { "newer than", ROLE_LOWER_EXCL },
  { "greater than", ROLE_LOWER_EXCL },
  { "higher than", ROLE_LOWER_EXCL },
  { "after", ROLE_LOWER_EXCL },
  { "above", ROLE_LOWER_EXCL },
  { ">", ROLE_LOWER_EXCL },
  { "to", ROLE_CONNECT_HIGH },
  { "and", ROLE_CONNECT_HIGH },
  { "-", ROLE_CONNECT_HIGH },
  { "〜", ROLE_CONNECT_HIGH },
  { "~", ROLE_CONNECT_HIGH },
  { "–", ROLE_CONNECT_HIGH },
  { "—", ROLE_CONNECT_HIGH },
  { "=", ROLE_EXACT },
  { "==", ROLE_EXACT },
  { NULL, ROLE_NONE },
};

static gboolean
word_char (gchar c)
{
  return is_alnum (c);
}

/* Whether @text (already trimmed at its start) begins with @word as a
 * whole word (for words in Latin script). */
static gboolean
starts_with_word (const gchar *text, gsize len, const gchar *word)
{
  gsize wl = strlen (word);
  if (wl > len || memcmp (text, word, wl) != 0)
    return FALSE;
  if (word_char (word[wl - 1]) && wl < len && word_char (text[wl]))
    return FALSE;
  return TRUE;
}

static gboolean
ends_with_word (const gchar *text, gsize len, const gchar *word)
{
  gsize wl = strlen (word);
  if (wl > len || memcmp (text + len - wl, word, wl) != 0)
    return FALSE;
  if (word_char (word[0]) && wl < len && word_char (text[len - wl - 1]))
    return FALSE;
  return TRUE;
}

static void
trim (const gchar **text, gsize *len)
{
  while (*len > 0 && (g_ascii_isspace (**text) || **text == ',' || **text == '(' || **text == ')'))
    (*text)++, (*len)--;
  while (*len > 0
         && (g_ascii_isspace ((*text)[*len - 1]) || (*text)[*len - 1] == '(' || (*text)[*len - 1] == ':'))
    (*len)--;
}

/* Drops a trailing "version"/"versions"/"ver."/バージョン before a number
 * ("prior to version 2.4" reads as "prior to 2.4"). */
static void
trim_version_word (const gchar *text, gsize *len)
{
  static const gchar *const words[]
      = { "versions", "version", "ver.", "ver", "バージョン", "release", "build", NULL };
  for (gint i = 0; words[i] != NULL; i++)
    if (ends_with_word (text, *len, words[i]))
      {
        *len -= strlen (words[i]);
        while (*len > 0 && g_ascii_isspace (text[*len - 1]))
          (*len)--;
        return;
      }
}

static Role
suffix_role (const gchar *text, gsize len)
{
  trim (&text, &len);
  for (gint i = 0; suffix_words[i].word != NULL; i++)
    if (starts_with_word (text, len, suffix_words[i].word))
      return suffix_words[i].role;
  return ROLE_NONE;
}

static Role
prefix_role (const gchar *text, gsize len)
{
  trim (&text, &len);
  trim_version_word (text, &len);
  for (gint i = 0; prefix_words[i].word != NULL; i++)
    if (ends_with_word (text, len, prefix_words[i].word))
      return prefix_words[i].role;
  return ROLE_NONE;
}

static gboolean
version_char (gchar c)
{
  return is_alnum (c) || (c && strchr (".+~^:_-*", c) != NULL);
}

typedef struct
{
  gsize start, end; /* the version, in the lowered text */
  gsize full_end;   /* past a wildcard ".x" as well */
  gboolean wildcard;
} Token;

/* Version tokens: a digit (or 'v' and a digit) at a word start, then
 * version characters, trailing punctuation dropped. "cve-2024-3400" and
 * dates are not versions. */
static GArray *
find_tokens (const gchar *t)
{
  GArray *tokens = g_array_new (FALSE, FALSE, sizeof (Token));
  gsize n = strlen (t);
  gsize i = 0;
  while (i < n && tokens->len < SHR_MAX_RANGE_INTERVALS * 2)
    {
      gboolean boundary = i == 0 || !(is_alnum (t[i - 1]) || t[i - 1] == '.' || t[i - 1] == '_');
      gsize s = i;
      if (boundary && t[i] == 'v' && i + 1 < n && is_digit (t[i + 1]))
        s = i + 1;
      /* The digits of a CVE id are no version; skip them whole (and only
       * digits: anything else after "cve-" is read normally). */
      if (boundary && i >= 4 && is_digit (t[i]) && g_ascii_strncasecmp (t + i - 4, "cve-", 4) == 0)
        {
          while (i < n && (is_digit (t[i]) || t[i] == '-'))
            i++;
          continue;
        }
      if (!boundary || !is_digit (t[s]))
        {
          i++;
          continue;
        }
      gsize e = s;
      while (e < n && version_char (t[e]))
        e++;
      /* A release in brackets is part of the version: Cisco's "12.2(55)se",
       * Zyxel's "v5.21(aazf.17)c0". */
      while (e < n && t[e] == '(' && e > s && is_alnum (t[e - 1]))
        {
          gsize close = e + 1;
          while (close < n && close - e <= 16 && (is_alnum (t[close]) || t[close] == '.'))
            close++;
          if (close >= n || t[close] != ')' || close == e + 1)
            break;
          e = close + 1;
          while (e < n && version_char (t[e]))
            e++;
        }
      while (e > s && strchr (".+~^:_-", t[e - 1]) != NULL && t[e - 1] != '+')
        e--;
      /* "7.2.0-7.2.4" is a range, while "2.4.58-1.1" is a version with a
       * Debian revision: split at a hyphen only between two dotted
       * versions of the same major number, the second as precise. */
      for (gsize h = s + 1; h + 1 < e; h++)
        {
          if (t[h] != '-' || !is_digit (t[h + 1]))
            continue;
          guint dots_l = 0, dots_r = 0;
          for (gsize k = s; k < h; k++)
            dots_l += t[k] == '.';
          for (gsize k = h + 1; k < e; k++)
            dots_r += t[k] == '.';
          gsize ml = strspn (t + s, "0123456789");
          gsize mr = strspn (t + h + 1, "0123456789");
          if (dots_l >= 1 && dots_r >= dots_l && ml == mr && memcmp (t + s, t + h + 1, ml) == 0)
            {
              Token left = { s, h, h, FALSE };
              g_array_append_val (tokens, left);
              s = h + 1;
              break;
            }
        }
      /* "SR-500", "RT-AX88U": a number joined by a hyphen to the letters
       * before it, with no dot of its own, is a model number; a package's
       * version joined the same way ("nginx-1.25.3") has dots. */
      if (s >= 2 && t[s - 1] == '-' && is_alnum (t[s - 2]) && memchr (t + s, '.', e - s) == NULL)
        {
          i = e > s ? e : s + 1;
          continue;
        }
      Token tok = { s, e, e, FALSE };
      if (e - s >= 2 && t[e - 2] == '.' && (t[e - 1] == 'x' || t[e - 1] == '*'))
        {
          tok.wildcard = TRUE;
          tok.end = e - 2;
        }
      else if (t[e - 1] == '*')
        {
          /* "2.4*": treat the same */
          tok.wildcard = TRUE;
          tok.end = e - 1;
          while (tok.end > s && t[tok.end - 1] == '.')
            tok.end--;
        }
      g_array_append_val (tokens, tok);
      i = e;
      if (e == s)
        i++;
    }
  return tokens;
}

/* "11.1" → "11.2": the first version past a branch. NULL when the prefix
 * holds no number. */
static gchar *
branch_end (const gchar *prefix)
{
  gssize len = strlen (prefix);
  gssize e = len;
  while (e > 0 && !is_digit (prefix[e - 1]))
    e--;
  if (e == 0)
    return NULL;
  gssize s = e;
  while (s > 0 && is_digit (prefix[s - 1]))
    s--;
  GString *out = g_string_new_len (prefix, s);
  /* decimal increment of prefix[s..e) */
  g_autofree gchar *num = g_strndup (prefix + s, e - s);
  gssize k = e - s - 1;
  while (k >= 0 && num[k] == '9')
    num[k--] = '0';
  if (k < 0)
    g_string_append_c (out, '1');
  else
    num[k]++;
  g_string_append (out, num);
  return g_string_free (out, FALSE);
}

typedef struct
{
  ShrInterval *cur;
  gboolean cur_branch; /* cur's high came from a branch, not a keyword */
  ShrRange *range;
} Builder;

static void
builder_flush (Builder *b)
{
  if (b->cur != NULL && b->range->intervals->len < SHR_MAX_RANGE_INTERVALS)
    g_ptr_array_add (b->range->intervals, b->cur);
  else if (b->cur != NULL)
    interval_free (b->cur);
  b->cur = NULL;
  b->cur_branch = FALSE;
}

static void
builder_add (Builder *b, Role role, const gchar *v, gboolean wildcard)
{
  if (wildcard)
    role = ROLE_BRANCH;
  switch (role)
    {
    case ROLE_LOWER_INCL:
    case ROLE_LOWER_EXCL:
    case ROLE_CONNECT_LOW:
      if (b->cur != NULL && (b->cur->low != NULL || b->cur->high != NULL))
        builder_flush (b);
      if (b->cur == NULL)
        b->cur = g_new0 (ShrInterval, 1);
      b->cur->low = g_strdup (v);
      b->cur->low_inclusive = role != ROLE_LOWER_EXCL;
      break;
    case ROLE_UPPER_INCL:
    case ROLE_UPPER_EXCL:
    case ROLE_CONNECT_HIGH:
      if (b->cur != NULL && b->cur->high != NULL && !b->cur_branch)
        builder_flush (b);
      if (b->cur == NULL)
        b->cur = g_new0 (ShrInterval, 1);
      g_free (b->cur->high);
      b->cur->high = g_strdup (v);
      b->cur->high_inclusive = role != ROLE_UPPER_EXCL;
      builder_flush (b);
      break;
    case ROLE_BRANCH:
      {
        builder_flush (b);
        gchar *end = branch_end (v);
        b->cur = g_new0 (ShrInterval, 1);
        b->cur->low = g_strdup (v);
        b->cur->low_inclusive = TRUE;
        b->cur->high = end;
        b->cur->high_inclusive = FALSE;
        b->cur_branch = TRUE;
        break;
      }
    case ROLE_EXACT:
    case ROLE_NONE:
    default:
      builder_flush (b);
      b->cur = g_new0 (ShrInterval, 1);
      b->cur->low = g_strdup (v);
      b->cur->high = g_strdup (v);
      b->cur->low_inclusive = b->cur->high_inclusive = TRUE;
      builder_flush (b);
      break;
    }
}

static gboolean
says_all_versions (const gchar *t)
{
  static const gchar *const phrases[] = { "all versions",
                                          "all supported versions",
                                          "all releases",
                                          "全バージョン",
                                          "すべてのバージョン",
                                          "全てのバージョン",
                                          NULL };
  for (gint i = 0; phrases[i] != NULL; i++)
    if (strstr (t, phrases[i]) != NULL)
      return TRUE;
  return FALSE;
}

ShrRange *
shr_range_parse (const gchar *phrase, GError **error)
{
  g_return_val_if_fail (phrase != NULL, NULL);
  if (!g_utf8_validate (phrase, -1, NULL) || strlen (phrase) > SHR_MAX_RANGE_PHRASE_BYTES)
    {
      g_set_error (error, SHR_VERSION_ERROR, SHR_VERSION_ERROR_NO_RANGE,
                   "not a version range: too long or not UTF-8");
      return NULL;
    }

  /* NFKC turns full-width digits and ＜＝ into ASCII; a full-width tilde
   * would become '~', which inside a version means something else, so it
   * is read as the wave dash that Japanese ranges use. */
  g_autoptr (GString) pre = g_string_new (phrase);
  g_string_replace (pre, "～", "〜", 0);
  g_autofree gchar *nfkc = g_utf8_normalize (pre->str, -1, G_NORMALIZE_ALL_COMPOSE);
  g_autofree gchar *low = g_ascii_strdown (nfkc, -1);

  g_autoptr (GArray) tokens = find_tokens (low);
  g_autoptr (ShrRange) range = shr_range_new ();
  Builder b = { NULL, FALSE, range };

  for (guint k = 0; k < tokens->len; k++)
    {
      const Token *tok = &g_array_index (tokens, Token, k);
      gsize prev_end = k == 0 ? 0 : g_array_index (tokens, Token, k - 1).end;
      gsize next_start = k + 1 < tokens->len ? g_array_index (tokens, Token, k + 1).start : strlen (low);
      gsize tok_end = MIN (tok->full_end, next_start);
      /* The 'v' of "v1.2" belongs to the token, not to the prefix. */
      gsize pre_end = tok->start;
      if (pre_end > prev_end && low[pre_end - 1] == 'v')
        pre_end--;

      Role sr = suffix_role (low + tok_end, next_start - tok_end);
      Role pr = prefix_role (low + prev_end, pre_end - prev_end);
      gboolean has_next = k + 1 < tokens->len;
      Role role;
      if (sr != ROLE_NONE && sr != ROLE_CONNECT_LOW)
        role = sr;
      else if (pr != ROLE_NONE && pr != ROLE_CONNECT_HIGH)
        role = pr;
      else if (sr == ROLE_CONNECT_LOW && has_next)
        role = ROLE_CONNECT_LOW;
      else if (pr == ROLE_CONNECT_HIGH && b.cur != NULL && b.cur->low != NULL && b.cur->high == NULL)
        role = ROLE_CONNECT_HIGH;
      else
        role = ROLE_EXACT;
      /* "14.1 BEFORE 14.1-47.46", "PAN-OS 10.2 before 10.2.9-h1": a train's
       * label and then a bound within that train are the train up to the
       * bound, as "10.2.x before 10.2.9-h1" is. */
      if (role == ROLE_EXACT && has_next)
        {
          const Token *next = &g_array_index (tokens, Token, k + 1);
          gsize n = tok->end - tok->start;
          Role next_pr = prefix_role (low + tok_end, next->start - tok_end);
          if ((next_pr == ROLE_UPPER_EXCL || next_pr == ROLE_UPPER_INCL) && next->end - next->start > n
              && strncmp (low + tok->start, low + next->start, n) == 0
              && strchr (".-r", low[next->start + n]) != NULL)
            role = ROLE_BRANCH;
        }

      /* Versions keep their case as written ("10.2.9-H1" stays). */
      g_autofree gchar *v = g_strndup (nfkc + tok->start, tok->end - tok->start);
      builder_add (&b, role, v, tok->wildcard);
    }
  builder_flush (&b);

  if (range->intervals->len == 0 && says_all_versions (low))
    g_ptr_array_add (range->intervals, g_new0 (ShrInterval, 1));
  if (range->intervals->len == 0)
    {
      g_set_error (error, SHR_VERSION_ERROR, SHR_VERSION_ERROR_NO_RANGE, "no version in \"%s\"", phrase);
      return NULL;
    }
  return g_steal_pointer (&range);
}

gchar *
shr_range_to_string (const ShrRange *range)
{
  g_return_val_if_fail (range != NULL, NULL);
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < range->intervals->len; i++)
    {
      const ShrInterval *iv = range->intervals->pdata[i];
      if (i > 0)
        g_string_append (s, " || ");
      if (iv->low == NULL && iv->high == NULL)
        g_string_append (s, "*");
      else if (iv->low != NULL && iv->high != NULL && iv->low_inclusive && iv->high_inclusive
               && strcmp (iv->low, iv->high) == 0)
        g_string_append_printf (s, "= %s", iv->low);
      else
        {
          if (iv->low != NULL)
            g_string_append_printf (s, "%s %s", iv->low_inclusive ? ">=" : ">", iv->low);
          if (iv->low != NULL && iv->high != NULL)
            g_string_append (s, ", ");
          if (iv->high != NULL)
            g_string_append_printf (s, "%s %s", iv->high_inclusive ? "<=" : "<", iv->high);
        }
    }
  return g_string_free (s, FALSE);
}

/* A bound as the scheme reads it: advisories write upstream versions, so
 * under dpkg/rpm a bound that is not valid is not comparable. */
static gboolean
comparable (ShrVersionScheme scheme, const gchar *v)
{
  return v == NULL || shr_version_validate (scheme, v, NULL);
}

ShrTristate
shr_range_contains (const ShrRange *range, ShrVersionScheme scheme, const gchar *version)
{
  g_return_val_if_fail (range != NULL, SHR_TRISTATE_UNKNOWN);
  if (version == NULL || !shr_version_validate (scheme, version, NULL))
    return SHR_TRISTATE_UNKNOWN;
  gboolean unknown = FALSE;
  for (guint i = 0; i < range->intervals->len; i++)
    {
      const ShrInterval *iv = range->intervals->pdata[i];
      if (!comparable (scheme, iv->low) || !comparable (scheme, iv->high))
        {
          unknown = TRUE;
          continue;
        }
      if (iv->low != NULL)
        {
          gint c = shr_version_compare (scheme, version, iv->low);
          if (c < 0 || (c == 0 && !iv->low_inclusive))
            continue;
        }
      if (iv->high != NULL)
        {
          gint c = shr_version_compare (scheme, version, iv->high);
          if (c > 0 || (c == 0 && !iv->high_inclusive))
            continue;
        }
      return SHR_TRISTATE_TRUE;
    }
  return unknown ? SHR_TRISTATE_UNKNOWN : SHR_TRISTATE_FALSE;
}

/* Leading numeric components shared by @a and @b ("10.2.5" and "10.2.9-h1"
 * share 2). The epoch counts as a component for dpkg and rpm. */
static guint
shared_components (ShrVersionScheme scheme, const gchar *a, const gchar *b)
{
  if (scheme != SHR_VERSION_SCHEME_GENERIC)
    {
      SplitVersion va, vb;
      split_version (a, &va);
      split_version (b, &vb);
      guint n = 0;
      if (cmp_epoch (va.epoch_digits, vb.epoch_digits) == 0)
        n = 1 + shared_components (SHR_VERSION_SCHEME_GENERIC, va.upstream, vb.upstream);
      g_free (va.buf);
      g_free (vb.buf);
      return n;
    }
  const gchar *pa = skip_v (a), *pb = skip_v (b);
  guint n = 0;
  for (;;)
    {
      Segment sa, sb;
      if (!next_segment (&pa, &sa) || !next_segment (&pb, &sb) || !sa.numeric || !sb.numeric
          || cmp_digits (sa.p, sa.len, sb.p, sb.len) != 0)
        return n;
      n++;
    }
}

/* A fixed version as written may carry words ("2.4.59 or later"). */
static gchar *
fixed_version (ShrVersionScheme scheme, const gchar *written)
{
  if (shr_version_validate (scheme, written, NULL))
    return g_strdup (written);
  g_autoptr (ShrRange) r = shr_range_parse (written, NULL);
  if (r == NULL || r->intervals->len == 0)
    return NULL;
  const ShrInterval *iv = r->intervals->pdata[0];
  const gchar *v = iv->low != NULL ? iv->low : iv->high;
  if (v == NULL || !shr_version_validate (scheme, v, NULL))
    return NULL;
  return g_strdup (v);
}

ShrTristate
shr_version_affected_by_fixed (const GPtrArray *fixed, ShrVersionScheme scheme, const gchar *version)
{
  g_return_val_if_fail (fixed != NULL, SHR_TRISTATE_UNKNOWN);
  if (version == NULL || !shr_version_validate (scheme, version, NULL))
    return SHR_TRISTATE_UNKNOWN;
  g_autofree gchar *best = NULL;
  gint best_shared = -1;
  for (guint i = 0; i < fixed->len; i++)
    {
      g_autofree gchar *f = fixed_version (scheme, fixed->pdata[i]);
      if (f == NULL)
        continue;
      gint shared = shared_components (scheme, version, f);
      if (shared > best_shared || (shared == best_shared && shr_version_compare (scheme, f, best) < 0))
        {
          g_free (best);
          best = g_steal_pointer (&f);
          best_shared = shared;
        }
    }
  if (best == NULL)
    return SHR_TRISTATE_UNKNOWN;
  return shr_version_compare (scheme, version, best) < 0 ? SHR_TRISTATE_TRUE : SHR_TRISTATE_FALSE;
}

gchar *
shr_version_train (const gchar *version)
{
  if (version == NULL)
    return NULL;
  const gchar *p = version;
  if (*p == 'v' || *p == 'V')
    p++;
  /* Numeric components until the first that is not followed by one more. */
  GString *train = g_string_new (NULL);
  guint parts = 0;
  const gchar *q = p;
  guint total = 0;
  for (const gchar *c = p; *c;)
    {
      if (!g_ascii_isdigit (*c))
        break;
      while (g_ascii_isdigit (*c))
        c++;
      total++;
      if (*c == '.' && g_ascii_isdigit (c[1]))
        c++;
      else
        break;
    }
  if (total == 0)
    {
      g_string_free (train, TRUE);
      return NULL;
    }
  /* "13.1-49.15", "22.7R2.6", "6.0 U2a": the train ends where the build
   * or the update starts. */
  guint keep = total >= 3 ? 2 : 1;
  if (total == 2)
    {
      const gchar *c = p;
      while (g_ascii_isdigit (*c) || *c == '.')
        c++;
      if (*c == '-' || *c == 'R' || *c == 'r' || g_str_has_prefix (c, " U")
          || g_str_has_prefix (c, " Update"))
        keep = 2;
    }
  while (parts < keep && *q)
    {
      const gchar *s = q;
      while (g_ascii_isdigit (*q))
        q++;
      if (parts > 0)
        g_string_append_c (train, '.');
      g_string_append_len (train, s, q - s);
      parts++;
      if (*q == '.')
        q++;
      else
        break;
    }
  return g_string_free (train, FALSE);
}

/* Group 1 of @pattern in @version, or NULL (patterns are literals, compiled once per process). */
static gchar *
distribution_mark (const gchar *pattern, const gchar *version)
{
  static GHashTable *cache;
  static GMutex lock;
  g_mutex_lock (&lock);
  if (cache == NULL)
    cache = g_hash_table_new (g_direct_hash, g_direct_equal);
  GRegex *re = g_hash_table_lookup (cache, pattern);
  if (re == NULL)
    {
      re = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, NULL);
      g_hash_table_insert (cache, (gpointer)pattern, re);
    }
  g_mutex_unlock (&lock);
  g_autoptr (GMatchInfo) m = NULL;
  if (re == NULL || !g_regex_match (re, version, 0, &m))
    return NULL;
  return g_match_info_fetch (m, 1);
}

gchar *
shr_version_distribution (const gchar *version)
{
  if (version == NULL)
    return NULL;
  /* Each mark's pattern (case-sensitive) holds its literal: a version
   * without it is not matched against the pattern, which ran nine times
   * over every fixed version of every record. "~22.04" alone is Ubuntu's
   * mark only on an Ubuntu build: its literal is "ubuntu". */
  static const struct
  {
    const gchar *pattern;
    const gchar *literal;
    const gchar *distro;
  } marks[] = {
    { "[+~]deb(\\d{1,2})u\\d", "deb", "Debian" },
    { "[+~]deb(\\d{1,2})(?![\\w])", "deb", "Debian" },
    { "ubuntu\\d*(?:\\.\\d+)*?[~.+]?(?:0\\.)?(\\d{2}\\.\\d{2})(?:\\.\\d+)?$", "ubuntu", "Ubuntu" },
    { "[~+](\\d{2}\\.\\d{2})(?:\\.\\d+)?$", "ubuntu", "Ubuntu" },
    { "\\.el(\\d{1,2})(?:_\\d+)?(?![\\d])", ".el", "Red Hat" },
    { "\\.amzn(\\d{1,4})", ".amzn", "Amazon Linux" },
    { "\\.fc(\\d{2})", ".fc", "Fedora" },
    { "\\.mga(\\d{1,2})", ".mga", "Mageia" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (marks); i++)
    {
      if (strstr (version, marks[i].literal) == NULL)
        continue;
      g_autofree gchar *release = distribution_mark (marks[i].pattern, version);
      if (release == NULL)
        continue;
      return g_strdup_printf ("%s:%s", marks[i].distro, release);
    }
  if (strstr (version, "ubuntu") != NULL)
    return g_strdup ("Ubuntu");
  /* Compiled once: g_regex_match_simple() compiled it for every fixed
   * version of every record. */
  static GRegex *suse;
  if (g_once_init_enter (&suse))
    g_once_init_leave (&suse,
                       g_regex_new ("\\.(?:sles?|suse)\\d*", G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL));
  /* Its every match is a dot before an 's' (or the long s, U+017F, which a
   * caseless 's' also matches). */
  for (const gchar *dot = strchr (version, '.'); dot != NULL; dot = strchr (dot + 1, '.'))
    if (dot[1] == 's' || dot[1] == 'S' || (dot[1] == '\xc5' && dot[2] == '\xbf'))
      return g_regex_match (suse, version, 0, NULL) ? g_strdup ("SUSE") : NULL;
  return NULL;
}

void
shr_product_derive_ranges (ShrProduct *p)
{
  g_return_if_fail (p != NULL);
  if (p->ranges->len > 0)
    return;
  /* A distribution's package: each fix within the release its version
   * names ("+deb12u3" is Debian 12's, ".el8_5" Red Hat 8's), written
   * without the package's name ("zlib-1.2.11-18.el8_5"). */
  for (guint k = 0; k < p->fixed->len; k++)
    {
      const gchar *f = g_ptr_array_index (p->fixed, k);
      gsize nl = strlen (p->product);
      const gchar *v
          = g_ascii_strncasecmp (f, p->product, nl) == 0 && f[nl] == '-' && g_ascii_isdigit (f[nl + 1])
                ? f + nl + 1
                : f;
      g_autofree gchar *eco = shr_version_distribution (v);
      if (eco == NULL && p->ecosystem == NULL)
        continue;
      if (eco != NULL && p->ecosystem == NULL)
        p->ecosystem = g_strndup (eco, strcspn (eco, ":"));
      shr_product_add_range (p, eco != NULL && strchr (eco, ':') ? eco : NULL, NULL, NULL, v, FALSE, f);
    }
  if (p->ecosystem != NULL)
    return;
  for (guint k = 0; k < p->affected->len; k++)
    {
      const gchar *phrase = g_ptr_array_index (p->affected, k);
      g_autoptr (ShrRange) range = shr_range_parse (phrase, NULL);
      if (range == NULL)
        continue;
      for (guint j = 0; j < range->intervals->len; j++)
        {
          const ShrInterval *iv = g_ptr_array_index (range->intervals, j);
          /* "OpenSSL 3.3, 3.2 and 3.0 are vulnerable": a short version
           * alone names its train. */
          gboolean whole_train = iv->low != NULL && iv->high != NULL && strcmp (iv->low, iv->high) == 0
                                 && strchr (iv->low, '.') == strrchr (iv->low, '.');
          g_autofree gchar *train
              = whole_train ? g_strdup (iv->low) : shr_version_train (iv->low ? iv->low : iv->high);
          /* "2.9.0 up to and including 2.11.3" spans trains: no one train. */
          g_autofree gchar *high_train
              = iv->low != NULL && iv->high != NULL ? shr_version_train (iv->high) : NULL;
          if (!whole_train && high_train != NULL && g_strcmp0 (train, high_train) != 0
              && !g_str_has_prefix (iv->high, iv->low))
            g_clear_pointer (&train, g_free);
          /* "before 148", "11 and earlier": a bare release number bounds
           * every release below it, not a train of its own. */
          const gchar *bound = iv->low ? iv->low : iv->high;
          if (!whole_train && bound != NULL && strchr (bound, '.') == NULL)
            g_clear_pointer (&train, g_free);
          shr_product_add_range (p, train, iv->low, iv->high_inclusive ? iv->high : NULL,
                                 iv->high_inclusive ? NULL : iv->high, FALSE, phrase);
        }
    }
  for (guint k = 0; k < p->fixed->len; k++)
    {
      const gchar *f = g_ptr_array_index (p->fixed, k);
      g_autofree gchar *train = shr_version_train (f);
      if (train == NULL)
        continue;
      gboolean placed = FALSE;
      for (guint j = 0; j < p->ranges->len && !placed; j++)
        {
          ShrProductRange *r = g_ptr_array_index (p->ranges, j);
          if (r->fixed == NULL && !r->unaffected && g_strcmp0 (r->train, train) == 0
              && (r->last_affected == NULL
                  || shr_version_compare (SHR_VERSION_SCHEME_GENERIC, r->last_affected, f) < 0))
            {
              r->fixed = g_strdup (f);
              placed = TRUE;
            }
        }
      if (!placed)
        shr_product_add_range (p, train, NULL, NULL, f, FALSE, f);
    }
}

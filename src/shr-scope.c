/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-scope.c — an asset's version against an advisory's ranges. */
#include "config.h"

#include "shr-scope.h"

#include <string.h>

#include "shr-builds.h"
#include "shr-family.h"
#include "shr-extract.h"
#include "shr-recognizers.h"
#include "shr-trains.h"
#include "shr-version.h"

/* ---- ecosystems ----------------------------------------------------------- */

static const struct
{
  const gchar *name;
  const gchar *distro;
  const gchar *release;
} codenames[] = {
  { "trixie", "Debian", "13" },      { "bookworm", "Debian", "12" }, { "bullseye", "Debian", "11" },
  { "buster", "Debian", "10" },      { "stretch", "Debian", "9" },   { "plucky", "Ubuntu", "25.04" },
  { "oracular", "Ubuntu", "24.10" }, { "noble", "Ubuntu", "24.04" }, { "mantic", "Ubuntu", "23.10" },
  { "jammy", "Ubuntu", "22.04" },    { "focal", "Ubuntu", "20.04" }, { "bionic", "Ubuntu", "18.04" },
  { "xenial", "Ubuntu", "16.04" },
};

/* "Ubuntu 24.04 LTS" → "Ubuntu:24.04", "Debian 12 (bookworm)" → "Debian:12",
 * "RHEL 8.5" → "Red Hat:8", "noble" → "Ubuntu:24.04". */
static gchar *
platform_ecosystem (const gchar *platform)
{
  g_autofree gchar *lower = g_ascii_strdown (platform, -1);
  for (gsize i = 0; i < G_N_ELEMENTS (codenames); i++)
    if (strstr (lower, codenames[i].name) != NULL)
      return g_strdup_printf ("%s:%s", codenames[i].distro, codenames[i].release);
  static const struct
  {
    const gchar *pattern;
    const gchar *distro;
  } names[] = {
    { "ubuntu\\D*(\\d{2}\\.\\d{2})", "Ubuntu" },
    { "debian\\D*(\\d{1,2})", "Debian" },
    { "(?:red hat enterprise linux|rhel)\\D*(\\d{1,2})", "Red Hat" },
    { "amazon linux\\D*(\\d{1,4})", "Amazon Linux" },
    { "oracle linux\\D*(\\d{1,2})", "Oracle Linux" },
    { "(?:almalinux|alma linux)\\D*(\\d{1,2})", "AlmaLinux" },
    { "rocky(?: linux)?\\D*(\\d{1,2})", "Rocky Linux" },
    { "fedora\\D*(\\d{2})", "Fedora" },
    { "(?:suse|sles)\\D*(\\d{2}(?: sp\\d)?)", "SUSE" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree gchar *release = shr_match_group (names[i].pattern, lower, 1);
      if (release != NULL)
        return g_strdup_printf ("%s:%s", names[i].distro, release);
    }
  return NULL;
}

/* The part before ':' ("Debian" of "Debian:12"), compared loosely. */
static gboolean
same_distribution (const gchar *a, const gchar *b)
{
  if (a == NULL || b == NULL)
    return FALSE;
  gsize la = strcspn (a, ":"), lb = strcspn (b, ":");
  return la == lb && g_ascii_strncasecmp (a, b, la) == 0;
}

static const gchar *
release_of (const gchar *ecosystem)
{
  const gchar *colon = ecosystem ? strchr (ecosystem, ':') : NULL;
  return colon ? colon + 1 : NULL;
}

/* The release of the profile's one operating-system asset of @distro
 * ("Ubuntu" 24.04, "Debian" 12.9 → "12"), NULL when none or several. */
static gchar *
profile_release (const ShrProfile *profile, const gchar *distro)
{
  gchar *found = NULL;
  for (guint i = 0; i < profile->assets->len; i++)
    {
      const ShrAsset *a = profile->assets->pdata[i];
      if (a->product == NULL || a->version == NULL)
        continue;
      g_autofree gchar *text = g_strdup_printf ("%s %s", a->product, a->version);
      g_autofree gchar *eco = platform_ecosystem (text);
      if (eco == NULL || !same_distribution (eco, distro))
        continue;
      const gchar *release = release_of (eco);
      if (found != NULL && strcmp (found, release) != 0)
        {
          g_free (found);
          return NULL; /* two releases: cannot tell which */
        }
      if (found == NULL)
        found = g_strdup (release);
    }
  return found;
}

gchar *
shr_scope_asset_ecosystem (const ShrProfile *profile, const ShrAsset *asset)
{
  if (asset->platform != NULL)
    {
      gchar *eco = platform_ecosystem (asset->platform);
      if (eco != NULL)
        return eco;
    }
  if (asset->scheme == SHR_VERSION_SCHEME_GENERIC || asset->version == NULL)
    return NULL;
  g_autofree gchar *eco = shr_version_distribution (asset->version);
  if (eco != NULL && release_of (eco) != NULL)
    return g_steal_pointer (&eco);
  /* A package whose version names no release ("3.0.13-0ubuntu3.4", a
   * Debian build without +debNu): the profile's one system of that kind. */
  const gchar *distros[] = { eco, asset->scheme == SHR_VERSION_SCHEME_DPKG ? "Debian" : "Red Hat",
                             asset->scheme == SHR_VERSION_SCHEME_DPKG ? "Ubuntu" : NULL };
  for (gsize i = 0; i < G_N_ELEMENTS (distros); i++)
    {
      if (distros[i] == NULL || (eco != NULL && i > 0))
        continue;
      g_autofree gchar *release = profile_release (profile, distros[i]);
      if (release != NULL)
        return g_strdup_printf ("%s:%s", distros[i], release);
    }
  return eco != NULL ? g_steal_pointer (&eco)
                     : g_strdup (asset->scheme == SHR_VERSION_SCHEME_DPKG ? "dpkg" : "rpm");
}

/* ---- ranges ---------------------------------------------------------------- */

/* Numeric components of a version ("10.2.9-h19" has 3). */
static guint
components (const gchar *v)
{
  guint n = 0;
  const gchar *p = v;
  if (*p == 'v' || *p == 'V')
    p++;
  while (g_ascii_isdigit (*p))
    {
      n++;
      while (g_ascii_isdigit (*p))
        p++;
      if (*p == '.' && g_ascii_isdigit (p[1]))
        p++;
      else
        break;
    }
  return n;
}

static guint
leading_number (const gchar *v)
{
  while (*v && !g_ascii_isdigit (*v))
    v++;
  return (guint)g_ascii_strtoull (v, NULL, 10);
}

/* Whether @v is on @train ("7.4" holds "7.4.4"; "17.6" holds "17.6.5"). */
static gboolean
on_train (const gchar *v, const gchar *train)
{
  if (train == NULL || strchr (train, ':') != NULL)
    return FALSE;
  const gchar *a = v, *b = train;
  if (*a == 'v' || *a == 'V')
    a++;
  gsize tl = strlen (b);
  return strncmp (a, b, tl) == 0
         && (a[tl] == '\0' || a[tl] == '.' || a[tl] == '-' || a[tl] == 'R' || a[tl] == 'r'
             || g_ascii_isalpha (a[tl]));
}

/* @v compared with an upper bound written as a train ("17.6 and earlier"
 * holds 17.6.5): when the bound has fewer numeric components than @v, only
 * as many of @v's count. */
static gint
compare_upper (ShrVersionScheme scheme, const gchar *v, const gchar *bound)
{
  guint bc = components (bound), vc = components (v);
  if (scheme == SHR_VERSION_SCHEME_GENERIC && bc > 0 && bc < vc
      && strspn (bound, "0123456789.vV") == strlen (bound))
    {
      /* Cut @v after its bc-th component. */
      const gchar *p = v;
      if (*p == 'v' || *p == 'V')
        p++;
      guint seen = 0;
      const gchar *end = p;
      while (*end && seen < bc)
        {
          while (g_ascii_isdigit (*end))
            end++;
          seen++;
          if (seen < bc && *end == '.')
            end++;
        }
      g_autofree gchar *cut = g_strndup (p, end - p);
      return shr_version_compare (scheme, cut, bound[0] == 'v' || bound[0] == 'V' ? bound + 1 : bound);
    }
  return shr_version_compare (scheme, v, bound);
}

static gboolean
valid (ShrVersionScheme scheme, const gchar *v)
{
  return v == NULL || shr_version_validate (scheme, v, NULL);
}

static ShrTristate
range_contains (const ShrProductRange *r, ShrVersionScheme scheme, const gchar *v)
{
  if (r->unaffected)
    return SHR_TRISTATE_FALSE;
  if (!valid (scheme, r->introduced) || !valid (scheme, r->fixed) || !valid (scheme, r->last_affected))
    return SHR_TRISTATE_UNKNOWN;
  if (r->introduced != NULL && shr_version_compare (scheme, v, r->introduced) < 0)
    {
      /* "6.4" as the first affected version is the whole 6.4 train. */
      if (!(on_train (v, r->introduced) && components (r->introduced) < components (v)))
        return SHR_TRISTATE_FALSE;
    }
  if (r->fixed != NULL && shr_version_compare (scheme, v, r->fixed) >= 0)
    return SHR_TRISTATE_FALSE;
  if (r->last_affected != NULL && compare_upper (scheme, v, r->last_affected) > 0)
    return SHR_TRISTATE_FALSE;
  if (r->introduced == NULL && r->fixed == NULL && r->last_affected == NULL && r->train != NULL
      && !on_train (v, r->train))
    return SHR_TRISTATE_FALSE;
  return SHR_TRISTATE_TRUE;
}

/* A range bounded by a bare release number and no train: "before 148",
 * "11 and earlier". */
static gboolean
bare_bound (const ShrProductRange *r)
{
  const gchar *upper = r->last_affected != NULL ? r->last_affected : r->fixed;
  return r->train == NULL && !r->unaffected && upper != NULL && strchr (upper, '.') == NULL
         && (r->introduced == NULL || strcmp (r->introduced, "0") == 0);
}

static gboolean
open_below (const ShrProductRange *r)
{
  return !r->unaffected && r->introduced == NULL && (r->fixed != NULL || r->last_affected != NULL);
}

/* Leading numeric components two versions share. */
static guint
shared_prefix (const gchar *a, const gchar *b)
{
  guint n = 0;
  if (*a == 'v' || *a == 'V')
    a++;
  if (*b == 'v' || *b == 'V')
    b++;
  for (;;)
    {
      if (!g_ascii_isdigit (*a) || !g_ascii_isdigit (*b))
        return n;
      guint64 x = g_ascii_strtoull (a, (gchar **)&a, 10);
      guint64 y = g_ascii_strtoull (b, (gchar **)&b, 10);
      if (x != y)
        return n;
      n++;
      if (*a != '.' || *b != '.')
        return n;
      a++;
      b++;
    }
}

static gchar *
describe_ranges (const ShrProduct *p)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < p->ranges->len && i < 6; i++)
    {
      const ShrProductRange *r = p->ranges->pdata[i];
      if (s->len > 0)
        g_string_append (s, "; ");
      g_string_append (s, r->text != NULL ? r->text : r->fixed ? r->fixed : "");
    }
  if (p->ranges->len > 6)
    g_string_append (s, "; …");
  return g_string_free (s, FALSE);
}

/* The advisory's ranges of a vendor's own versions (no distribution). */
static ShrTristate
decide_trains (const ShrAsset *a, const ShrProduct *p, gchar **why_en, gchar **why_ja)
{
  const gchar *v = a->version;
  ShrVersionScheme scheme = a->scheme;
  g_autofree gchar *said = describe_ranges (p);
  /* Ranges of the asset's own train decide; an interval that holds the
   * version, or else the fix of the asset's line that shares most of its
   * numbers (hotfix lines: 10.2.9-h19 for 10.2.9-h1, not 10.2.10-h12). */
  gboolean listed = FALSE, unknown = FALSE;
  const ShrProductRange *best_open = NULL;
  guint best_shared = 0;
  for (guint i = 0; i < p->ranges->len; i++)
    {
      const ShrProductRange *r = p->ranges->pdata[i];
      const gchar *train = r->train;
      g_autofree gchar *derived = NULL;
      if (train == NULL)
        train = derived = shr_version_train (r->introduced      ? r->introduced
                                             : r->last_affected ? r->last_affected
                                                                : r->fixed);
      if (r->introduced == NULL && r->fixed == NULL && r->last_affected == NULL && r->train == NULL
          && !r->unaffected)
        {
          *why_en = g_strdup_printf ("the advisory says all versions are affected (%s)", said);
          *why_ja = g_strdup_printf ("勧告はすべてのバージョンが影響を受けるとしている（%s）", said);
          return SHR_TRISTATE_TRUE;
        }
      const gchar *upper = r->last_affected != NULL ? r->last_affected : r->fixed;
      if (bare_bound (r))
        continue;
      /* A range over several trains ("2.9.0 up to and including 2.11.3")
       * holds the version or says nothing of it. */
      g_autofree gchar *upper_train = r->train == NULL && r->introduced != NULL && upper != NULL
                                              && !g_str_has_prefix (upper, r->introduced)
                                          ? shr_version_train (upper)
                                          : NULL;
      if (upper_train != NULL && g_strcmp0 (upper_train, train) != 0)
        {
          if (range_contains (r, scheme, v) == SHR_TRISTATE_TRUE)
            {
              *why_en
                  = g_strdup_printf ("%s is within the affected versions (%s)", v, r->text ? r->text : said);
              *why_ja = g_strdup_printf ("%s は影響を受けるバージョン（%s）に含まれる", v,
                                         r->text ? r->text : said);
              return SHR_TRISTATE_TRUE;
            }
          continue;
        }
      if (!on_train (v, train))
        continue;
      listed = TRUE;
      if (open_below (r) && r->fixed != NULL)
        {
          guint shared = shared_prefix (v, r->fixed);
          if (best_open == NULL || shared > best_shared
              || (shared == best_shared && shr_version_compare (scheme, r->fixed, best_open->fixed) < 0))
            {
              best_open = r;
              best_shared = shared;
            }
          continue;
        }
      ShrTristate t = range_contains (r, scheme, v);
      if (t == SHR_TRISTATE_TRUE)
        {
          *why_en = g_strdup_printf ("%s is within the affected versions (%s)", v, r->text ? r->text : said);
          *why_ja
              = g_strdup_printf ("%s は影響を受けるバージョン（%s）に含まれる", v, r->text ? r->text : said);
          return SHR_TRISTATE_TRUE;
        }
      unknown |= t == SHR_TRISTATE_UNKNOWN;
    }
  if (best_open != NULL)
    {
      ShrTristate t = range_contains (best_open, scheme, v);
      if (t == SHR_TRISTATE_TRUE)
        {
          *why_en = g_strdup_printf ("%s is before the fix %s of its release line; the advisory: %s", v,
                                     best_open->fixed, said);
          *why_ja = g_strdup_printf ("%s は同じ系列の修正版 %s より前。勧告: %s", v, best_open->fixed, said);
          return t;
        }
      unknown |= t == SHR_TRISTATE_UNKNOWN;
    }
  if (listed)
    {
      if (unknown)
        {
          *why_en = g_strdup_printf ("%s cannot be compared with the advisory's versions (%s)", v, said);
          *why_ja = g_strdup_printf ("%s を勧告のバージョン（%s）と比較できない", v, said);
          return SHR_TRISTATE_UNKNOWN;
        }
      *why_en = g_strdup_printf ("%s is not within the affected versions of its release line (%s)", v, said);
      *why_ja = g_strdup_printf ("%s は同じ系列の影響バージョンに含まれない（%s）", v, said);
      return SHR_TRISTATE_FALSE;
    }

  /* "Firefox 148より前": a bare release number bounds every release below
   * it whose own train the advisory does not list. */
  const ShrProductRange *bare_past = NULL;
  for (guint i = 0; i < p->ranges->len; i++)
    {
      const ShrProductRange *r = p->ranges->pdata[i];
      if (!bare_bound (r))
        continue;
      ShrTristate t = range_contains (r, scheme, v);
      if (t == SHR_TRISTATE_TRUE)
        {
          const gchar *upper = r->last_affected != NULL ? r->last_affected : r->fixed;
          *why_en = g_strdup_printf ("%s is before %s (%s)", v, upper, r->text ? r->text : said);
          *why_ja = g_strdup_printf ("%s は %s より前（%s）", v, upper, r->text ? r->text : said);
          return SHR_TRISTATE_TRUE;
        }
      if (t == SHR_TRISTATE_FALSE)
        bare_past = r;
    }
  /* Past that bound and past every other bound the advisory gives. */
  if (bare_past != NULL)
    {
      gboolean past_all = TRUE;
      for (guint i = 0; i < p->ranges->len && past_all; i++)
        {
          const ShrProductRange *r = p->ranges->pdata[i];
          const gchar *upper = r->last_affected != NULL ? r->last_affected : r->fixed;
          past_all = upper != NULL && valid (scheme, upper) && shr_version_compare (scheme, v, upper) >= 0;
        }
      if (past_all)
        {
          const gchar *upper = bare_past->last_affected != NULL ? bare_past->last_affected : bare_past->fixed;
          *why_en = g_strdup_printf ("%s is %s or later (%s)", v, upper, said);
          *why_ja = g_strdup_printf ("%s は %s 以降（%s）", v, upper, said);
          return SHR_TRISTATE_FALSE;
        }
    }

  /* The asset's train is not listed. "Prior to X" and "X and earlier"
   * cover every earlier line: the bound sharing most of the version's
   * numbers decides. */
  const ShrProductRange *best = NULL;
  guint most = 0;
  guint max_major = 0;
  gboolean bounded_only = TRUE;
  for (guint i = 0; i < p->ranges->len; i++)
    {
      const ShrProductRange *r = p->ranges->pdata[i];
      const gchar *bound = r->fixed ? r->fixed : r->last_affected ? r->last_affected : r->introduced;
      if (bound != NULL)
        max_major = MAX (max_major, leading_number (bound));
      if (!open_below (r))
        continue;
      bounded_only = FALSE;
      const gchar *ob = r->fixed ? r->fixed : r->last_affected;
      guint shared = shared_prefix (v, ob);
      if (best == NULL || shared > most)
        {
          best = r;
          most = shared;
        }
    }
  /* Several trains listed and the asset's among none of them: "prior to
   * X" of one train says nothing of another (vCenter 6.5 beside fixes for
   * 6.0 and 5.5), unless the asset is older than every one listed. */
  guint open_trains = 0;
  gboolean below_all = TRUE;
  {
    g_autoptr (GHashTable) trains = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < p->ranges->len; i++)
      {
        const ShrProductRange *r = p->ranges->pdata[i];
        if (!open_below (r))
          continue;
        const gchar *ob = r->fixed ? r->fixed : r->last_affected;
        g_autofree gchar *t = r->train ? g_strdup (r->train) : shr_version_train (ob);
        if (t != NULL && g_hash_table_add (trains, g_steal_pointer (&t)))
          open_trains++;
        if (valid (scheme, ob) && shr_version_compare (scheme, v, ob) >= 0)
          below_all = FALSE;
      }
  }
  /* Fixes on different major releases (Firefox 131.0.2, ESR 128.3.1 and
   * 115.16.1): the only fix on the asset's major is its line's, and a
   * version before it on that major is affected (ESR 128.2.0). A version
   * after it may be a line of its own the advisory does not name. */
  if (open_trains >= 2 && !below_all)
    {
      const ShrProductRange *same_major = NULL;
      guint on_major = 0;
      for (guint i = 0; i < p->ranges->len; i++)
        {
          const ShrProductRange *r = p->ranges->pdata[i];
          const gchar *ob = r->fixed ? r->fixed : r->last_affected;
          if (open_below (r) && ob != NULL && leading_number (ob) == leading_number (v))
            {
              same_major = r;
              on_major++;
            }
        }
      if (on_major == 1 && range_contains (same_major, scheme, v) == SHR_TRISTATE_TRUE)
        {
          const gchar *ob = same_major->fixed ? same_major->fixed : same_major->last_affected;
          *why_en = g_strdup_printf ("%s is before %s, the advisory's only fix for the %u releases (%s)", v,
                                     ob, leading_number (v), said);
          *why_ja = g_strdup_printf ("%s は %u 系で勧告が示す唯一の修正版 %s より前（%s）", v,
                                     leading_number (v), ob, said);
          return SHR_TRISTATE_TRUE;
        }
    }
  if (best != NULL && open_trains >= 2 && !below_all)
    best = NULL;
  if (best != NULL && (most > 0 || p->ranges->len == 1 || below_all))
    {
      ShrTristate t = range_contains (best, scheme, v);
      const gchar *ob = best->fixed ? best->fixed : best->last_affected;
      if (t == SHR_TRISTATE_TRUE)
        {
          *why_en = g_strdup_printf ("%s is before %s (%s)", v, ob, said);
          *why_ja = g_strdup_printf ("%s は %s より前（%s）", v, ob, said);
        }
      else if (t == SHR_TRISTATE_FALSE)
        {
          *why_en = g_strdup_printf ("%s is later than %s (%s)", v, ob, said);
          *why_ja = g_strdup_printf ("%s は %s より新しい（%s）", v, ob, said);
        }
      if (t != SHR_TRISTATE_UNKNOWN)
        return t;
    }
  if (p->others_unaffected)
    {
      *why_en = g_strdup_printf (
          "%s is not among the versions the advisory lists, and it says others are not affected (%s)", v,
          said);
      *why_ja = g_strdup_printf (
          "%s は勧告が挙げるバージョンになく、勧告は他のバージョンは影響を受けないとしている（%s）", v, said);
      return SHR_TRISTATE_FALSE;
    }
  if (bounded_only && max_major > 0 && leading_number (v) > max_major)
    {
      *why_en = g_strdup_printf ("%s is a later major release than any the advisory lists (%s)", v, said);
      *why_ja = g_strdup_printf ("%s は勧告が挙げるどの系列よりも新しいメジャーリリース（%s）", v, said);
      return SHR_TRISTATE_FALSE;
    }
  g_autofree gchar *train = shr_version_train (v);
  *why_en = g_strdup_printf ("the release line %s of %s is not among those the advisory lists (%s)",
                             train ? train : v, v, said);
  *why_ja = g_strdup_printf ("%s の系列 %s は勧告が挙げる系列（%s）にない", v, train ? train : v, said);
  return SHR_TRISTATE_UNKNOWN;
}

/* "Debian:12" as people write it: "Debian 12". */
static gchar *
readable (const gchar *ecosystem)
{
  gchar *s = g_strdup (ecosystem ? ecosystem : "");
  g_strdelimit (s, ":", ' ');
  return s;
}

/* The upstream part of a package version: "1:1.1.1k-5.el8_5" → "1.1.1k",
 * "3.0.13-0ubuntu3.4" → "3.0.13". (transfer full) */
static gchar *
upstream_version (const gchar *version)
{
  const gchar *start = strchr (version, ':');
  start = start != NULL ? start + 1 : version;
  const gchar *dash = strrchr (start, '-');
  return g_strndup (start, dash != NULL ? (gsize)(dash - start) : strlen (start));
}

/* A distribution's fix against a package asset. */
static ShrTristate
decide_package (const ShrProfile *profile, const ShrAsset *a, const ShrProduct *p, gchar **why_en,
                gchar **why_ja)
{
  g_autofree gchar *eco_key = shr_scope_asset_ecosystem (profile, a);
  g_autofree gchar *eco = readable (eco_key);
  g_autofree gchar *p_eco = readable (p->ecosystem);
  g_autofree gchar *said = describe_ranges (p);
  if (eco_key == NULL || a->version == NULL)
    {
      *why_en
          = g_strdup_printf ("the advisory gives %s package versions (%s); the asset's version %s is not one",
                             p_eco, said, a->version ? a->version : "is not recorded and");
      *why_ja = g_strdup_printf (
          "勧告は %s のパッケージのバージョン（%s）を示すが、資産のバージョン %s はそれと比較できない", p_eco,
          said, a->version ? a->version : "（未記録）");
      return SHR_TRISTATE_UNKNOWN;
    }
  if (strcmp (eco_key, "dpkg") == 0 || strcmp (eco_key, "rpm") == 0)
    {
      /* A package whose distribution release nothing says. */
      *why_en = g_strdup_printf (
          "the advisory's fixes are for %s (%s); which distribution release %s comes from is "
          "not recorded (give the asset a platform, e.g. \"Debian 12\")",
          p_eco, said, a->version);
      *why_ja = g_strdup_printf (
          "勧告の修正は %s 向け（%s）だが、%s がどのディストリビューションのリリースのパッケージかが"
          "記録されていない（資産に platform を設定してください。例: Debian 12）",
          p_eco, said, a->version);
      return SHR_TRISTATE_UNKNOWN;
    }
  if (!same_distribution (eco_key, p->ecosystem))
    {
      *why_en
          = g_strdup_printf ("the advisory's fix is for %s (%s); %s is a %s package, so check %s's own fix",
                             p_eco, said, a->version, eco, eco);
      *why_ja = g_strdup_printf (
          "勧告の修正は %s 向け（%s）で、%s は %s のパッケージのため比較できない（%s 側の修正を確認）", p_eco,
          said, a->version, eco, eco);
      return SHR_TRISTATE_UNKNOWN;
    }
  /* The fix for the asset's own release. */
  const gchar *release = release_of (eco_key);
  const gchar *p_release = release_of (p->ecosystem);
  gboolean unknown = FALSE;
  for (guint i = 0; i < p->ranges->len; i++)
    {
      const ShrProductRange *r = p->ranges->pdata[i];
      const gchar *r_release = r->train != NULL && strchr (r->train, ':') ? release_of (r->train) : p_release;
      if (release == NULL || r_release == NULL || strcmp (release, r_release) != 0)
        continue;
      ShrTristate t = range_contains (r, a->scheme, a->version);
      if (t == SHR_TRISTATE_TRUE)
        {
          *why_en
              = g_strdup_printf ("%s is before the %s fix %s", a->version, eco, r->fixed ? r->fixed : said);
          *why_ja
              = g_strdup_printf ("%s は %s の修正版 %s より前", a->version, eco, r->fixed ? r->fixed : said);
          return t;
        }
      if (t == SHR_TRISTATE_FALSE)
        {
          *why_en
              = g_strdup_printf ("%s already has the %s fix %s", a->version, eco, r->fixed ? r->fixed : said);
          *why_ja
              = g_strdup_printf ("%s は %s の修正版 %s 以降", a->version, eco, r->fixed ? r->fixed : said);
          return t;
        }
      unknown = TRUE;
    }
  *why_en = unknown ? g_strdup_printf ("%s cannot be compared with the %s fix (%s)", a->version, eco, said)
                    : g_strdup_printf ("the advisory gives no fix for %s (%s); check %s's own advisory", eco,
                                       said, eco);
  *why_ja = unknown ? g_strdup_printf ("%s を %s の修正版（%s）と比較できない", a->version, eco, said)
                    : g_strdup_printf ("勧告は %s 向けの修正を示していない（%s）。%s 側の情報を確認", eco,
                                       said, eco);
  return SHR_TRISTATE_UNKNOWN;
}

/* Windows: an asset's build against the monthly cumulative updates. The
 * update a fix is in (a KB or a build the advisory names), else the
 * advisory's own date, decides: a build that already has a later month's
 * update has the fix; one whose last update is older than the advisory
 * lacks it, as far as the text tells. */
static ShrTristate
decide_windows (const ShrAsset *a, const ShrProduct *p, const ShrRecord *record, gchar **why_en,
                gchar **why_ja, gboolean *by_date)
{
  *by_date = FALSE;
  const ShrBuilds *builds = shr_builds_get_default ();
  const ShrWindowsLine *line = shr_builds_windows_line (builds, a->product, a->version);
  if (line == NULL)
    return SHR_TRISTATE_UNKNOWN;
  if (shr_builds_windows_runs (builds, a->product, a->version, p->product) == SHR_TRISTATE_FALSE)
    {
      *why_en
          = g_strdup_printf ("%s is %s, not the %s the advisory names", a->version ? a->version : a->product,
                             shr_windows_line_name (line), p->product);
      *why_ja
          = g_strdup_printf ("%s は %s で、勧告が挙げる %s ではない", a->version ? a->version : a->product,
                             shr_windows_line_name (line), p->product);
      return SHR_TRISTATE_FALSE;
    }
  g_autofree gchar *month = shr_builds_windows_month (builds, a->product, a->version);
  for (guint i = 0; i < p->fixed->len; i++)
    {
      const gchar *fix = p->fixed->pdata[i];
      ShrTristate has = shr_builds_windows_contains (builds, a->product, a->version, fix);
      if (has == SHR_TRISTATE_UNKNOWN)
        continue;
      *why_en = g_strdup_printf (has == SHR_TRISTATE_TRUE ? "build %s already has the update %s"
                                                          : "build %s does not have the update %s",
                                 a->version, fix);
      *why_ja
          = g_strdup_printf (has == SHR_TRISTATE_TRUE ? "ビルド %s は更新プログラム %s を適用済み"
                                                      : "ビルド %s には更新プログラム %s が適用されていない",
                             a->version, fix);
      return has == SHR_TRISTATE_TRUE ? SHR_TRISTATE_FALSE : SHR_TRISTATE_TRUE;
    }
  if (record->date == NULL || strlen (record->date) < 10 || month == NULL)
    return SHR_TRISTATE_UNKNOWN;
  g_autofree gchar *day = g_strndup (record->date, 10);
  ShrTristate later = shr_builds_windows_contains (builds, a->product, a->version, day);
  if (later == SHR_TRISTATE_TRUE)
    {
      *why_en = g_strdup_printf ("build %s has the %s cumulative update, later than the advisory (%s)",
                                 a->version, month, day);
      *why_ja = g_strdup_printf ("ビルド %s は勧告（%s）より後の %s の累積更新プログラムを適用済み",
                                 a->version, day, month);
      return SHR_TRISTATE_FALSE;
    }
  if (later == SHR_TRISTATE_FALSE)
    {
      *why_en = g_strdup_printf ("build %s has no update later than %s, older than the advisory (%s)",
                                 a->version, month, day);
      *why_ja = g_strdup_printf ("ビルド %s の累積更新プログラムは %s までで、勧告（%s）より古い", a->version,
                                 month, day);
      *by_date = TRUE;
      return SHR_TRISTATE_TRUE;
    }
  return SHR_TRISTATE_UNKNOWN;
}

static gboolean
is_windows (const ShrProduct *p)
{
  const ShrFamilyMember *m = shr_families_find (shr_families_get_default (), p->vendor, p->product);
  return m != NULL && strcmp (m->family, "Windows") == 0;
}

/* The newest year among the record's CVE ids, or 0. */
static guint
newest_cve_year (const ShrRecord *record)
{
  guint newest = 0;
  for (guint i = 0; record != NULL && i < record->cves->len; i++)
    {
      const ShrCve *cve = record->cves->pdata[i];
      if (g_ascii_strncasecmp (cve->id, "CVE-", 4) == 0)
        newest = MAX (newest, (guint)g_ascii_strtoull (cve->id + 4, NULL, 10));
    }
  return newest;
}

/* A flaw named only by its CVE ids, and the asset on a train first
 * released two years or more after the newest of them was assigned: the
 * flaws were published and fixed before the train existed, so it was built
 * with the fixes ("Pulse Connect Secure CVE-2019-11510" against Ivanti
 * Connect Secure 22.3R1). One year is not enough: an id of late in a year
 * may be published the next. */
static gboolean
train_after_flaws (const ShrAsset *a, const ShrRecord *record, gchar **why_en, gchar **why_ja)
{
  guint year = newest_cve_year (record);
  if (year == 0 || a->version == NULL)
    return FALSE;
  const ShrFamilyMember *m = shr_families_find (shr_families_get_default (), a->vendor, a->product);
  const gchar *family = m != NULL ? m->family : a->product;
  const gchar *train = NULL, *released = NULL;
  guint32 first = shr_trains_first_release (shr_trains_get_default (), family, a->version, &train, &released);
  g_autoptr (GDate) after = g_date_new_dmy (1, G_DATE_JANUARY, (GDateYear)(year + 2));
  if (first == 0 || first < g_date_get_julian (after))
    return FALSE;
  *why_en = g_strdup_printf (
      "the advisory names no versions, and %s is on the %s %s train, first released in %s, "
      "after its flaws (CVE-%u and earlier) were published and fixed",
      a->version, family, train, released, year);
  *why_ja = g_strdup_printf (
      "勧告はバージョンを示していないが、%s は %s %s 系列（初版 %s）で、脆弱性（CVE-%u 以前）の"
      "公表・修正より後に出たもの",
      a->version, family, train, released, year);
  return TRUE;
}

ShrTristate
shr_scope_decide (const ShrProfile *profile, const ShrAsset *a, const ShrProduct *p, const ShrRecord *record,
                  gchar **why_en, gchar **why_ja, gboolean *unlimited)
{
  g_return_val_if_fail (a != NULL && p != NULL && why_en != NULL && why_ja != NULL, SHR_TRISTATE_UNKNOWN);
  if (unlimited != NULL)
    *unlimited = FALSE;
  if (record != NULL && is_windows (p))
    {
      gboolean by_date = FALSE;
      ShrTristate t = decide_windows (a, p, record, why_en, why_ja, &by_date);
      /* An article's date says nothing of which update fixes what it
       * mentions: as little as a product named without versions. */
      if (by_date && unlimited != NULL && g_strcmp0 (record->source_kind, "news") == 0)
        *unlimited = TRUE;
      if (t != SHR_TRISTATE_UNKNOWN)
        return t;
      g_clear_pointer (why_en, g_free);
      g_clear_pointer (why_ja, g_free);
    }
  gboolean says_versions = p->ranges->len > 0 || p->affected->len > 0 || p->fixed->len > 0;
  if (p->ecosystem != NULL && says_versions)
    return decide_package (profile, a, p, why_en, why_ja);
  if (!says_versions)
    {
      if (train_after_flaws (a, record, why_en, why_ja))
        return SHR_TRISTATE_FALSE;
      if (unlimited != NULL)
        *unlimited = TRUE;
      *why_en = g_strdup ("the advisory does not limit the affected versions");
      *why_ja = g_strdup ("勧告は影響バージョンを限定していない");
      return SHR_TRISTATE_TRUE;
    }
  if (a->version == NULL)
    {
      g_autofree gchar *said = describe_ranges (p);
      *why_en = g_strdup_printf ("its version is not recorded; check it against %s", said);
      *why_ja = g_strdup_printf ("バージョンが記録されていないため要確認（%s）", said);
      return SHR_TRISTATE_UNKNOWN;
    }
  g_autofree gchar *eco = shr_scope_asset_ecosystem (profile, a);
  if (eco != NULL)
    {
      /* A package built from a train the advisory says is not affected
       * ("OpenSSL 1.1.1 is not affected"; 1:1.1.1k-5.el8_5 is 1.1.1k). */
      g_autofree gchar *upstream = upstream_version (a->version);
      for (guint i = 0; upstream != NULL && i < p->ranges->len; i++)
        {
          const ShrProductRange *r = p->ranges->pdata[i];
          if (r->unaffected && on_train (upstream, r->train))
            {
              *why_en = g_strdup_printf ("the advisory says %s is not affected, and %s is built from %s",
                                         r->train, a->version, upstream);
              *why_ja = g_strdup_printf (
                  "勧告は %s 系列は影響を受けないとしており、%s は %s をもとにしたパッケージ", r->train,
                  a->version, upstream);
              return SHR_TRISTATE_FALSE;
            }
        }
      /* A distribution's build against the vendor's own version numbers:
       * distributions backport fixes without changing the upstream part. */
      g_autofree gchar *said = describe_ranges (p);
      *why_en
          = g_strdup_printf ("the advisory gives upstream versions (%s); %s is a %s package, whose fixes are "
                             "backported: check the distribution's advisory",
                             said, a->version, eco);
      *why_ja = g_strdup_printf (
          "勧告は上流のバージョン（%s）を示すが、%s は %s のパッケージ（修正はバックポートされる）のため、"
          "ディストリビューションの情報を確認",
          said, a->version, eco);
      return SHR_TRISTATE_UNKNOWN;
    }
  /* Fixes named as releases ("Exchange Server 2019 CU15 SU3") are placed
   * by their builds. */
  const ShrBuilds *builds = shr_builds_get_default ();
  if (a->scheme == SHR_VERSION_SCHEME_GENERIC && p->fixed->len > 0
      && shr_builds_names_release (builds, p->product, p->fixed))
    {
      ShrTristate t = shr_builds_affected (builds, p->product, p->fixed, a->version);
      g_autofree gchar *list = describe_ranges (p);
      *why_en = g_strdup_printf (t == SHR_TRISTATE_TRUE    ? "build %s is before the fixed release (%s)"
                                 : t == SHR_TRISTATE_FALSE ? "build %s already has the fixed release (%s)"
                                                           : "build %s cannot be placed against %s",
                                 a->version, list);
      *why_ja = g_strdup_printf (t == SHR_TRISTATE_TRUE ? "ビルド %s は修正リリース（%s）より前"
                                 : t == SHR_TRISTATE_FALSE ? "ビルド %s は修正リリース（%s）以降"
                                                           : "ビルド %s を %s と比較できない",
                                 a->version, list);
      return t;
    }
  if (p->ranges->len == 0)
    {
      *why_en = g_strdup_printf ("%s cannot be compared with what the advisory says of versions", a->version);
      *why_ja = g_strdup_printf ("%s を勧告のバージョン表記と比較できない", a->version);
      return SHR_TRISTATE_UNKNOWN;
    }
  return decide_trains (a, p, why_en, why_ja);
}

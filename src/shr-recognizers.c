/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The recognisers of structured advisory sources. Each knows the
 * identifiers and layout of one family (notes/formats.md); prose that they
 * leave is read by the generic passes of shr-extract.c. */
#include "config.h"

#include "shr-recognizers.h"

#include <string.h>

#include "shr-sources.h"
#include "shr-text.h"

static gboolean
matches (const gchar *pattern, const gchar *text)
{
  return text != NULL && shr_regex_test (pattern, text);
}

static void
set_string (gchar **slot, gchar *value)
{
  if (value == NULL)
    return;
  g_free (*slot);
  *slot = value;
}

static void
set_source (ShrExtractContext *ctx, const gchar *kind, const gchar *name, gchar *advisory_id)
{
  set_string (&ctx->record->source_kind, g_strdup (kind));
  set_string (&ctx->record->source_name, g_strdup (name));
  set_string (&ctx->record->advisory_id, advisory_id);
}

/* Whether @haystack contains any of @needles, ignoring ASCII case: a cheap
 * test that spares a recogniser's patterns on most mails. */
static gboolean
contains_any (const gchar *haystack, const gchar *const *needles)
{
  if (haystack == NULL)
    return FALSE;
  for (gsize i = 0; needles[i] != NULL; i++)
    if (strcasestr (haystack, needles[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* Whether a caseless pattern, every match of which holds one of @needles
 * (ASCII, lower case, or not letters), may match @text, a short one (the
 * sender, the subject): a letter a caseless 's' or 'k' matches besides the
 * ASCII ones (ſ, U+017F; the Kelvin sign, U+212A) lets the pattern
 * decide. The detectors try their patterns on every mail; most hold none
 * of the words. */
static gboolean
may_hold (const gchar *text, const gchar *const *needles)
{
  if (text == NULL)
    return FALSE;
  return contains_any (text, needles) || strstr (text, "\xc5\xbf") != NULL
         || strstr (text, "\xe2\x84\xaa") != NULL;
}

/* The same test on the subject and head, which are long: through their
 * lower-cased copy and strstr(), much faster than strcasestr(). */
static gboolean
ids_contain_any (ShrExtractContext *ctx, const gchar *const *needles)
{
  for (gsize i = 0; needles[i] != NULL; i++)
    if (strstr (ctx->ids_lower, needles[i]) != NULL)
      return TRUE;
  return FALSE;
}
/* Whether a caseless pattern, every match of which holds one of
 * @needles (ASCII, lower case), may match the subject and head. A caseless
 * 's' or 'k' also matches 'ſ' (U+017F) and the Kelvin sign (U+212A), which
 * ASCII lower-casing leaves alone: where the text holds either, the
 * pattern decides. Spares the detectors' patterns on most mails, each of
 * which would otherwise scan the whole head. */
static gboolean
ids_may_hold (ShrExtractContext *ctx, const gchar *const *needles)
{
  if (ctx->ids_folds == 0)
    ctx->ids_folds
        = strstr (ctx->ids, "\xc5\xbf") != NULL || strstr (ctx->ids, "\xe2\x84\xaa") != NULL ? 2 : 1;
  return ctx->ids_folds == 2 || ids_contain_any (ctx, needles);
}

/* Splits a list of versions or packages written "a, b and c". */
static void
add_fixed (ShrProduct *p, const gchar *version)
{
  if (p == NULL || version == NULL)
    return;
  g_autofree gchar *v = g_strdup (version);
  gsize len = strlen (v);
  while (len > 0 && strchr (".,;:)", v[len - 1]) != NULL)
    v[--len] = '\0';
  if (*v != '\0')
    shr_strv_add_unique (p->fixed, v);
}

/* ---- Debian DSA / DLA ---------------------------------------------------- */

static gboolean
dsa_detect (ShrExtractContext *ctx)
{
  static const gchar *const words[] = { "dsa", "dla", NULL };
  const gchar *t = ctx->ids;
  return ids_may_hold (ctx, words) && matches ("\\b(?:DSA|DLA)[- ]\\d{3,5}-\\d{1,2}\\b", t);
}

static void
dsa_extract (ShrExtractContext *ctx)
{
  const gchar *t = ctx->ids;
  g_autofree gchar *kind = shr_match_group ("\\b(DSA|DLA)[- ](\\d{3,5}-\\d{1,2})\\b", t, 1);
  g_autofree gchar *num = shr_match_group ("\\b(DSA|DLA)[- ](\\d{3,5}-\\d{1,2})\\b", t, 2);
  g_autofree gchar *upper = g_ascii_strup (kind, -1);
  gboolean lts = strcmp (upper, "DLA") == 0;
  set_source (ctx, "dsa", lts ? "Debian LTS" : "Debian Security", g_strdup_printf ("%s-%s", upper, num));

  g_autofree gchar *package = shr_field_value (ctx->body, "Package");
  if (package == NULL)
    package
        = shr_match_group ("\\]\\s*(\\S+)\\s+(?:security|regression|bug-?fix)\\s+update", ctx->subject, 1);
  g_autofree gchar *rest
      = shr_match_group ("\\b(?:DSA|DLA)[- ]\\d{3,5}-\\d{1,2}\\]?\\s*(.+)$", ctx->subject, 1);
  if (rest != NULL)
    set_string (&ctx->record->title, g_strdup_printf ("%s %s", ctx->record->advisory_id, rest));
  else if (package != NULL)
    set_string (&ctx->record->title,
                g_strdup_printf ("%s %s security update", ctx->record->advisory_id, package));

  if (package != NULL)
    {
      g_auto (GStrv) names = g_regex_split (shr_regex ("[\\s,]+"), package, 0);
      for (gsize i = 0; names[i] != NULL; i++)
        {
          if (*names[i] == '\0')
            continue;
          ShrProduct *p = shr_record_add_product (ctx->record, "Debian", names[i]);
          if (p == NULL)
            continue;
          g_auto (ShrMatches) m = { 0 };
          shr_matches_first (&m, "(?:fixed|corrected|resolved)\\s+in\\s+version\\s+(\\S+)", ctx->body);
          while (shr_matches_found (&m))
            {
              g_autofree gchar *v = shr_matches_fetch (&m, 1);
              add_fixed (p, v);
              shr_matches_next (&m);
            }
          g_autofree gchar *version = shr_field_value (ctx->body, "Version");
          if (version != NULL)
            add_fixed (p, version);
        }
      ctx->products_exact = TRUE;
    }
  g_autofree gchar *n = g_ascii_strdown (num, -1);
  g_autofree gchar *base = shr_match_group ("^(\\d+)", num, 1);
  (void)n;
  g_autofree gchar *year = shr_match_group ("\\b((?:19|20)\\d\\d)\\b", ctx->head, 1);
  if (!lts && base != NULL && year != NULL)
    ctx->record->source_url = g_strdup_printf ("https://www.debian.org/security/%s/dsa-%s", year, base);
  else if (lts)
    ctx->record->source_url
        = g_strdup_printf ("https://www.debian.org/lts/security/%s", ctx->record->advisory_id);
}

/* ---- Ubuntu USN ---------------------------------------------------------- */

static gboolean
usn_detect (ShrExtractContext *ctx)
{
  static const gchar *const words[] = { "usn-", NULL };
  const gchar *t = ctx->ids;
  return ids_may_hold (ctx, words) && matches ("\\bUSN-\\d{1,5}-\\d{1,2}\\b", t);
}

static void
usn_extract (ShrExtractContext *ctx)
{
  const gchar *t = ctx->ids;
  set_source (ctx, "usn", "Ubuntu Security Notice", shr_match_group ("\\b(USN-\\d{1,5}-\\d{1,2})\\b", t, 1));
  g_autofree gchar *rest = shr_match_group ("\\bUSN-\\d{1,5}-\\d{1,2}\\]?:?\\s*(.+)$", ctx->subject, 1);
  if (rest != NULL)
    set_string (&ctx->record->title, g_strdup_printf ("%s: %s", ctx->record->advisory_id, rest));
  ctx->record->source_url
      = g_strdup_printf ("https://ubuntu.com/security/notices/%s", ctx->record->advisory_id);

  /* Package versions under "Ubuntu 22.04 LTS:" headings. */
  g_autofree gchar **lines = shr_text_split (ctx->body, "\n");
  gboolean in_release = FALSE;
  g_autofree gchar *release = NULL;
  for (gsize i = 0; lines[i] != NULL; i++)
    {
      const gchar *l = lines[i];
      /* Its heading starts so (any case): the pattern is not tried on
       * every other line. */
      if (g_ascii_strncasecmp (l, "ubuntu ", strlen ("ubuntu ")) == 0
          && matches ("^Ubuntu \\d{1,2}\\.\\d\\d(?: LTS)?:?\\s*$", l))
        {
          in_release = TRUE;
          g_free (release);
          release = shr_match_group ("^Ubuntu (\\d{1,2}\\.\\d\\d)", l, 1);
          continue;
        }
      if (!in_release)
        continue;
      g_auto (ShrMatches) m = { 0 };
      if (shr_matches_first (&m, "^\\s+([a-z0-9][a-z0-9.+-]+)\\s+(\\d[\\w.+~:-]*)\\s*$", l))
        {
          g_autofree gchar *pkg = shr_matches_fetch (&m, 1);
          g_autofree gchar *ver = shr_matches_fetch (&m, 2);
          ShrProduct *p = shr_record_add_product (ctx->record, "Ubuntu", pkg);
          add_fixed (p, ver);
          if (p != NULL && release != NULL)
            {
              /* Each release's fix, compared only with that release. */
              g_autofree gchar *train = g_strdup_printf ("Ubuntu:%s", release);
              if (p->ecosystem == NULL)
                p->ecosystem = g_strdup ("Ubuntu");
              shr_product_add_range (p, train, NULL, NULL, ver, FALSE, ver);
            }
          continue;
        }
      if (strspn (l, " \t") == strlen (l))
        continue;
      if (l[0] != ' ')
        in_release = FALSE;
    }
  /* "Software Description: - linux: Linux kernel" in the modern layout. */
  g_auto (ShrMatches) m = { 0 };
  shr_matches_first (&m, "^- ([a-z0-9][a-z0-9.+-]+): ", ctx->body);
  while (shr_matches_found (&m))
    {
      g_autofree gchar *pkg = shr_matches_fetch (&m, 1);
      shr_record_add_product (ctx->record, "Ubuntu", pkg);
      shr_matches_next (&m);
    }
  if (ctx->record->products->len == 0)
    {
      g_autofree gchar *pkg
          = shr_match_group ("^\\s*(\\S+) (?:vulnerabilit(?:y|ies)|regression|update)\\s*$", ctx->head, 1);
      if (pkg != NULL)
        shr_record_add_product (ctx->record, "Ubuntu", pkg);
    }
  ctx->products_exact = ctx->record->products->len > 0;
}

/* ---- Red Hat RHSA -------------------------------------------------------- */

static gboolean
rhsa_detect (ShrExtractContext *ctx)
{
  static const gchar *const words[] = { "rhsa-", "rhba-", "rhea-", NULL };
  const gchar *t = ctx->ids;
  return ids_may_hold (ctx, words) && matches ("\\bRH[SBE]A-\\d{4}:\\d{3,6}\\b", t);
}

static void
rhsa_extract (ShrExtractContext *ctx)
{
  const gchar *t = ctx->ids;
  g_autofree gchar *id = shr_match_group ("\\b(RH[SBE]A-\\d{4}:\\d{3,6}(?:-\\d{2})?)\\b", t, 1);
  set_source (ctx, "rhsa", "Red Hat Security Advisory", g_ascii_strup (id, -1));
  g_autofree gchar *synopsis = shr_field_value (ctx->body, "Synopsis");
  if (synopsis != NULL)
    {
      /* A quoted advisory wraps the synopsis onto an unindented line. */
      g_autofree gchar *cont
          = shr_match_group ("^\\s*Synopsis:[^\\n]*\\n([a-z][^:\\n]{0,40})$", ctx->body, 1);
      g_autofree gchar *full = cont ? g_strdup_printf ("%s %s", synopsis, cont) : g_strdup (synopsis);
      set_string (&ctx->record->title, g_strdup_printf ("%s %s", ctx->record->advisory_id, full));
      g_autofree gchar *sev = shr_match_group ("^(Critical|Important|Moderate|Low):", full, 1);
      if (sev != NULL)
        set_string (&ctx->record->severity, g_strdup (shr_severity_normalize (sev)));
    }
  g_autofree gchar *product = shr_field_value (ctx->body, "Product");
  if (product != NULL)
    shr_record_add_product (ctx->record, "Red Hat", product);

  /* Fixed packages from the RPM file names: name-version-release.arch.rpm.
   * Where the source packages are listed, they name the products; the
   * binary packages built from them (-devel, -debuginfo) are the same fix. */
  static const gchar *rpm = "\\b([A-Za-z0-9_+.-]+?)-(\\d[\\w.+~]*)-([\\w.+~]+?)\\.(src|noarch|i[3-6]86|x86_"
                            "64|alpha|sparc|sparc64|ppc64le|ppc64|ppc|s390x|aarch64|ia64)\\.rpm\\b";
  gboolean sources = strstr (ctx->body, ".src.rpm") != NULL;
  g_auto (ShrMatches) m = { 0 };
  shr_matches_first (&m, rpm, ctx->body);
  for (; shr_matches_found (&m); shr_matches_next (&m))
    {
      g_autofree gchar *arch = shr_matches_fetch (&m, 4);
      if (sources && strcmp (arch, "src") != 0)
        continue;
      g_autofree gchar *name = shr_matches_fetch (&m, 1);
      g_autofree gchar *ver = shr_matches_fetch (&m, 2);
      g_autofree gchar *rel = shr_matches_fetch (&m, 3);
      ShrProduct *p = shr_record_add_product (ctx->record, "Red Hat", name);
      g_autofree gchar *nvr = g_strdup_printf ("%s-%s-%s", name, ver, rel);
      add_fixed (p, nvr);
    }
  if (ctx->record->products->len <= 1 && synopsis != NULL)
    {
      g_autofree gchar *pkg = shr_match_group (
          "^(?:(?:Critical|Important|Moderate|Low):\\s*)?(?:Updated\\s+)?([a-z0-9][\\w.+-]*)\\s", synopsis,
          1);
      if (pkg != NULL)
        shr_record_add_product (ctx->record, "Red Hat", pkg);
    }
  ctx->products_exact = ctx->record->products->len > 0;
  ctx->record->source_url = g_strdup_printf ("https://access.redhat.com/errata/%s", ctx->record->advisory_id);
}

/* ---- FreeBSD ------------------------------------------------------------- */

static gboolean
freebsd_detect (ShrExtractContext *ctx)
{
  static const gchar *const words[] = { "freebsd-", NULL };
  const gchar *t = ctx->ids;
  return ids_may_hold (ctx, words) && matches ("\\bFreeBSD-(?:SA|EN)-\\d{2}:\\d{2}\\.\\w+", t);
}

static void
freebsd_extract (ShrExtractContext *ctx)
{
  const gchar *t = ctx->ids;
  g_autofree gchar *id = shr_match_group ("\\b(FreeBSD-(?:SA|EN)-\\d{2}:\\d{2}\\.(\\w+))", t, 1);
  g_autofree gchar *component = shr_match_group ("\\bFreeBSD-(?:SA|EN)-\\d{2}:\\d{2}\\.(\\w+)", t, 1);
  set_source (ctx, "other", "FreeBSD", g_strdup (id));
  g_autofree gchar *topic = shr_field_value (ctx->body, "Topic");
  if (topic != NULL)
    set_string (&ctx->record->title, g_strdup_printf ("%s: %s", id, topic));
  ShrProduct *p = shr_record_add_product (ctx->record, "FreeBSD", "FreeBSD");
  if (component != NULL)
    shr_record_add_product (ctx->record, "FreeBSD", component);
  g_autofree gchar *affects = shr_field_value (ctx->body, "Affects");
  if (affects != NULL && p != NULL)
    shr_strv_add_unique (p->affected, affects);
  g_auto (ShrMatches) m = { 0 };
  shr_matches_first (&m, "\\b(\\d{1,2}\\.\\d-(?:RELEASE-p\\d+|STABLE|RC\\d+-p\\d+))", ctx->body);
  while (shr_matches_found (&m))
    {
      g_autofree gchar *v = shr_matches_fetch (&m, 1);
      add_fixed (p, v);
      shr_matches_next (&m);
    }
  ctx->products_exact = TRUE;
  g_autofree gchar *sa = shr_match_group ("FreeBSD-(SA|EN)-", id, 1);
  g_autofree gchar *lower_sa = g_ascii_strdown (sa ? sa : "SA", -1);
  ctx->record->source_url = g_strdup_printf ("https://security.FreeBSD.org/advisories/%s.asc", id);
}

/* ---- OpenSSL ------------------------------------------------------------- */

static gboolean
openssl_detect (ShrExtractContext *ctx)
{
  static const gchar *const words[] = { "openssl security advisory", NULL };
  const gchar *t = ctx->ids;
  return ids_may_hold (ctx, words) && matches ("OpenSSL Security Advisory", t);
}

static void
openssl_extract (ShrExtractContext *ctx)
{
  g_autofree gchar *date
      = shr_match_group ("OpenSSL Security Advisory[ \\t]*\\[([^\\]\\n]{1,40})\\]", ctx->head, 1);
  set_source (ctx, "other", "OpenSSL", date ? g_strdup_printf ("OpenSSL-SA-%s", date) : NULL);
  /* Issue headings are underlined with '='. */
  g_autoptr (GPtrArray) issues = g_ptr_array_new_with_free_func (g_free);
  g_autofree gchar **lines = shr_text_split (ctx->body, "\n");
  for (gsize i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
    if (matches ("^={5,}\\s*$", lines[i + 1])
        && !matches ("OpenSSL Security Advisory|General Advisory Notes|^\\s*$", lines[i]))
      {
        g_autofree gchar *heading
            = g_regex_replace (shr_regex ("\\s*\\(CVE-[^)]*\\)\\s*$"), lines[i], -1, 0, "", 0, NULL);
        g_ptr_array_add (issues, g_strstrip (g_strdup (heading)));
      }
  if (date != NULL)
    {
      if (issues->len == 1)
        set_string (&ctx->record->title, g_strdup_printf ("OpenSSL Security Advisory [%s]: %s", date,
                                                          (gchar *)g_ptr_array_index (issues, 0)));
      else
        set_string (&ctx->record->title, g_strdup_printf ("OpenSSL Security Advisory [%s]", date));
    }
  ShrProduct *p = shr_record_add_product (ctx->record, "OpenSSL", "OpenSSL");
  g_auto (ShrMatches) m = { 0 };
  shr_matches_first (&m, "users should upgrade to OpenSSL (\\d+\\.\\d+\\.\\d+[a-z]?)", ctx->body);
  while (shr_matches_found (&m))
    {
      g_autofree gchar *v = shr_matches_fetch (&m, 1);
      add_fixed (p, v);
      shr_matches_next (&m);
    }
  g_autofree gchar *vuln
      = shr_match_group ("^(OpenSSL [\\d.]+(?:,? (?:and )?[\\d.]+)*) (?:are|is) vulnerable", ctx->body, 1);
  if (vuln != NULL && p != NULL)
    shr_strv_add_unique (p->affected, vuln);
  ctx->products_exact = TRUE;
  g_autofree gchar *url
      = shr_match_group ("(https?://(?:www\\.)?openssl\\.org/news/secadv/\\d+\\.txt)", ctx->body, 1);
  set_string (&ctx->record->source_url, g_steal_pointer (&url));
}

/* ---- JPCERT/CC ----------------------------------------------------------- */

static gboolean
jpcert_detect (ShrExtractContext *ctx)
{
  static const gchar *const words[] = { "jpcert", NULL };
  const gchar *t = ctx->ids;
  return (ids_may_hold (ctx, words)
          && matches ("\\bJPCERT-(?:AT|WR|IR)-\\d{4}-\\d{4}\\b|JPCERT/CC\\s*WEEKLY REPORT|jpcert\\.or\\.jp",
                      t))
         || (may_hold (ctx->from, words)
             && (matches ("jpcert\\.or\\.jp", ctx->from)
                 || (matches ("JPCERT", ctx->from)
                     && matches ("注意喚起|Weekly Report|Alert", ctx->subject))));
}

static void
jpcert_extract (ShrExtractContext *ctx)
{
  const gchar *t = ctx->ids;
  gchar *id = shr_match_group ("\\b(JPCERT-(?:AT|WR|IR)-\\d{4}-\\d{4})\\b", t, 1);
  if (id == NULL)
    {
      g_autofree gchar *week = shr_match_group ("WEEKLY REPORT\\s*(\\d{4}-\\d{2}-\\d{2})", t, 1);
      if (week != NULL)
        id = g_strdup_printf ("JPCERT-WR-%s", week);
    }
  set_source (ctx, "jpcert", "JPCERT/CC", id);
  g_autofree gchar *url
      = shr_match_group ("(https?://www\\.jpcert\\.or\\.jp/(?:at|wr)/[\\w/.-]+)", ctx->body, 1);
  set_string (&ctx->record->source_url, g_steal_pointer (&url));
  /* 「II. 対象」 lists the affected products exactly. */
  g_autofree gchar *target
      = shr_match_group ("^\\s*II\\.\\s*対象\\s*\\n([\\s\\S]*?)^\\s*III\\.", ctx->body, 1);
  if (target != NULL && shr_add_lexicon_products (ctx, target) > 0)
    ctx->products_exact = TRUE;
}

/* ---- JVN ------------------------------------------------------------------ */

static gboolean
jvn_detect (ShrExtractContext *ctx)
{
  static const gchar *const words[] = { "jvn", NULL };
  const gchar *t = ctx->ids;
  return ids_may_hold (ctx, words) && matches ("\\bJVN(?:VU|TA)?#\\d{6,8}\\b|\\bJVNDB-\\d{4}-\\d{6}\\b", t);
}

/* 「株式会社エグザンプルソフトが提供する」「Demo Corporation が提供する」
 * 「ExampleWiki プロジェクトが提供する」: the maker, a Latin name with its
 * spaces. 「開発者が提供する情報」 (the developer) names no one. */
static gchar *
jvn_vendor (const gchar *body)
{
  g_auto (ShrMatches) m = { 0 };
  shr_matches_first (&m,
                     "((?:[A-Za-z0-9][\\w.&,'-]*[ \\t]+)*(?:[A-Za-z0-9][\\w.&,'-]*|[^\\s、。「」]{2,40}?))"
                     "[ \\t]?が提供する",
                     body);
  for (; shr_matches_found (&m); shr_matches_next (&m))
    {
      g_autofree gchar *v = shr_matches_fetch (&m, 1);
      if (strcmp (v, "開発者") != 0 && !g_str_has_suffix (v, "開発者"))
        return g_steal_pointer (&v);
    }
  return NULL;
}

static void
jvn_extract (ShrExtractContext *ctx)
{
  const gchar *t = ctx->ids;
  set_source (ctx, "jvn", "Japan Vulnerability Notes",
              shr_match_group ("\\b(JVN(?:VU|TA)?#\\d{6,8}|JVNDB-\\d{4}-\\d{6})\\b", t, 1));
  g_autofree gchar *url = shr_match_group ("(https?://jvn\\.jp/[\\w/.#-]+)", ctx->body, 1);
  set_string (&ctx->record->source_url, g_steal_pointer (&url));

  /* The page starts with the id, then the title: 「ExampleCMS における OS
   * コマンドインジェクションの脆弱性」, 「Zyxel製NASにおける…」. */
  g_autofree gchar *title
      = shr_match_group ("^\\s*JVN(?:VU|TA)?#\\d{6,8}\\s*\\n\\s*(\\S[^\\n]+)$", ctx->body, 1);
  if (title != NULL)
    set_string (&ctx->record->title, g_strdup (title));
  const gchar *heading = ctx->record->title ? ctx->record->title : ctx->subject;
  g_autofree gchar *subject_part
      = shr_match_group ("^(.+?)\\s*(?:における|に関する|の)(?:複数の)?[^、。]*脆弱性", heading, 1);
  /* The vendor as JVN writes it: 「株式会社エグザンプルソフトが提供する」,
   * else the first line under 「ベンダ情報」. */
  g_autofree gchar *vendor = jvn_vendor (ctx->body);
  if (vendor == NULL)
    vendor = shr_match_group ("^ベンダ情報\\s*\\n\\s*([^\\n]+)$", ctx->body, 1);
  if (subject_part != NULL && shr_add_lexicon_products (ctx, subject_part) == 0)
    {
      /* "Zyxel製NAS": the maker before 製, the product after it. */
      g_autofree gchar *maker = shr_match_group ("^(.+?)\\s*製\\s*(.+)$", subject_part, 1);
      g_autofree gchar *product = shr_match_group ("^.+?\\s*製\\s*(.+)$", subject_part, 1);
      if (maker != NULL && product != NULL)
        shr_record_add_product (ctx->record, vendor ? vendor : maker, product);
      else
        shr_record_add_product (ctx->record, vendor, subject_part);
    }
  /* 「影響を受けるシステム」 lists the exact products and versions. */
  g_autofree gchar *affected
      = shr_match_group ("^影響を受けるシステム\\s*\\n([\\s\\S]*?)\\n\\s*\\n", ctx->body, 1);
  if (affected != NULL && ctx->record->products->len > 0)
    {
      ShrProduct *p = g_ptr_array_index (ctx->record->products, 0);
      g_autofree gchar **lines = shr_text_split (affected, "\n");
      for (gsize i = 0; lines[i] != NULL; i++)
        {
          g_autofree gchar *l = g_strstrip (g_strdup (lines[i]));
          const gchar *item = l;
          if (g_str_has_prefix (item, "- ") || g_str_has_prefix (item, "・"))
            item = g_utf8_next_char (item);
          while (*item == ' ')
            item++;
          if (*item != '\0')
            shr_strv_add_unique (p->affected, item);
        }
    }
  ctx->products_exact = ctx->record->products->len > 0;
  g_auto (ShrMatches) m = { 0 };
  if (ctx->record->products->len > 0
      && shr_matches_first (
          &m, "修正した(?:バージョン|版)として\\s*\\S*?\\s*([vV]?\\d+(?:\\.\\d+)+[\\w().-]*)", ctx->body))
    {
      g_autofree gchar *v = shr_matches_fetch (&m, 1);
      add_fixed (g_ptr_array_index (ctx->record->products, 0), v);
    }
}

/* ---- IPA ------------------------------------------------------------------ */

static gboolean
ipa_detect (ShrExtractContext *ctx)
{
  const gchar *t = ctx->ids;
  static const gchar *const words[] = { "ipa.go.jp/", NULL };
  static const gchar *const sender_words[] = { "ipa", "情報処理推進機構", NULL };
  /* Both sender patterns hold one of these. */
  gboolean ipa_sender = may_hold (ctx->from, sender_words);
  return (ipa_sender && matches ("ipa\\.go\\.jp", ctx->from))
         || (ids_may_hold (ctx, words) && matches ("ipa\\.go\\.jp/security/security-alert", t))
         || (ipa_sender && matches ("^IPA|情報処理推進機構", ctx->from)
             && matches ("重要なセキュリティ情報|緊急対策情報", ctx->subject));
}

static void
ipa_extract (ShrExtractContext *ctx)
{
  set_source (ctx, "ipa", "IPA", NULL);
  g_autofree gchar *url
      = shr_match_group ("(https?://www\\.ipa\\.go\\.jp/security/security-alert/[\\w/.-]+)", ctx->body, 1);
  g_autofree gchar *id = url ? shr_match_group ("(alert\\d{8})", url, 1) : NULL;
  set_string (&ctx->record->advisory_id, g_steal_pointer (&id));
  set_string (&ctx->record->source_url, g_steal_pointer (&url));
}

/* ---- CISA ----------------------------------------------------------------- */

static gboolean
cisa_detect (ShrExtractContext *ctx)
{
  static const gchar *const words[] = { "cisa", "aa", "icsa", "alert code", "advisory id", NULL };
  if (!contains_any (ctx->from, words) && !ids_contain_any (ctx, words))
    return FALSE;
  const gchar *t = ctx->ids;
  /* Each pattern is tried only where one of its words stands. */
  static const gchar *const sender_words[] = { "cisa", NULL };
  static const gchar *const subject_words[] = { "cisa ", "aa", "icsa-", NULL };
  static const gchar *const id_words[] = { "alert code", "alert id", "advisory code", "advisory id", NULL };
  return (may_hold (ctx->from, sender_words) && matches ("cisa\\.gov|\\bCISA\\b", ctx->from))
         || (may_hold (ctx->subject, subject_words)
             && matches (
                 "^CISA (?:Adds|Releases|and)|\\bAA\\d{2}-\\d{3}[A-Z]\\b|\\bICSA-\\d{2}-\\d{3}-\\d{2}\\b",
                 ctx->subject))
         || (ids_may_hold (ctx, id_words)
             && matches ("^\\s*(?:Alert|Advisory) (?:Code|ID)\\s*:\\s*(?:AA|ICSA)", t));
}

static void
kev_products (ShrExtractContext *ctx)
{
  /* KEV lines: "CVE-2026-10520 Ivanti Sentry OS Command Injection
   * Vulnerability". Where the lexicon knows the product it names it; else
   * the words between a known vendor and the flaw type are the product. */
  g_auto (ShrMatches) m = { 0 };
  shr_matches_first (&m, "CVE-\\d{4}-\\d{4,7}\\s+(.+?)\\s*$", ctx->body);
  while (shr_matches_found (&m))
    {
      g_autofree gchar *line = shr_matches_fetch (&m, 1);
      if (shr_add_lexicon_products (ctx, line) == 0)
        {
          g_autoptr (GArray) hits = shr_lexicon_scan (ctx->lexicon, SHR_LEXICON_PRODUCT, line);
          if (hits->len > 0)
            {
              const ShrLexiconHit *hit = &g_array_index (hits, ShrLexiconHit, 0);
              const ShrProductEntry *e = hit->entry;
              g_autofree gchar *product = shr_match_group (
                  "^\\s*(.+?)\\s+(?:OS Command Injection|Command Injection|SQL Injection|Code "
                  "Injection|Use-After-Free|"
                  "Path Traversal|Directory Traversal|Deserialization|Authentication "
                  "Bypass|Improper|Missing|Incorrect|"
                  "Cross-Site|Server-Side|Out-of-Bounds|Buffer Overflow|Heap-Based|Stack-Based|Type "
                  "Confusion|"
                  "Arbitrary|Remote Code Execution|Privilege "
                  "Escalation|Unrestricted|Hard-coded|Insecure|Integer|"
                  "Race Condition|Memory Corruption|Information Disclosure|Unspecified|Multiple)\\b",
                  line + hit->end, 1);
              if (product != NULL && g_utf8_strlen (product, -1) <= 50)
                shr_record_add_product (ctx->record, e->vendor, product);
            }
        }
      shr_matches_next (&m);
    }
}

static void
cisa_extract (ShrExtractContext *ctx)
{
  const gchar *t = ctx->ids;
  set_source (ctx, "cisa", "CISA",
              shr_match_group ("\\b(AA\\d{2}-\\d{3}[A-Z]|ICSA-\\d{2}-\\d{3}-\\d{2}[A-Z]?)\\b", t, 1));
  g_auto (ShrMatches) m = { 0 };
  /* The pattern tries every position of the body: only where the words
   * stand (those without an s or k, which a caseless pattern also matches
   * outside ASCII). */
  if (((strcasestr (ctx->body, "nown exploited vulnerabilitie") != NULL
        || strstr (ctx->body, "\xc5\xbf") != NULL || strstr (ctx->body, "\xe2\x84\xaa") != NULL)
       && shr_matches_first (
           &m, "[^.\\n]*\\badd(?:s|ed)?\\b[^.]{0,120}Known Exploited Vulnerabilities[^.]*\\.?", ctx->body))
      || matches ("Adds .*Known Exploited Vulnerabilit", ctx->subject))
    {
      ctx->record->kev = TRUE;
      ctx->record->exploited = SHR_TRISTATE_TRUE;
      g_autofree gchar *sentence
          = shr_matches_found (&m) ? shr_matches_fetch (&m, 0) : g_strdup (ctx->subject);
      g_autofree gchar *clean = shr_sentence_at (sentence, 0);
      ctx->record->exploited_evidence = g_strdup (clean);
      shr_record_set_evidence (ctx->record, "exploited", clean);
      set_string (&ctx->record->category, g_strdup ("vulnerability"));
      kev_products (ctx);
      ctx->products_exact = ctx->record->products->len > 0;
    }
  g_autofree gchar *url = shr_match_group (
      "(https?://www\\.cisa\\.gov/(?:news-events|known-exploited)[\\w/.#?=&-]*)", ctx->body, 1);
  if (url == NULL && ctx->message->links->len > 0)
    for (guint i = 0; i < ctx->message->links->len && url == NULL; i++)
      if (matches ("cisa\\.gov/news-events", g_ptr_array_index (ctx->message->links, i)))
        url = g_strdup (g_ptr_array_index (ctx->message->links, i));
  set_string (&ctx->record->source_url, g_steal_pointer (&url));
}

/* ---- Microsoft ------------------------------------------------------------ */

static gboolean
msrc_detect (ShrExtractContext *ctx)
{
  static const gchar *const words[] = { "microsoft", "msrc", "マイクロソフト", "ms", "adv", NULL };
  if (!contains_any (ctx->from, words) && !ids_contain_any (ctx, words))
    return FALSE;
  /* Each pattern is tried only where one of its words stands: "ms" is in
   * nearly every mail. The head is a part of ids. */
  static const gchar *const sender_words[] = { "microsoft", "msrc", "マイクロソフト", NULL };
  static const gchar *const head_words[] = { "microsoft security", "msrc team", NULL };
  static const gchar *const subject_words[] = { "ms", "adv", NULL };
  return (may_hold (ctx->from, sender_words)
          && matches ("microsoft\\.com|\\bMicrosoft\\b|\\bMSRC\\b|マイクロソフト", ctx->from))
         || (ids_may_hold (ctx, head_words)
             && matches ("^\\s*(?:Microsoft Security (?:Response Center|Advisory|Update|Bulletin)|MSRC Team)",
                         ctx->head))
         || (may_hold (ctx->subject, subject_words)
             && matches ("\\bMS\\d{2}-\\d{3}\\b|\\bADV\\d{6}\\b", ctx->subject));
}

static void
msrc_extract (ShrExtractContext *ctx)
{
  set_source (ctx, "msrc", "Microsoft Security Response Center",
              shr_match_group ("\\b(MS\\d{2}-\\d{3}|ADV\\d{6})\\b", ctx->subject, 1));
}

/* ---- vendor PSIRTs and distributions (data/sources.tsv) ------------------ */

static gboolean
newsy_sender (ShrExtractContext *ctx)
{
  static const gchar *const words[] = { "news", "ニュース", NULL };
  return may_hold (ctx->from, words) && matches ("news|newsletter|ニュース", ctx->from);
}

static const ShrSource *
find_source (ShrExtractContext *ctx)
{
  /* detect() and extract() both ask: look once. */
  if (!ctx->source_looked_up)
    {
      /* ids is the subject, a newline and the head. */
      const gchar *head_lower = ctx->ids_lower + strlen (ctx->subject) + 1;
      ctx->source = shr_sources_find (shr_sources_get_default (), ctx->from, ctx->subject, ctx->head,
                                      head_lower, newsy_sender (ctx));
      ctx->source_looked_up = TRUE;
    }
  return ctx->source;
}

/* Cisco's table: under a header naming the "First Fixed Release", one row
 * per release train ("17.9    17.9.6a", "17.6 and earlier    Migrate …"),
 * the columns two or more spaces apart; a row whose fix is words
 * ("Not vulnerable", "Migrate to a fixed release") adds nothing. The
 * table ends at the first line that is not a row. */
static void
add_fixed_table (ShrProduct *p, const gchar *body)
{
  /* Most bodies have no such table: their lines are not tried (the words
   * without an s or k, which a caseless pattern also matches outside ASCII). */
  if (strcasestr (body, "fixed relea") == NULL && strstr (body, "\xc5\xbf") == NULL
      && strstr (body, "\xe2\x84\xaa") == NULL)
    return;
  g_autofree gchar **lines = shr_text_split (body, "\n");
  gboolean in_table = FALSE;
  for (gchar **l = lines; *l != NULL; l++)
    {
      if (!in_table)
        {
          in_table = matches ("first fixed release\\s*$", *l);
          continue;
        }
      g_autofree gchar *fix = shr_match_group ("^\\s*\\d[\\w.()-]*(?: \\S+)*\\s{2,}(.+?)\\s*$", *l, 1);
      if (fix == NULL)
        {
          in_table = FALSE;
          continue;
        }
      g_autofree gchar *v = shr_match_group ("^(\\d+(?:\\.\\d+)+[\\w.()-]*)$", fix, 1);
      add_fixed (p, v);
    }
}

static void
psirt_extract (ShrExtractContext *ctx, const ShrSource *src)
{
  /* The subject names the product first; the body's products come from
   * the scan every mail gets (shr-extract.c). */
  shr_add_lexicon_products (ctx, ctx->subject);
  /* The versions prose gives as fixed are read for every source (shr-extract.c);
   * Cisco's table of first fixed releases is this family's own. */
  if (ctx->record->products->len > 0)
    add_fixed_table (g_ptr_array_index (ctx->record->products, 0), ctx->body);
  (void)src;
  return;
}

/* The package a distribution advisory is about, from its subject:
 * "security update for cups", "OpenEXR security update", "containerd:
 * Multiple Vulnerabilities", "Updated xz packages fix …". */
static gchar *
distribution_package (ShrExtractContext *ctx)
{
  static const gchar *const patterns[] = {
    "(?:security|bug ?fix|recommended) update for ([A-Za-z0-9][\\w.+-]*)",
    "(?:^|[\\]:]\\s*)(?:(?:Critical|Important|Moderate|Low):\\s*)?(?:[A-Z][\\w ]*? "
    "\\d[\\w.]*\\s+)?([A-Za-z0-9][\\w.+-]*)\\s+(?:security|bug ?fix)\\s+(?:and bug fix\\s+)?update",
    "(?:^|\\]\\s*)([A-Za-z0-9][\\w.+/-]*):\\s+(?:Multiple vulnerabilities|[\\w ]*vulnerabilit)",
    "Updated ([A-Za-z0-9][\\w.+-]*) packages? fix",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (patterns); i++)
    {
      gchar *pkg = shr_match_group (patterns[i], ctx->subject, 1);
      if (pkg == NULL)
        continue;
      /* Gentoo's atoms carry a category ("app-containers/containerd"). */
      const gchar *slash = strrchr (pkg, '/');
      if (slash != NULL)
        {
          gchar *name = g_strdup (slash + 1);
          g_free (pkg);
          pkg = name;
        }
      static const gchar *const not_packages[]
          = { "Linux", "Kernel", "Security", "Oracle", "Amazon", "SUSE", NULL };
      if (g_strv_contains (not_packages, pkg) && strcmp (pkg, "Kernel") != 0)
        {
          g_free (pkg);
          continue;
        }
      return pkg;
    }
  return NULL;
}

/* Whether @body names an architecture after a dot (".x86_64", ".noarch",
 * ".src" …), which every built package's name holds: most advisories name
 * none, and the pattern that reads them, costly at each word, is not run
 * over them. Any case, and a long s (U+017F) for an s, as the caseless
 * pattern reads them. */
static gboolean
names_architecture (const gchar *body)
{
  static const gchar *const arches[] = { "x86_64", "aarch64", "noarch", "src",     "i386", "i486", "i586",
                                         "i686",   "ppc64",   "s390x",  "armv7hl", "ia64", NULL };
  for (const gchar *dot = strchr (body, '.'); dot != NULL; dot = strchr (dot + 1, '.'))
    {
      if (dot[1] == '\xc5' && dot[2] == '\xbf')
        return TRUE;
      gchar first = g_ascii_tolower (dot[1]);
      for (guint i = 0; arches[i] != NULL; i++)
        if (first == arches[i][0] && g_ascii_strncasecmp (dot + 1, arches[i], strlen (arches[i])) == 0)
          return TRUE;
    }
  return FALSE;
}

/* Versions of @package in the text, as package managers name built
 * packages: "cups-2.3.3op2-18.amzn2023.0.8.x86_64", "openexr-2.2.0-12.1.el8.src.rpm",
 * "ucode-intel-20240813-150200.44.1", a changelog entry "[2.2.0-12.1]",
 * Gentoo's ">=app-containers/containerd-1.6.19", or "updated to version 1.2"
 * / "updated to the 20240813 release". */
static void
distribution_versions (ShrExtractContext *ctx, ShrProduct *p, const gchar *package)
{
  /* Built packages named as package managers name them; only those of
   * @package count ("cups-libs" is another package). */
  static const gchar *nvra
      = "(?<![\\w.+-])([A-Za-z0-9][\\w.+-]*?)-((?:\\d+:)?\\d[\\w.+~^]*-[\\w.+~^]+?)"
        "\\.(?:x86_64|aarch64|noarch|src|i[3-6]86|ppc64le|s390x|armv7hl|ppc64|ia64)(?:\\.rpm)?(?![\\w-])";
  g_auto (ShrMatches) m = { 0 };
  if (names_architecture (ctx->body))
    shr_matches_first (&m, nvra, ctx->body);
  for (; shr_matches_found (&m); shr_matches_next (&m))
    {
      g_autofree gchar *name = shr_matches_fetch (&m, 1);
      if (g_ascii_strcasecmp (name, package) != 0)
        continue;
      g_autofree gchar *v = shr_matches_fetch (&m, 2);
      add_fixed (p, v);
    }
  if (p->fixed->len > 0)
    return;
  /* Gentoo's ">=app-containers/containerd-1.6.19". */
  g_autofree gchar *v = NULL;
  {
    g_auto (ShrMatches) am = { 0 };
    shr_matches_first (&am, ">=\\s*(?:[\\w-]+/)?([A-Za-z0-9][\\w.+-]*?)-(\\d[\\w.+~-]*)", ctx->body);
    for (; shr_matches_found (&am) && v == NULL; shr_matches_next (&am))
      {
        g_autofree gchar *name = shr_matches_fetch (&am, 1);
        if (g_ascii_strcasecmp (name, package) == 0)
          v = shr_matches_fetch (&am, 2);
      }
  }
  if (v == NULL)
    v = shr_match_group ("^\\s*Description of changes:\\s*\\n\\s*\\[(?:\\d+:)?(\\d[\\w.+~]*-[\\w.+~]+)\\]",
                         ctx->body, 1);
  if (v == NULL)
    v = shr_match_group (
        "\\b(?:updated|upgraded) to (?:the |version |release )?(\\d[\\w.+~-]*\\w)(?: release)?\\b", ctx->body,
        1);
  add_fixed (p, v);
}

static void
distribution_extract (ShrExtractContext *ctx, const ShrSource *src)
{
  g_autofree gchar *release = shr_sources_match (src->release, ctx->subject);
  if (release == NULL)
    release = shr_sources_match (src->release, ctx->body);
  g_autofree gchar *ecosystem
      = release ? g_strdup_printf ("%s:%s", src->name, release) : g_strdup (src->name);
  g_autofree gchar *package = distribution_package (ctx);
  if (package == NULL)
    {
      /* "Affected Packages:" with the package on the next line. */
      package = shr_match_group ("^\\s*Affected Packages?\\s*:\\s*\\n?\\s*([a-z0-9][\\w.+-]*)\\s*$",
                                 ctx->body, 1);
    }
  if (package == NULL)
    return;
  ShrProduct *p = shr_record_add_product (ctx->record, src->vendor, package);
  if (p == NULL)
    return;
  g_free (p->ecosystem);
  p->ecosystem = g_steal_pointer (&ecosystem);
  distribution_versions (ctx, p, package);
  ctx->products_exact = TRUE;
}

static gboolean
sources_detect (ShrExtractContext *ctx)
{
  return find_source (ctx) != NULL;
}

static void
sources_extract (ShrExtractContext *ctx)
{
  const ShrSource *src = find_source (ctx);
  const gchar *t = ctx->ids;
  g_autofree gchar *id = shr_sources_match (src->id, t);
  set_source (ctx, src->kind, src->name, g_steal_pointer (&id));
  g_autofree gchar *url = shr_sources_match (src->url, ctx->body);
  if (url == NULL)
    for (guint i = 0; i < ctx->message->links->len && url == NULL; i++)
      url = shr_sources_match (src->url, g_ptr_array_index (ctx->message->links, i));
  set_string (&ctx->record->source_url, g_steal_pointer (&url));
  if (strcmp (src->kind, "psirt") == 0)
    psirt_extract (ctx, src);
  else
    distribution_extract (ctx, src);
}

/* ---- news and everything else ---------------------------------------------- */

static gboolean
news_detect (ShrExtractContext *ctx)
{
  if (matches ("news|newsletter|ニュース|NEXT|TECH\\+|ITmedia|Hacker|Bleeping|SecurityWeek|Dark Reading|The "
               "Record|Register|ZDNet|CyberScoop|Krebs",
               ctx->from))
    return TRUE;
  /* An article page's address alone on the last lines, or "Read more". */
  g_autofree gchar **lines = shr_text_split (ctx->body, "\n");
  guint n = g_strv_length (lines);
  guint seen = 0;
  for (guint i = n; i > 0 && seen < 3; i--)
    {
      g_autofree gchar *l = g_strstrip (g_strdup (lines[i - 1]));
      if (*l == '\0')
        continue;
      seen++;
      if (matches ("^(?:Read more:\\s*|Source:\\s*|出典[:：]\\s*)?https?://\\S+$", l))
        return !matches ("lists?\\.|mailman|listinfo|unsubscribe", l);
    }
  return FALSE;
}

static void
news_extract (ShrExtractContext *ctx)
{
  g_autofree gchar *name = NULL;
  if (ctx->message->from != NULL)
    name = shr_match_group ("^\\s*\"?([^\"<]+?)\"?\\s*<", ctx->message->from, 1);
  set_source (ctx, "news", name ? name : "news", NULL);
}

static const ShrRecognizer dsa = { "dsa", dsa_detect, dsa_extract };
static const ShrRecognizer usn = { "usn", usn_detect, usn_extract };
static const ShrRecognizer rhsa = { "rhsa", rhsa_detect, rhsa_extract };
static const ShrRecognizer freebsd = { "freebsd", freebsd_detect, freebsd_extract };
static const ShrRecognizer openssl = { "openssl", openssl_detect, openssl_extract };
static const ShrRecognizer jpcert = { "jpcert", jpcert_detect, jpcert_extract };
static const ShrRecognizer jvn = { "jvn", jvn_detect, jvn_extract };
static const ShrRecognizer ipa = { "ipa", ipa_detect, ipa_extract };
static const ShrRecognizer cisa = { "cisa", cisa_detect, cisa_extract };
static const ShrRecognizer msrc = { "msrc", msrc_detect, msrc_extract };
static const ShrRecognizer sources = { "sources", sources_detect, sources_extract };
static const ShrRecognizer news = { "news", news_detect, news_extract };

const ShrRecognizer *const *
shr_recognizers (void)
{
  /* Order: ids that name one source exactly first; a JPCERT/CC or IPA
   * alert that relays a Microsoft or vendor advisory is still theirs. */
  static const ShrRecognizer *const all[] = {
    &dsa, &usn, &rhsa, &freebsd, &openssl, &jpcert, &jvn, &ipa, &cisa, &sources, &msrc, &news, NULL,
  };
  return all;
}

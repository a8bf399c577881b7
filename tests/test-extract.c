/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Each fixture mail in tests/data/mail/ is one named case
 * (/extract/<kind>/<file>): what a careful reader finds in it, as written in
 * its .expect.json, must be what shirase extracts. The fixtures are mails
 * written in the shape of each real format, encoding and forward style. */
#include <json-glib/json-glib.h>
#include <string.h>

#include "shr-extract.h"
#include "shr-read.h"
#include "shr-recognizers.h"
#include "shr-vocab.h"

static const gchar *
dir_of_fixtures (void)
{
  static gchar *dir;
  if (dir == NULL)
    dir = g_build_filename (g_getenv ("SHR_TOP_SRCDIR") ? g_getenv ("SHR_TOP_SRCDIR") : SHR_SRCDIR, "tests",
                            "data", "mail", NULL);
  return dir;
}

static const gchar *
member_string (JsonObject *o, const gchar *name)
{
  if (!json_object_has_member (o, name) || JSON_NODE_HOLDS_NULL (json_object_get_member (o, name)))
    return NULL;
  return json_object_get_string_member (o, name);
}

/* Lower-case, with every run of non-alphanumerics one space: how titles and
 * names are compared (punctuation and case differ between sources). */
static gchar *
loose (const gchar *s)
{
  g_autofree gchar *norm = shr_lexicon_normalize (s ? s : "");
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;
  for (const gchar *p = norm; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_isalnum (c))
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_unichar (out, c);
        }
      else
        space = TRUE;
    }
  return g_string_free (out, FALSE);
}

static gboolean
related (const gchar *a, const gchar *b)
{
  g_autofree gchar *x = loose (a);
  g_autofree gchar *y = loose (b);
  return *x && *y && (strstr (x, y) != NULL || strstr (y, x) != NULL);
}

/* Everyday words that are also product names count only with the
 * vendor named: "our office", "edge of the network", "teams" are nobody's
 * products; "Microsoft … Office, Edge and Teams" are. A word two vendors
 * use (Cisco IOS, Apple iOS) is the product of the vendor named. */
static void
test_everyday_words (void)
{
  static const struct
  {
    const gchar *mail;
    const gchar *products;
  } cases[] = {
    { "Subject: Notice from our office\n\nOur office in Tokyo runs an HTTP server. Teams of engineers work "
      "at "
      "the edge of the network. Commerce and the Sentry service. CVE-2026-1111.\n",
      "" },
    { "Subject: Microsoft fixes flaws\n\nMicrosoft released updates for Office, Edge and Teams. "
      "CVE-2026-1112.\n",
      "Office,Edge,Teams" },
    { "Subject: Apache fixes the HTTP Server\n\nThe Apache Software Foundation fixed HTTP Server 2.4.63. "
      "CVE-2026-1113.\n",
      "HTTP Server" },
    /* One word, two vendors' products: the vendor named decides. */
    { "Subject: APPLE-SA-2026-11-01-1 iOS 18.1\n\nApple: iOS 18.1 addresses CVE-2026-1200.\n", "iOS" },
    { "Subject: Routers hit\n\nAttackers target IOS 15.2 routers from Cisco. CVE-2026-1202.\n", "IOS" },
    /* No vendor named: the spelling tells the two apart. */
    { "Subject: Phones hit\n\nAttackers exploit a flaw in iOS to take over phones.\n", "iOS" },
    { "Subject: Routers hit\n\nAttackers exploit a flaw in IOS to take over routers.\n", "IOS" },
  };
  ShrLexicon *lexicon = shr_lexicon_get_default (NULL);
  g_assert_nonnull (lexicon);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *raw
          = g_strdup_printf ("From: a@example.test\nMessage-ID: <e%u@example.test>\n%s", i, cases[i].mail);
      g_autoptr (GBytes) bytes = g_bytes_new (raw, strlen (raw));
      g_autoptr (GError) error = NULL;
      g_autoptr (ShrMessage) m = shr_message_read_bytes (bytes, "case", &error);
      g_assert_no_error (error);
      g_autoptr (ShrRecord) r = shr_extract_message (m, lexicon);
      g_autoptr (GString) got = g_string_new (NULL);
      for (guint j = 0; j < r->products->len; j++)
        g_string_append_printf (got, "%s%s", j > 0 ? "," : "",
                                ((ShrProduct *)r->products->pdata[j])->product);
      g_assert_cmpstr (got->str, ==, cases[i].products);
    }
}

/* Cisco names its fixes in a table, one release train a row; a row whose
 * fix is words adds nothing, and the table ends at the first other line. */
/* A record from a mail written on the spot: Subject and body. */
static ShrRecord *
extract_text (const gchar *subject, const gchar *body)
{
  static guint serial;
  g_autofree gchar *raw
      = g_strdup_printf ("From: Example Sender <news@example.test>\nMessage-ID: <x%u@example.test>\n"
                         "Subject: %s\nContent-Type: text/plain; charset=utf-8\n\n%s\n",
                         serial++, subject, body);
  g_autoptr (GBytes) bytes = g_bytes_new (raw, strlen (raw));
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrMessage) m = shr_message_read_bytes (bytes, "case", &error);
  g_assert_no_error (error);
  return shr_extract_message (m, shr_lexicon_get_default (NULL));
}

/* The product of @r named @name, or NULL. */
static const ShrProduct *
product_named (const ShrRecord *r, const gchar *name)
{
  for (guint i = 0; i < r->products->len; i++)
    if (g_strcmp0 (((ShrProduct *)r->products->pdata[i])->product, name) == 0)
      return r->products->pdata[i];
  return NULL;
}

/* Each way real texts say (or hedge, deny, or only imagine) exploitation,
 * in English and Japanese. */
static void
test_exploitation_forms (void)
{
  static const struct
  {
    const gchar *sentence;
    ShrTristate expected;
  } cases[] = {
    /* Stated. */
    { "The vendor said the flaw has been exploited in the wild.", SHR_TRISTATE_TRUE },
    { "CISA has observed threat activity that exploits this vulnerability.", SHR_TRISTATE_TRUE },
    { "We are aware of limited, targeted attacks against customers.", SHR_TRISTATE_TRUE },
    { "The group has actively been exploiting Example Horizon servers since March.", SHR_TRISTATE_TRUE },
    { "The actor rapidly weaponized N-day vulnerabilities in enterprise applications.", SHR_TRISTATE_TRUE },
    { "The crew typically gains entry by exploiting vulnerabilities in unpatched web servers.",
      SHR_TRISTATE_TRUE },
    { "Example Networks is aware of customers experiencing this denial of service.", SHR_TRISTATE_TRUE },
    { "The bug is under active exploitation, according to the agency.", SHR_TRISTATE_TRUE },
    { "エグザンプル社は本脆弱性の悪用を確認しています。", SHR_TRISTATE_TRUE },
    { "開発者は、本脆弱性を悪用した攻撃が限定的に発生していることを確認しています。", SHR_TRISTATE_TRUE },
    { "同社は悪用の事実を確認済みとしている。", SHR_TRISTATE_TRUE },
    { "ルーターの脆弱性 (CVE-2026-1000) を悪用した攻撃について注意喚起が出された。", SHR_TRISTATE_TRUE },
    { "この脆弱性はランサムウェア攻撃に積極的に使われている。", SHR_TRISTATE_TRUE },
    /* Hedged, by a vendor or a CERT: still a report, the hedge kept. */
    { "Example Corp is aware of a report that this issue may have been actively exploited.",
      SHR_TRISTATE_TRUE },
    { "We found evidence suggesting that the vulnerability was likely abused.", SHR_TRISTATE_TRUE },
    { "攻撃者は同社製 VPN 装置の脆弱性を悪用して侵入した可能性が極めて高い。", SHR_TRISTATE_TRUE },
    /* Denied. */
    { "Example Corp is not aware of any exploitation of this issue.", SHR_TRISTATE_FALSE },
    { "There is no evidence that the flaw has been exploited.", SHR_TRISTATE_FALSE },
    { "現時点で本脆弱性を悪用した攻撃は確認されていません。", SHR_TRISTATE_FALSE },
    /* Conditional, potential, or a proof of concept: nothing either way. */
    { "If exploited, the flaw could allow an attacker to run code.", SHR_TRISTATE_UNKNOWN },
    { "An attacker exploiting this vulnerability could gain administrator rights.", SHR_TRISTATE_UNKNOWN },
    { "The vulnerability could be exploited remotely.", SHR_TRISTATE_UNKNOWN },
    { "A proof-of-concept exploit has been published on GitHub.", SHR_TRISTATE_UNKNOWN },
    { "本脆弱性が悪用された場合、任意のコードが実行される可能性があります。", SHR_TRISTATE_UNKNOWN },
    { "第三者に悪用される可能性があります。", SHR_TRISTATE_UNKNOWN },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (ShrRecord) r
          = extract_text ("Example Gateway vulnerability CVE-2026-1000", cases[i].sentence);
      if (r->exploited != cases[i].expected)
        g_error ("\"%s\": exploited %d, expected %d", cases[i].sentence, r->exploited, cases[i].expected);
      if (cases[i].expected != SHR_TRISTATE_UNKNOWN)
        g_assert_nonnull (r->exploited_evidence);
    }
}

/* Severity as written in every common form; a CVSS score alone is a score,
 * not a stated severity. */
static void
test_severity_forms (void)
{
  static const struct
  {
    const gchar *subject;
    const gchar *body;
    const gchar *severity;
    gdouble cvss;
  } cases[] = {
    { "Advisory for Example Gateway", "Severity: Critical\nCVSSv3 Score: 9.8\n", "critical", 9.8 },
    { "Advisory for Example Gateway", "Severity        High\nCVSSv3 Score    8.1\n", "high", 8.1 },
    { "ELSA-2026-0001 Important: Example Linux 9 foo security update", "Related CVEs: CVE-2026-1001\n",
      "high", -1 },
    { "Example Corp fixes Example Mail", "Example Corp rated the flaw Important with a CVSS score of 8.1.\n",
      "high", 8.1 },
    { "Example Gateway", "Impact: moderate\n", "medium", -1 },
    { "Example Gateway", "A flaw with a CVSSv3.1 score of 9.8 was fixed.\n", NULL, 9.8 },
    { "Example Gateway", "Base Score: 7.5 HIGH\n", "high", 7.5 },
    { "Example Gateway", "CVSS v4.0 Base Score: 8.7 (HIGH)\n", "high", 8.7 },
    { "エグザンプル製品の脆弱性", "CVSS v3 による深刻度\n基本値: 9.8 (緊急)\n", "critical", 9.8 },
    { "エグザンプル製品の脆弱性", "深刻度「重要」の脆弱性が修正されました。\n", "high", -1 },
    { "エグザンプル製品の脆弱性", "CVSS v3 基本値 7.5 の脆弱性。\n", NULL, 7.5 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (ShrRecord) r = extract_text (cases[i].subject, cases[i].body);
      if (g_strcmp0 (r->severity, cases[i].severity) != 0 || ABS (r->cvss_max - cases[i].cvss) > 0.05)
        g_error ("case %u (%s): severity %s cvss %.1f, expected %s %.1f", i, cases[i].body, r->severity,
                 r->cvss_max, cases[i].severity, cases[i].cvss);
    }
}

static void
test_cisco_fixed_table (void)
{
  static const gchar raw[]
      = "From: Cisco Systems Product Security Incident Response Team <psirt@cisco.com>\n"
        "Subject: Cisco Security Advisory: Cisco IOS XE Software DHCP Denial of Service Vulnerability\n"
        "Message-ID: <t1@cisco.example.invalid>\n\n"
        "Advisory ID: cisco-sa-iosxe-dhcp-dos-T3st\nCVE Names: CVE-2026-20999\nCVSS Base Score: 8.6\n\n"
        "Fixed Software\n==============\n\n"
        "Cisco IOS XE Software Release  First Fixed Release\n"
        "17.6 and earlier               Migrate to a fixed release.\n"
        "17.9                           17.9.7\n"
        "17.12                          17.12.4b\n"
        "17.15                          Not vulnerable.\n"
        "\n"
        "Release 18.1 is planned.\n";
  g_autoptr (GBytes) bytes = g_bytes_new_static (raw, sizeof raw - 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrMessage) m = shr_message_read_bytes (bytes, "case", &error);
  g_assert_no_error (error);
  g_autoptr (ShrRecord) r = shr_extract_message (m, shr_lexicon_get_default (NULL));
  g_assert_cmpuint (r->products->len, ==, 1);
  ShrProduct *p = r->products->pdata[0];
  g_assert_cmpstr (p->product, ==, "IOS XE");
  g_assert_cmpuint (p->fixed->len, ==, 2);
  g_assert_cmpstr ((gchar *)p->fixed->pdata[0], ==, "17.9.7");
  g_assert_cmpstr ((gchar *)p->fixed->pdata[1], ==, "17.12.4b");
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar *const *)a, *(const gchar *const *)b);
}

/* The strings of a JSON array member, or NULL when @expect has none. */
static GPtrArray *
member_strings (JsonObject *expect, const gchar *name)
{
  if (!json_object_has_member (expect, name) || JSON_NODE_HOLDS_NULL (json_object_get_member (expect, name)))
    return NULL;
  JsonArray *a = json_object_get_array_member (expect, name);
  GPtrArray *out = g_ptr_array_new ();
  for (guint i = 0; i < json_array_get_length (a); i++)
    g_ptr_array_add (out, (gpointer)json_array_get_string_element (a, i));
  return out;
}

static const ShrActorNames *
actor_named (const ShrRecord *r, const gchar *name)
{
  g_autofree gchar *want = loose (name);
  for (guint i = 0; i < r->actor_aliases->len; i++)
    {
      const ShrActorNames *a = r->actor_aliases->pdata[i];
      g_autofree gchar *got = loose (a->name);
      if (strcmp (got, want) == 0)
        return a;
    }
  return NULL;
}

static gboolean
strings_have (const GPtrArray *strings, const gchar *name)
{
  g_autofree gchar *want = loose (name);
  for (guint i = 0; i < strings->len; i++)
    {
      g_autofree gchar *got = loose (strings->pdata[i]);
      if (strcmp (got, want) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Who attacks whom: the actor as the mail names it and the other names the
 * mail gives, names that are not actors, the sectors (through the
 * hierarchy: the record may name a sector under the expected one), the
 * countries (exactly) and region groups, the reporters. */
static void
check_campaign (JsonObject *expect, const ShrRecord *r)
{
  const ShrLexicon *lexicon = shr_lexicon_get_default (NULL);
  ShrVocabulary vocab = shr_vocabulary_for_lexicon (lexicon);
  if (json_object_has_member (expect, "threat_actor"))
    {
      const gchar *actor = member_string (expect, "threat_actor");
      if (actor == NULL)
        g_assert_cmpuint (r->threat_actors->len, ==, 0);
      else
        {
          const ShrActorNames *a = actor_named (r, actor);
          if (a == NULL)
            g_test_message ("actor %s not named", actor);
          g_assert_nonnull (a);
          g_autoptr (GPtrArray) aliases = member_strings (expect, "threat_actor_aliases");
          for (guint i = 0; aliases != NULL && i < aliases->len; i++)
            {
              /* Given by the text: among the first, before the lexicon's. */
              g_autoptr (GPtrArray) given = g_ptr_array_new ();
              for (guint k = 0; k < a->named_in_text && k < a->aliases->len; k++)
                g_ptr_array_add (given, a->aliases->pdata[k]);
              if (!strings_have (given, aliases->pdata[i]))
                g_test_message ("alias %s of %s not given", (gchar *)aliases->pdata[i], actor);
              g_assert_true (strings_have (given, aliases->pdata[i]));
            }
        }
    }
  g_autoptr (GPtrArray) also = member_strings (expect, "also_actors");
  for (guint i = 0; also != NULL && i < also->len; i++)
    g_assert_nonnull (actor_named (r, also->pdata[i]));
  g_autoptr (GPtrArray) not_actors = member_strings (expect, "not_actors");
  for (guint i = 0; not_actors != NULL && i < not_actors->len; i++)
    {
      if (strings_have (r->threat_actors, not_actors->pdata[i]))
        g_test_message ("%s is no actor's name", (gchar *)not_actors->pdata[i]);
      g_assert_false (strings_have (r->threat_actors, not_actors->pdata[i]));
    }

  g_autoptr (GPtrArray) sectors = member_strings (expect, "sector_keys");
  for (guint i = 0; sectors != NULL && i < sectors->len; i++)
    {
      gboolean named = FALSE;
      for (guint k = 0; k < r->sectors->len && !named; k++)
        named = shr_vocabulary_sector_within (&vocab, r->sectors->pdata[k], sectors->pdata[i]);
      if (!named)
        g_test_message ("sector %s not named", (gchar *)sectors->pdata[i]);
      g_assert_true (named);
    }
  for (guint k = 0; sectors != NULL && k < r->sectors->len; k++)
    {
      gboolean expected = FALSE;
      for (guint i = 0; i < sectors->len && !expected; i++)
        expected = shr_vocabulary_sector_within (&vocab, r->sectors->pdata[k], sectors->pdata[i])
                   || shr_vocabulary_sector_within (&vocab, sectors->pdata[i], r->sectors->pdata[k]);
      if (!expected)
        g_test_message ("sector %s not expected", (gchar *)r->sectors->pdata[k]);
      g_assert_true (expected);
    }

  g_autoptr (GPtrArray) codes = member_strings (expect, "region_codes");
  if (codes != NULL)
    {
      g_autoptr (GString) want = g_string_new (NULL);
      g_ptr_array_sort (codes, compare_strings);
      for (guint i = 0; i < codes->len; i++)
        g_string_append_printf (want, "%s ", (gchar *)codes->pdata[i]);
      g_autoptr (GPtrArray) countries = g_ptr_array_new ();
      for (guint k = 0; k < r->regions->len; k++)
        {
          const gchar *c = r->regions->pdata[k];
          if (strlen (c) == 2 && strcmp (c, "EU") != 0)
            g_ptr_array_add (countries, (gpointer)c);
        }
      g_ptr_array_sort (countries, compare_strings);
      g_autoptr (GString) got = g_string_new (NULL);
      for (guint k = 0; k < countries->len; k++)
        g_string_append_printf (got, "%s ", (gchar *)countries->pdata[k]);
      g_assert_cmpstr (got->str, ==, want->str);
    }
  g_autoptr (GPtrArray) groups = member_strings (expect, "region_groups");
  for (guint i = 0; groups != NULL && i < groups->len; i++)
    {
      gboolean named = FALSE;
      for (guint k = 0; k < r->regions->len && !named; k++)
        named = strcmp (r->regions->pdata[k], groups->pdata[i]) == 0;
      g_assert_true (named);
    }

  g_autoptr (GPtrArray) reporters = member_strings (expect, "reported_by");
  for (guint i = 0; reporters != NULL && i < reporters->len; i++)
    {
      gboolean named = FALSE;
      for (guint k = 0; k < r->reported_by->len && !named; k++)
        named = related (r->reported_by->pdata[k], reporters->pdata[i]);
      if (!named)
        g_test_message ("reporter %s not named", (gchar *)reporters->pdata[i]);
      g_assert_true (named);
    }
}

static void
check_fixture (gconstpointer data)
{
  const gchar *name = data;
  g_autofree gchar *eml = g_build_filename (dir_of_fixtures (), name, NULL);
  g_autofree gchar *base = g_strndup (name, strlen (name) - 4);
  g_autofree gchar *expect_path = g_strdup_printf ("%s/%s.expect.json", dir_of_fixtures (), base);

  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  json_parser_load_from_file (parser, expect_path, &error);
  g_assert_no_error (error);
  JsonObject *expect = json_node_get_object (json_parser_get_root (parser));

  ShrLexicon *lexicon = shr_lexicon_get_default (&error);
  g_assert_no_error (error);
  g_autoptr (ShrRecord) r = shr_extract_file (eml, lexicon, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);

  g_assert_cmpstr (r->source_kind, ==, member_string (expect, "kind"));
  g_assert_cmpstr (r->lang, ==, member_string (expect, "lang"));
  if (member_string (expect, "advisory_id") != NULL)
    g_assert_cmpstr (r->advisory_id, ==, member_string (expect, "advisory_id"));

  /* The CVE set is exact. */
  JsonArray *cves = json_object_get_array_member (expect, "cves");
  g_assert_cmpuint (r->cves->len, ==, json_array_get_length (cves));
  for (guint i = 0; i < json_array_get_length (cves); i++)
    g_assert_cmpstr (((ShrCve *)g_ptr_array_index (r->cves, i))->id, ==,
                     json_array_get_string_element (cves, i));

  /* Title: the advisory's own, allowing for punctuation and list tags; a
   * digest's is the mail's, which each of its items carries. */
  const gchar *title = member_string (expect, "title");
  g_autoptr (GPtrArray) items = shr_extract_file_items (eml, lexicon, &error);
  g_assert_no_error (error);
  const ShrRecord *first = g_ptr_array_index (items, 0);
  const gchar *got_title = items->len > 1 ? first->digest_title : r->title;
  if (!related (got_title, title))
    g_test_message ("title: expected \"%s\", got \"%s\"", title, got_title);
  g_assert_true (related (got_title, title));

  JsonNode *cvss = json_object_get_member (expect, "cvss_max");
  if (JSON_NODE_HOLDS_NULL (cvss))
    g_assert_cmpfloat (r->cvss_max, <, 0);
  else
    g_assert_cmpfloat_with_epsilon (r->cvss_max, json_node_get_double (cvss), 0.01);
  g_assert_cmpstr (r->severity, ==, member_string (expect, "severity"));

  JsonNode *exploited = json_object_get_member (expect, "exploited");
  ShrTristate want = JSON_NODE_HOLDS_NULL (exploited)    ? SHR_TRISTATE_UNKNOWN
                     : json_node_get_boolean (exploited) ? SHR_TRISTATE_TRUE
                                                         : SHR_TRISTATE_FALSE;
  g_assert_cmpint (r->exploited, ==, want);
  if (want != SHR_TRISTATE_UNKNOWN)
    g_assert_nonnull (r->exploited_evidence);

  /* Every expected product is named by the record (spellings vary). */
  JsonArray *products = json_object_get_array_member (expect, "products");
  for (guint i = 0; i < json_array_get_length (products); i++)
    {
      const gchar *want_product = json_array_get_string_element (products, i);
      gboolean found = FALSE;
      for (guint j = 0; j < r->products->len && !found; j++)
        {
          ShrProduct *p = g_ptr_array_index (r->products, j);
          g_autofree gchar *full = g_strdup_printf ("%s %s", p->vendor ? p->vendor : "", p->product);
          found = related (p->product, want_product) || related (full, want_product);
        }
      if (!found)
        g_test_message ("product \"%s\" not found", want_product);
      g_assert_true (found);
    }

  /* Products a careless reader would see in everyday words ("the HTTP
   * Server feature" of a Cisco router is not Apache's). */
  JsonArray *not_products = json_object_has_member (expect, "not_products")
                                ? json_object_get_array_member (expect, "not_products")
                                : NULL;
  for (guint i = 0; not_products != NULL && i < json_array_get_length (not_products); i++)
    {
      const gchar *wrong = json_array_get_string_element (not_products, i);
      for (guint j = 0; j < r->products->len; j++)
        {
          ShrProduct *p = g_ptr_array_index (r->products, j);
          if (related (p->product, wrong))
            g_test_message ("product \"%s %s\" is not in this advisory", p->vendor ? p->vendor : "",
                            p->product);
          g_assert_false (related (p->product, wrong));
        }
    }

  /* Forwards: who forwarded it, and the original sender recovered. */
  const gchar *forwarded_by = member_string (expect, "forwarded_by");
  if (forwarded_by != NULL)
    {
      if (r->forwarded_by == NULL || strstr (r->forwarded_by, forwarded_by) == NULL)
        g_test_message ("forwarded_by: expected %s, got %s", forwarded_by, r->forwarded_by);
      g_assert_true (r->forwarded_by != NULL && strstr (r->forwarded_by, forwarded_by) != NULL);
    }
  else
    g_assert_null (r->forwarded_by);
  const gchar *original_from = member_string (expect, "original_from");
  if (original_from != NULL)
    {
      if (r->from == NULL || strstr (r->from, original_from) == NULL)
        g_test_message ("from: expected %s, got %s", original_from, r->from);
      g_assert_true (r->from != NULL && strstr (r->from, original_from) != NULL);
    }

  if (json_object_has_member (expect, "references_include"))
    {
      JsonArray *refs = json_object_get_array_member (expect, "references_include");
      for (guint i = 0; i < json_array_get_length (refs); i++)
        {
          const gchar *url = json_array_get_string_element (refs, i);
          gboolean found = g_strcmp0 (r->source_url, url) == 0;
          for (guint j = 0; j < r->references->len && !found; j++)
            found = strcmp (g_ptr_array_index (r->references, j), url) == 0;
          if (!found)
            g_test_message ("reference %s not found", url);
          g_assert_true (found);
        }
    }

  check_campaign (expect, r);

  /* Nothing in the record may carry a line break into a mail header. */
  g_assert_true (r->title != NULL && strpbrk (r->title, "\r\n") == NULL);
  g_autofree gchar *json = shr_record_to_json_string (r, FALSE);
  g_assert_true (g_utf8_validate (json, -1, NULL));
}

/* Versions a sentence gives a product right after its name, one range per
 * train; a version after "upgrade to" is a fix, not an affected one. */
static void
test_versions_in_sentences (void)
{
  g_autoptr (ShrRecord) r = extract_text (
      "Fortinet warns of exploited flaw",
      "Fortinet said attackers exploit CVE-2026-30001. The vulnerability is present in FortiOS versions\n"
      "7.0.0 through 7.0.16, FortiProxy versions 7.2.0 through 7.2.12 and 7.0.0 through 7.0.19.\n"
      "Customers should upgrade to FortiOS 7.0.17.\n\n"
      "Separately, Veeam said the flaw affects Backup & Replication 12.3.2.3617 and all earlier version 12 "
      "builds.");
  static const struct
  {
    const gchar *product, *affected;
  } want[] = {
    { "FortiOS", "7.0.0 through 7.0.16" },
    { "FortiProxy", "7.2.0 through 7.2.12|7.0.0 through 7.0.19" },
    { "Backup & Replication", "12.3.2.3617 and earlier" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (want); i++)
    {
      const ShrProduct *found = NULL;
      for (guint j = 0; j < r->products->len && found == NULL; j++)
        if (strcmp (((ShrProduct *)r->products->pdata[j])->product, want[i].product) == 0)
          found = r->products->pdata[j];
      g_assert_nonnull (found);
      g_autoptr (GString) got = g_string_new (NULL);
      for (guint j = 0; j < found->affected->len; j++)
        g_string_append_printf (got, "%s%s", j > 0 ? "|" : "", (gchar *)found->affected->pdata[j]);
      g_assert_cmpstr (got->str, ==, want[i].affected);
    }
}

/* A Japanese article names a service no list knows in 「」 after saying
 * what it is; a group's name in 「」 is no product, nor a quote that is a
 * sentence. */
static void
test_quoted_products (void)
{
  g_autoptr (ShrRecord) r = extract_text (
      "エグザンプル社のサービスに不正アクセス",
      "エグザンプル株式会社は、法人向けファイル共有サービス「Example Shareボックス」に不正アクセスがあり、"
      "顧客情報が漏えいした可能性があると発表した。\n\n"
      "犯罪集団「BlackExample」が関与を主張している。担当者は「Example社として対応を進める」と述べた。");
  g_assert_cmpstr (r->lang, ==, "ja");
  g_assert_cmpuint (r->products->len, ==, 1);
  g_assert_cmpstr (((ShrProduct *)r->products->pdata[0])->product, ==, "Example Shareボックス");

  /* With である and a space (an ideographic one) before the name. */
  g_autoptr (ShrRecord) spaced
      = extract_text ("エグザンプル社の製品に脆弱性",
                      "エグザンプル株式会社は、同社のネットワーク機器である\u3000「Zexaline GW」に"
                      "脆弱性があり、悪用した不正アクセスが確認されたと発表した。");
  g_assert_cmpuint (spaced->products->len, ==, 1);
  g_assert_cmpstr (((ShrProduct *)spaced->products->pdata[0])->product, ==, "Zexaline GW");
}

/* A vendor's equipment named by kind ("Juniper devices", 米SonicWall製VPN
 * 装置) is a product of the advisory when none of the vendor's products
 * is named; beside one, it says no more than that product. */
static void
test_vendor_equipment (void)
{
  g_autoptr (ShrRecord) en = extract_text ("Espionage group breaks into telecoms",
                                           "Researchers said the group gained initial access to Juniper "
                                           "devices with stolen credentials and kept it for "
                                           "months at several telecommunications providers.");
  g_assert_cmpuint (en->products->len, ==, 1);
  g_assert_cmpstr (((ShrProduct *)en->products->pdata[0])->vendor, ==, "Juniper Networks");
  g_assert_cmpstr (((ShrProduct *)en->products->pdata[0])->product, ==, "devices");

  g_autoptr (ShrRecord) ja
      = extract_text ("病院のランサムウエア被害、侵入口はVPN装置",
                      "調査報告書は、攻撃者が米SonicWall(ソニックウォール)製VPN(仮想私設網)"
                      "装置の脆弱性を悪用して不正侵入した可能性が高いと結論付けた。");
  g_assert_cmpuint (ja->products->len, ==, 1);
  g_assert_cmpstr (((ShrProduct *)ja->products->pdata[0])->vendor, ==, "SonicWall");
  g_assert_cmpstr (((ShrProduct *)ja->products->pdata[0])->product, ==, "VPN(仮想私設網)装置");

  g_autoptr (ShrRecord) named = extract_text (
      "Cisco IOS XE Software Web UI Privilege Escalation Vulnerability",
      "A vulnerability in the web UI of Cisco IOS XE Software could allow an attacker to gain privileges. "
      "Cisco devices are affected if they run a vulnerable release of Cisco IOS XE Software. "
      "CVE-2026-20990.");
  for (guint i = 0; i < named->products->len; i++)
    g_assert_cmpstr (((ShrProduct *)named->products->pdata[i])->product, !=, "devices");
}

/* A news article introduces a company with its short name and then names
 * its service by that short name: the service is the company's. */
static void
test_vendor_by_short_name (void)
{
  g_autoptr (ShrRecord) ja
      = extract_text ("NSCのクラウドメールに不正アクセス、利用者情報流出の恐れ",
                      "日本サンプル通信(NSC)は11月20日、法人向けクラウドメールサービス「NSCクラウドメール」に"
                      "不正アクセスがあり、利用者の情報が流出した可能性があると発表した。\n\n"
                      "同社によると、攻撃者は同サービスの設備で不正なプログラムを実行したという。");
  g_assert_cmpuint (ja->products->len, ==, 1);
  g_assert_cmpstr (((ShrProduct *)ja->products->pdata[0])->product, ==, "NSCクラウドメール");
  g_assert_cmpstr (((ShrProduct *)ja->products->pdata[0])->vendor, ==, "日本サンプル通信");

  g_autoptr (ShrRecord) en = extract_text (
      "Breach at hosting firm exposes customer mail",
      "Northwind Hosting Group (NHG) said on Tuesday that attackers had exploited a vulnerability in NHG "
      "MailGuard to read the mail of its customers.");
  g_assert_cmpuint (en->products->len, ==, 1);
  g_assert_cmpstr (((ShrProduct *)en->products->pdata[0])->product, ==, "NHG MailGuard");
  g_assert_cmpstr (((ShrProduct *)en->products->pdata[0])->vendor, ==, "Northwind Hosting Group");

  /* Full-width brackets, after brackets that hold no short name. */
  g_autoptr (ShrRecord) wide = extract_text (
      "NSCのクラウドメールに不正アクセス",
      "不正アクセス（CVE-2026-"
      "40001を悪用）について、日本サンプル通信（NSC）は11月20日、法人向けクラウドメール"
      "サービス「NSCクラウドメール」に不正アクセスがあり、利用者の情報が流出した可能性があると発表した。");
  g_assert_cmpuint (wide->products->len, ==, 1);
  g_assert_cmpstr (((ShrProduct *)wide->products->pdata[0])->vendor, ==, "日本サンプル通信");

  /* A short name that only begins a longer word is not the product's. */
  g_autoptr (ShrRecord) other = extract_text (
      "NSCのサービスに障害",
      "日本サンプル通信(NSC)は、個人向けサービス「NSCmobile」で障害が起きたと発表した。利用者の情報が"
      "流出した可能性があるという。");
  for (guint i = 0; i < other->products->len; i++)
    g_assert_null (((ShrProduct *)other->products->pdata[i])->vendor);
}

/* A news article about a ransomware infection names the system that was
 * hit: a product at risk, as a flaw's would be. */
static void
test_incident_system (void)
{
  g_autoptr (ShrRecord) ja = extract_text (
      "物流センターのシステム停止、ランサムウェア感染が原因",
      "サンプル物流協同組合は、同組合の倉庫で運用している在庫管理システム「WMS-Pro」(Warehouse "
      "Management System Pro)におけるランサムウェア感染による障害について、経緯を発表した。\n\n"
      "復旧には3日を要したという。");
  g_assert_cmpuint (ja->products->len, ==, 1);
  g_assert_cmpstr (((ShrProduct *)ja->products->pdata[0])->product, ==, "WMS-Pro");

  /* A system named far from anything that puts it at risk is no product
   * of the advisory. */
  g_autoptr (ShrRecord) aside = extract_text (
      "物流協同組合、新倉庫を公開",
      "サンプル物流協同組合は、新しい倉庫を報道陣に公開した。倉庫では在庫管理システム「WMS-Pro」を"
      "導入し、出荷作業を自動化している。同組合は今後、取扱量を2倍に増やす計画だという。");
  g_assert_cmpuint (aside->products->len, ==, 0);
}

/* A bulletin in the shape NetScaler's take: several products named on one
 * line before their versions, builds written "14.1-47.46", exploitation
 * "observed", scores in a table headed CVE-ID. */
static void
test_bulletin_product_lines (void)
{
  g_autoptr (ShrRecord) r = extract_text (
      "NetScaler ADC and NetScaler Gateway Security Bulletin for CVE-2026-32001",
      "Description of Problem\n"
      "A vulnerability has been discovered in NetScaler ADC and NetScaler Gateway. Exploits of "
      "CVE-2026-32001 on unmitigated appliances have been observed.\n\n"
      "Affected Versions\n"
      "  - NetScaler ADC and NetScaler Gateway 14.1 BEFORE 14.1-47.46\n"
      "  - NetScaler ADC and NetScaler Gateway 13.1 BEFORE 13.1-59.22\n\n"
      "CVE-ID          Description                    CVSSv4\n"
      "CVE-2026-32001  Insufficient input validation  9.3\n"
      "CVE-2026-32099  Improper access control        8.7\n\n"
      "What Customers Should Do\n"
      "Affected customers are urged to install the relevant updated versions as soon as possible.\n"
      "  - NetScaler ADC and NetScaler Gateway 14.1-47.46 and later releases\n");
  g_assert_cmpint (r->exploited, ==, SHR_TRISTATE_TRUE);
  g_assert_cmpfloat (r->cvss_max, ==, 9.3);
  guint with_ranges = 0;
  for (guint i = 0; i < r->products->len; i++)
    {
      const ShrProduct *p = r->products->pdata[i];
      g_assert_false (g_str_has_prefix (p->product, "What"));
      if (strcmp (p->product, "NetScaler ADC") != 0 && strcmp (p->product, "NetScaler Gateway") != 0)
        continue;
      gboolean phrase = FALSE, train = FALSE;
      for (guint j = 0; j < p->affected->len; j++)
        phrase |= strcmp (p->affected->pdata[j], "14.1 BEFORE 14.1-47.46") == 0;
      /* The train 14.1 up to its fix, not the single version "14.1". */
      for (guint j = 0; j < p->ranges->len; j++)
        {
          const ShrProductRange *g = p->ranges->pdata[j];
          train |= g_strcmp0 (g->introduced, "14.1") == 0 && g_strcmp0 (g->fixed, "14.1-47.46") == 0;
        }
      g_assert_true (phrase);
      g_assert_true (train);
      with_ranges++;
    }
  g_assert_cmpuint (with_ranges, ==, 2);
}

/* A release post that gives ranges per train in prose and the score after
 * its vector; a Japanese vendor's notice whose table writes versions
 * against Japanese words (「Ver.3.30以前」) and lists its CVEs with scores
 * under a heading that is not a product section. */
static void
test_release_post_and_maker_notice (void)
{
  g_autoptr (ShrRecord) post = extract_text (
      "ExampleForge Critical Patch Release: 18.5.2, 18.4.4",
      "An issue has been discovered in ExampleForge CE/EE affecting all versions from 16.1 before 18.3.6, "
      "18.4 before 18.4.4, and 18.5 before 18.5.2. This is a critical severity issue "
      "(CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H, 10.0). It is assigned CVE-2026-33003.\n");
  g_assert_cmpfloat (post->cvss_max, ==, 10.0);
  const ShrProduct *forge = NULL;
  for (guint i = 0; i < post->products->len; i++)
    if (strcmp (((ShrProduct *)post->products->pdata[i])->product, "ExampleForge CE/EE") == 0)
      forge = post->products->pdata[i];
  g_assert_nonnull (forge);
  g_assert_cmpuint (forge->affected->len, ==, 3);
  g_assert_cmpstr (forge->affected->pdata[1], ==, "18.4 before 18.4.4");

  g_autoptr (ShrRecord) maker
      = extract_text ("【重要】弊社ルーター製品における脆弱性について",
                      "弊社ルーター製品の一部において、脆弱性が存在することが判明いたしました。\n\n"
                      "対象となる製品およびファームウェアバージョン\n"
                      "  製品名          対象ファームウェア        対策ファームウェア\n"
                      "  EX-R1000        Ver.3.30以前              Ver.3.31\n"
                      "  EX-R2000        Ver.1.12以前              Ver.1.13\n\n"
                      "脆弱性の内容\n"
                      "CVE-2026-33001 OSコマンドインジェクション CVSS v3 基本値 8.8\n\n"
                      "対処方法\n対策ファームウェアへアップデートしてください。\n");
  g_assert_cmpuint (maker->products->len, ==, 2);
  const ShrProduct *r1000 = maker->products->pdata[0];
  g_assert_cmpstr (r1000->product, ==, "EX-R1000");
  g_assert_cmpstr (r1000->affected->pdata[0], ==, "Ver.3.30以前");
  g_assert_cmpstr (r1000->fixed->pdata[0], ==, "3.31");
}

/* A sentence that opens a list of what is affected, where no heading
 * does (JPCERT/CC's weekly report, release announcements). */
static void
test_lead_in_lists (void)
{
  g_autoptr (ShrRecord) ja = extract_text (
      "Apache Tomcatに複数の脆弱性",
      "概要\nApache Tomcatには、複数の脆弱性があります。\n対象となるバージョンは次のとおりです。\n"
      "- Apache Tomcat 11.0.0-M1から11.0.13まで\n- Apache Tomcat 10.1.0-M1から10.1.48まで\n"
      "この問題は、開発者が提供する修正済みのバージョンに更新することで解決します。\n");
  g_assert_cmpuint (ja->products->len, ==, 1);
  const ShrProduct *tomcat = ja->products->pdata[0];
  g_assert_cmpuint (tomcat->affected->len, ==, 2);
  g_assert_cmpstr (tomcat->affected->pdata[0], ==, "11.0.0-M1から11.0.13まで");

  g_autoptr (ShrRecord) bare = extract_text (
      "Mozilla Firefoxに複数の脆弱性", "概要\nMozilla Firefoxには、複数の脆弱性があります。\n"
                                       "対象となる製品は次のとおりです。\n- Firefox 148より前のバージョン\n");
  g_assert_cmpuint (bare->products->len, ==, 1);
  g_assert_cmpstr (((ShrProduct *)bare->products->pdata[0])->affected->pdata[0], ==, "148より前のバージョン");

  g_autoptr (ShrRecord) en
      = extract_text ("Example Mail Gateway 4.2.1 released",
                      "Example Mail Gateway 4.2.1 fixes a remote code execution flaw in its web console.\n"
                      "The following versions are affected:\n"
                      "* Example Mail Gateway 4.2.0 and earlier\n* Example Mail Gateway 4.1.9 and earlier\n\n"
                      "Thanks to the reporter.\n");
  const ShrProduct *gw = product_named (en, "Example Mail Gateway");
  g_assert_nonnull (gw);
  g_assert_cmpuint (gw->affected->len, ==, 2);
  g_assert_cmpstr (gw->affected->pdata[0], ==, "4.2.0 and earlier");

  /* The lead-in on a later line than another "following". */
  g_autoptr (ShrRecord) later
      = extract_text ("Example Proxy 7.3.2 released",
                      "The following notes describe a request smuggling flaw in Example Proxy.\n"
                      "It affects the following releases of Example Proxy:\n"
                      "* Example Proxy 7.3.1 and earlier\n\nThanks to the reporter.\n");
  const ShrProduct *proxy = product_named (later, "Example Proxy");
  g_assert_nonnull (proxy);
  g_assert_cmpuint (proxy->affected->len, ==, 1);
  g_assert_cmpstr (proxy->affected->pdata[0], ==, "7.3.1 and earlier");
}

/* Shapes of release notes and bulletins: service releases of a train
 * ("23.4R2-S2"), a score just before its vector, the platforms a release is
 * built for (no products of their own), a severity before each CVE. */
static void
test_release_note_shapes (void)
{
  g_autoptr (ShrRecord) junos = extract_text (
      "Security Bulletin: Junos OS: A malformed packet causes a crash (CVE-2026-21900)",
      "Severity Assessment (CVSS) Score: 7.5 (CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H)\n\n"
      "This issue affects Juniper Networks Junos OS:\n  * 23.4 versions before 23.4R2-S2.\n\n"
      "Solution:\nThe following software releases have been updated to resolve this specific issue: "
      "23.4R2-S2, "
      "24.2R1, and all subsequent releases.\n");
  g_assert_cmpfloat (junos->cvss_max, ==, 7.5);
  g_assert_cmpuint (junos->products->len, ==, 1);
  const ShrProduct *p = junos->products->pdata[0];
  g_assert_cmpuint (p->fixed->len, >=, 1);
  g_assert_cmpstr (p->fixed->pdata[0], ==, "23.4R2-S2");

  g_autoptr (ShrRecord) chrome = extract_text ("Stable Channel Update for Desktop",
                                               "The Stable channel has been updated to 150.0.7001.55/.56 for "
                                               "Windows, Mac and 150.0.7001.55 for Linux.\n\n"
                                               "This update includes 2 security fixes.\n"
                                               "[$5000][470000001] High CVE-2026-14001: Use after free in "
                                               "Google Chrome's Media. Reported by A. Person\n");
  g_assert_cmpuint (chrome->products->len, ==, 1);
  g_assert_cmpstr (((ShrProduct *)chrome->products->pdata[0])->product, ==, "Chrome");
  g_assert_cmpstr (((ShrProduct *)chrome->products->pdata[0])->fixed->pdata[0], ==, "150.0.7001.55");
  g_assert_cmpstr (chrome->severity, ==, "high");
}

/* Tables and fields of vendors' bulletins and package alerts: a platform
 * column names no products, a CVE column and a score column give each CVE
 * its score wherever they stand, "Updated Versions" are the fixed ones, a
 * package alert's fields give the package and its versions, and "All
 * versions" is no product's name. */
static void
test_bulletin_tables (void)
{
  g_autoptr (ShrRecord) bulletin
      = extract_text ("Security update available for Adobe Acrobat Reader | APSB26-90",
                      "Summary\nAdobe has released security updates for Adobe Acrobat Reader. These updates "
                      "address a critical "
                      "vulnerability.\n\n"
                      "Affected Versions\n"
                      "Product                 Track       Affected Versions          Platform\n"
                      "Acrobat Reader DC       Continuous  25.001.20900 and earlier   Windows & macOS\n\n"
                      "Solution\n"
                      "Product                 Track       Updated Versions   Platform\n"
                      "Acrobat Reader DC       Continuous  25.001.20950       Windows and macOS\n\n"
                      "Vulnerability Details\n"
                      "Vulnerability Category     Severity   CVSS base score   CVE Numbers\n"
                      "Use After Free (CWE-416)   Critical   7.8               CVE-2026-47101\n");
  for (guint i = 0; i < bulletin->products->len; i++)
    {
      const ShrProduct *p = bulletin->products->pdata[i];
      g_assert_cmpstr (p->vendor, ==, "Adobe");
      g_assert_cmpstr (p->fixed->pdata[0], ==, "25.001.20950");
    }
  g_assert_cmpuint (bulletin->products->len, >=, 1);
  const ShrCve *cve = bulletin->cves->pdata[0];
  g_assert_cmpfloat (cve->cvss, ==, 7.8);
  g_assert_cmpstr (cve->severity, ==, "critical");

  g_autoptr (ShrRecord) package = extract_text (
      "[example-org/webapp] Critical severity vulnerability found in package example-template",
      "A critical severity vulnerability was found in one of your dependencies.\n\n"
      "GHSA-aaaa-bbbb-cccc / CVE-2026-40101\nCommand injection in example-template\n\n"
      "Package: example-template (npm)\nAffected versions: < 2.3.1\nPatched version: 2.3.1\nSeverity: "
      "Critical\n");
  g_assert_cmpuint (package->products->len, ==, 1);
  const ShrProduct *pkg = package->products->pdata[0];
  g_assert_cmpstr (pkg->product, ==, "example-template");
  g_assert_cmpstr (pkg->affected->pdata[0], ==, "< 2.3.1");
  g_assert_cmpstr (pkg->fixed->pdata[0], ==, "2.3.1");

  g_autoptr (ShrRecord) all = extract_text ("SSA-000001: Flaw in Example Controllers",
                                            "AFFECTED PRODUCTS\nAll versions < V3.1.5\n");
  for (guint i = 0; i < all->products->len; i++)
    g_assert_cmpstr (((ShrProduct *)all->products->pdata[i])->product, !=, "All");
}

/* Japanese bulletins: the advisory's id in brackets before the title,
 * versions written 「Ver1.5.3」, and the fixed versions listed under 対策
 * after a sentence that says to update. */
static void
test_japanese_bulletin_layout (void)
{
  g_autoptr (ShrRecord) r
      = extract_text ("[EX26-001] Example ルーター シリーズにおける脆弱性",
                      "概要\nExample ルーター シリーズにおいて、OS "
                      "コマンドインジェクションの脆弱性（CVE-2026-46101）が存在します。\n\n"
                      "対象製品\nExample RT-100　ファームウェア Ver1.5.3 およびそれ以前\n\n"
                      "対策\n最新のファームウェアへアップデートしてください。\nExample RT-100　Ver1.5.4\n");
  const ShrProduct *p = NULL;
  for (guint i = 0; i < r->products->len; i++)
    {
      const ShrProduct *q = r->products->pdata[i];
      g_assert_false (g_str_has_prefix (q->product, "["));
      if (g_strcmp0 (q->product, "Example RT-100") == 0)
        p = q;
    }
  g_assert_nonnull (p);
  g_assert_cmpuint (p->affected->len, ==, 1);
  g_assert_cmpuint (p->fixed->len, ==, 1);
  g_assert_cmpstr (p->fixed->pdata[0], ==, "1.5.4");

  /* A severity section whose first word is the rating. */
  g_autoptr (ShrRecord) s
      = extract_text ("【注意喚起】Example Endpoint の脆弱性について (CVE-2026-46102)",
                      "■概要\nExample Endpoint において、任意のコードが実行される脆弱性が確認されました。\n\n"
                      "■深刻度\n緊急（CVSS 3.0 基本値 9.4）\n\n"
                      "■対策\n修正プログラムを適用してください。\n");
  g_assert_cmpstr (s->severity, ==, "critical");
  g_assert_cmpfloat (s->cvss_max, ==, 9.4);
}

/* A list post's fields: "Affected: NAME VERSIONS" and "Fixed: NAME VERSION
 * (note)" give the product and its versions; a range over several trains
 * is one range. */
static void
test_list_post_fields (void)
{
  g_autoptr (ShrRecord) r
      = extract_text ("[oss-security] CVE-2026-50101: libexample: heap overflow in the XML parser",
                      "A heap buffer overflow was found in libexample's XML parser.\n\n"
                      "Affected: libexample 2.9.0 up to and including 2.11.3\n"
                      "Fixed: libexample 2.11.4 (released today); 2.10.x users should apply the patch.\n");
  g_assert_cmpuint (r->products->len, ==, 1);
  const ShrProduct *p = r->products->pdata[0];
  g_assert_cmpstr (p->product, ==, "libexample");
  g_assert_cmpstr (p->affected->pdata[0], ==, "2.9.0 up to and including 2.11.3");
  g_assert_cmpstr (p->fixed->pdata[0], ==, "2.11.4");
  const ShrProductRange *range = p->ranges->pdata[0];
  g_assert_null (range->train);
  g_assert_cmpstr (range->introduced, ==, "2.9.0");
  g_assert_cmpstr (range->last_affected, ==, "2.11.3");
}

/* What the flaw needs to be reachable, as the advisory words it: a
 * setting that must be on, a default that is off, a feature it lives in;
 * a plain flaw has none. */
static void
test_conditions (void)
{
  static const struct
  {
    const gchar *body;
    const gchar *condition; /* a part of the recorded condition, or NULL */
  } cases[] = {
    { "A flaw in Apache Tomcat allows code execution only if writes are enabled for the default servlet. "
      "CVE-2026-31001.",
      "writes are enabled" },
    { "Apache Tomcat is affected when the PUT method is used (disabled by default). CVE-2026-31002.",
      "disabled by default" },
    { "Attackers exploit CVE-2026-31003, a privilege escalation vulnerability found in the web user "
      "interface (UI) "
      "feature in Cisco IOS XE software.",
      "web user interface (UI) feature in Cisco IOS XE" },
    { "FortiOS の SSL-VPN 機能における脆弱性（CVE-2026-31004）を悪用する攻撃が確認されています。",
      "SSL-VPN 機能における脆弱性" },
    { "A heap overflow in FortiOS allows remote code execution. CVE-2026-31005.", NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (ShrRecord) r = extract_text ("Security advisory", cases[i].body);
      g_assert_cmpuint (r->products->len, >=, 1);
      const ShrProduct *p = g_ptr_array_index (r->products, 0);
      if (cases[i].condition == NULL)
        {
          g_assert_cmpuint (p->conditions->len, ==, 0);
          continue;
        }
      g_assert_cmpuint (p->conditions->len, ==, 1);
      const gchar *got = g_ptr_array_index (p->conditions, 0);
      if (strstr (got, cases[i].condition) == NULL)
        g_error ("case %zu: condition \"%s\" does not hold \"%s\"", i, got, cases[i].condition);
    }
}

/* A digest mail (a feed of several advisories) is read as one advisory
 * per item, each with its own id, title, CVEs, products and fixes, and
 * with what the digest says of all of them. */
static void
test_digest_items (void)
{
  g_autofree gchar *eml = g_build_filename (dir_of_fixtures (), "jvn_digest_2026_03_10.eml", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) items = shr_extract_file_items (eml, shr_lexicon_get_default (NULL), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 4);
  static const struct
  {
    const gchar *id, *title_word, *cve, *vendor, *product, *fixed;
    gdouble cvss;
    ShrTristate exploited;
  } want[] = {
    { "JVN#20260311", "クロスサイト", "CVE-2026-26101", "株式会社エグザンプルメール", "ExampleMail Server",
      "6.1.4", -1, SHR_TRISTATE_UNKNOWN },
    { "JVN#20260312", "認証回避", "CVE-2026-26102", "サンプルネットワークス株式会社", "Sample Router",
      "2.0.9", 9.8, SHR_TRISTATE_TRUE },
    { "JVNVU#20260313", "境界外書き込み", "CVE-2026-26103", "Demo Corporation", "Demo Print Server", NULL,
      7.5, SHR_TRISTATE_UNKNOWN },
    { "JVN#20260314", "パストラバーサル", "CVE-2026-26104", "ExampleWiki プロジェクト", "ExampleWiki",
      "1.9.2", -1, SHR_TRISTATE_UNKNOWN },
  };
  for (guint i = 0; i < items->len; i++)
    {
      const ShrRecord *r = g_ptr_array_index (items, i);
      g_test_message ("item %u: %s", i + 1, r->title);
      g_assert_cmpuint (r->item, ==, i + 1);
      g_assert_cmpuint (r->items, ==, 4);
      g_assert_cmpstr (r->digest_title, ==, "脆弱性対策情報 新着のお知らせ (2026/03/10 4件)");
      g_assert_cmpstr (r->source_kind, ==, "jvn");
      g_assert_cmpstr (r->advisory_id, ==, want[i].id);
      g_assert_nonnull (strstr (r->title, want[i].title_word));
      /* Each item's CVE is its own, not its neighbours'. */
      g_assert_cmpuint (r->cves->len, ==, 1);
      g_assert_cmpstr (((ShrCve *)g_ptr_array_index (r->cves, 0))->id, ==, want[i].cve);
      g_assert_cmpuint (r->products->len, >=, 1);
      const ShrProduct *p = g_ptr_array_index (r->products, 0);
      g_assert_cmpstr (p->vendor, ==, want[i].vendor);
      g_assert_true (g_str_has_prefix (p->product, want[i].product));
      if (want[i].fixed != NULL)
        {
          g_assert_cmpuint (p->fixed->len, ==, 1);
          g_assert_cmpstr (g_ptr_array_index (p->fixed, 0), ==, want[i].fixed);
        }
      else
        g_assert_cmpuint (p->fixed->len, ==, 0);
      if (want[i].cvss < 0)
        g_assert_cmpfloat (r->cvss_max, <, 0);
      else
        g_assert_cmpfloat_with_epsilon (r->cvss_max, want[i].cvss, 0.01);
      g_assert_cmpint (r->exploited, ==, want[i].exploited);
    }
}

/* The eight-bytes-at-once lower-casing is g_ascii_strdown(), for every
 * byte value at every alignment and length. */
/* A source whose ids start with one of several words (Atlassian's
 * "CONFSERVER-…", "BAM-…") or with an optional word (SUSE's "openSUSE-SU-…")
 * is found by an id in the subject or the first lines, written in any
 * case, with a long s (U+017F) as a caseless pattern reads it; a mail that
 * only mentions the words is from neither. */
static void
test_source_ids (void)
{
  const ShrSources *sources = shr_sources_get_default ();
  static const struct
  {
    const gchar *subject;
    const gchar *head;
    const gchar *name; /* NULL: no source */
  } cases[] = {
    { "Security Bulletin CONFSERVER-98765", "", "Atlassian PSIRT" },
    { "Security Bulletin", "Advisory: bam-12345 (Bamboo Data Center)\n", "Atlassian PSIRT" },
    { "Security Bulletin", "Fixed in FE-4321 and CRUC-4322\n", "Atlassian PSIRT" },
    { "openSUSE-SU-2026:10234-1: moderate: Security update for curl", "", "SUSE" },
    { "Security update", "Announcement ID: SUSE-RU-2026:01234-1\n", "SUSE" },
    { "Security update", "Announcement ID: \xc5\xbfuse-su-2026:01234-1\n", "SUSE" },
    { "Confluence server and SUSE Linux news", "CONFSERVER and SUSE-SU are ids\n", NULL },
    /* An id pattern with alternatives of its own: each is tried. */
    { "Mozilla Foundation Security Advisory 2026-14", "", "Mozilla Security" },
    { "Security Bulletin", "Advisory: MFSA 2026-14\n", "Mozilla Security" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ShrSource *s
          = shr_sources_find (sources, "someone@example.org", cases[i].subject, cases[i].head, NULL, FALSE);
      g_assert_cmpstr (s ? s->name : NULL, ==, cases[i].name);
    }
}

/* A distribution's advisory gives the fixed version of its package from
 * the built packages it lists, whatever the case of their architecture
 * (not from another package's), else from its prose. */
static void
test_distribution_builds (void)
{
  g_autoptr (ShrRecord) built = extract_text (
      "ALAS2023-2026-701: Important: cups security update",
      "Package updates are available for Amazon Linux 2023 that fix the following vulnerabilities:\n"
      "CVE-2026-47001\n\nNew Packages:\n  cups-libs-2.4.7-1.amzn2023.0.9.X86_64\n"
      "  cups-2.4.7-1.amzn2023.0.8.X86_64\n  cups-2.4.7-1.amzn2023.0.8.Src\n");
  g_assert_cmpuint (built->products->len, ==, 1);
  const ShrProduct *p = built->products->pdata[0];
  g_assert_cmpstr (p->product, ==, "cups");
  g_assert_cmpuint (p->fixed->len, ==, 1);
  g_assert_cmpstr (p->fixed->pdata[0], ==, "2.4.7-1.amzn2023.0.8");

  g_autoptr (ShrRecord) prose
      = extract_text ("ALAS2023-2026-702: Important: cups security update",
                      "The cups package has been updated to version 2.4.8 to fix CVE-2026-47002.\n");
  g_assert_cmpuint (prose->products->len, ==, 1);
  p = prose->products->pdata[0];
  g_assert_cmpuint (p->fixed->len, ==, 1);
  g_assert_cmpstr (p->fixed->pdata[0], ==, "2.4.8");
}

static void
test_ascii_lower (void)
{
  gchar all[300];
  for (gsize i = 0; i < sizeof all; i++)
    all[i] = (gchar)(i % 255 + 1);
  for (gsize from = 0; from < 9; from++)
    for (gsize len = 0; from + len <= sizeof all; len += 1 + len / 8)
      {
        g_autofree gchar *got = shr_ascii_lower_len (all + from, len);
        g_autofree gchar *want = g_ascii_strdown (all + from, len);
        g_assert_cmpmem (got, len + 1, want, len + 1);
      }
}

/* The 原文 of a notice is the advisory's lead, never the page around it:
 * an audience line or a subscription note before the lead is passed over. */
static void
test_summary_skips_page_notes (void)
{
  static const gchar *const notes[] = {
    "This alert is relevant to organizations running Example Gateway.",
    "This advisory was sent to subscribers of the Example security list.",
    "This update is intended to customers who run Example Gateway appliances.",
    "This message was sent to you because you subscribed to Example alerts.",
    "Please subscribe to our newsletter for more alerts like this one.",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (notes); i++)
    {
      g_autofree gchar *body
          = g_strdup_printf ("%s\n\nA critical flaw in Example Gateway 5.1 lets a remote attacker run code "
                             "as root. It is tracked as CVE-2026-22222.\n",
                             notes[i]);
      g_autoptr (ShrRecord) r = extract_text ("Example Gateway flaw", body);
      g_assert_nonnull (r->summary);
      g_assert_true (g_str_has_prefix (r->summary, "A critical flaw in Example Gateway 5.1"));
    }
}

/* Rows of a CVE, its score and severity, as vendors print them under an
 * advisory (no table header): each CVE takes its own score. */
static void
test_cvss_rows (void)
{
  g_autoptr (ShrRecord) r
      = extract_text ("Example Router firmware 3.2.1 fixes two flaws",
                      "Example Router firmware 3.2.1 fixes two vulnerabilities.\n\n"
                      "CVE-2026-30001 9.8 Critical CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n"
                      "  | CVE-2026-30002 | 5.3 | Medium | CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N\n");
  const ShrCve *a = shr_record_find_cve (r, "CVE-2026-30001");
  const ShrCve *b = shr_record_find_cve (r, "CVE-2026-30002");
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpfloat (a->cvss, ==, 9.8);
  g_assert_cmpfloat (b->cvss, ==, 5.3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Every fixture reports every field that is wrong, not just the first. */
  g_test_set_nonfatal_assertions ();
  g_autoptr (GDir) dir = g_dir_open (dir_of_fixtures (), 0, NULL);
  g_assert_nonnull (dir);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const gchar *entry;
  while ((entry = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (entry, ".eml"))
      g_ptr_array_add (names, g_strdup (entry));
  g_ptr_array_sort (names, (GCompareFunc)g_ascii_strcasecmp);
  for (guint i = 0; i < names->len; i++)
    {
      const gchar *name = g_ptr_array_index (names, i);
      g_autofree gchar *base = g_strndup (name, strlen (name) - 4);
      g_autofree gchar *expect = g_strdup_printf ("%s/%s.expect.json", dir_of_fixtures (), base);
      g_autofree gchar *contents = NULL;
      g_assert_true (g_file_get_contents (expect, &contents, NULL, NULL));
      g_autofree gchar *kind = NULL;
      /* Group the cases by source kind and variant in their names. */
      const gchar *k = strstr (contents, "\"kind\"");
      kind = k ? g_strndup (strchr (k + 6, '"') + 1, strcspn (strchr (k + 6, '"') + 1, "\""))
               : g_strdup ("unknown");
      g_autofree gchar *path = g_strdup_printf ("/extract/%s/%s", kind, base);
      g_test_add_data_func_full (path, g_strdup (name), check_fixture, g_free);
    }
  g_test_add_func ("/extract/everyday-words", test_everyday_words);
  g_test_add_func ("/extract/digest/items", test_digest_items);
  g_test_add_func ("/extract/conditions", test_conditions);
  g_test_add_func ("/extract/ascii-lower", test_ascii_lower);
  g_test_add_func ("/extract/cvss/rows", test_cvss_rows);
  g_test_add_func ("/extract/summary/page-notes", test_summary_skips_page_notes);
  g_test_add_func ("/extract/source-ids", test_source_ids);
  g_test_add_func ("/extract/distribution-builds", test_distribution_builds);
  g_test_add_func ("/extract/quoted-products", test_quoted_products);
  g_test_add_func ("/extract/vendor-equipment", test_vendor_equipment);
  g_test_add_func ("/extract/vendor-by-short-name", test_vendor_by_short_name);
  g_test_add_func ("/extract/incident-system", test_incident_system);
  g_test_add_func ("/extract/bulletin-product-lines", test_bulletin_product_lines);
  g_test_add_func ("/extract/release-post-and-maker-notice", test_release_post_and_maker_notice);
  g_test_add_func ("/extract/lead-in-lists", test_lead_in_lists);
  g_test_add_func ("/extract/release-note-shapes", test_release_note_shapes);
  g_test_add_func ("/extract/bulletin-tables", test_bulletin_tables);
  g_test_add_func ("/extract/japanese-bulletin-layout", test_japanese_bulletin_layout);
  g_test_add_func ("/extract/list-post-fields", test_list_post_fields);
  g_test_add_func ("/extract/versions-in-sentences", test_versions_in_sentences);
  g_test_add_func ("/extract/cisco-fixed-table", test_cisco_fixed_table);
  g_test_add_func ("/extract/exploitation/forms", test_exploitation_forms);
  g_test_add_func ("/extract/severity/forms", test_severity_forms);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-notice.c — record + match + profile → the view of a notice. */
#include "config.h"

#include "shr-notice.h"

#include "shr-limits.h"

#include <stdio.h>
#include <string.h>

/* ---- small JSON helpers -------------------------------------------------- */

static void
set_str (JsonObject *o, const gchar *key, const gchar *value)
{
  if (value != NULL && *value != '\0')
    json_object_set_string_member (o, key, value);
}

static void
set_bool (JsonObject *o, const gchar *key, gboolean value)
{
  json_object_set_boolean_member (o, key, value);
}

/* Marks the last element of an array of objects (templates put a
 * separator between elements with {{^last}}, ){{/last}}). */
static void
mark_ends (JsonArray *a)
{
  guint n = json_array_get_length (a);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *o = json_array_get_object_element (a, i);
      set_bool (o, "first", i == 0);
      set_bool (o, "last", i + 1 == n);
    }
}

/* [{v, first, last}] from strings; NULL when @strings is empty. */
static JsonArray *
string_list (const GPtrArray *strings, guint max)
{
  if (strings == NULL || strings->len == 0)
    return NULL;
  JsonArray *a = json_array_new ();
  for (guint i = 0; i < strings->len && i < max; i++)
    {
      JsonObject *o = json_object_new ();
      set_str (o, "v", strings->pdata[i]);
      json_array_add_object_element (a, o);
    }
  mark_ends (a);
  return a;
}

static void
set_array (JsonObject *o, const gchar *key, JsonArray *a)
{
  if (a == NULL)
    return;
  if (json_array_get_length (a) == 0)
    {
      json_array_unref (a);
      return;
    }
  json_object_set_array_member (o, key, a);
}

/* ---- text ---------------------------------------------------------------- */

gchar *
shr_notice_one_line (const gchar *text)
{
  if (text == NULL)
    return g_strdup ("");
  g_autofree gchar *valid = g_utf8_make_valid (text, -1);
  GString *s = g_string_sized_new (strlen (valid));
  gboolean space = TRUE; /* drops leading spaces */
  for (const gchar *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      /* Cc (C0, DEL, C1), the line and paragraph separators, and the
       * bidi controls that could reorder a Subject on screen. */
      gboolean blank = g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029 || c == ' ' || c == 0x3000
                       || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
      if (blank)
        {
          if (!space)
            g_string_append_c (s, ' ');
          space = TRUE;
          continue;
        }
      g_string_append_unichar (s, c);
      space = FALSE;
    }
  if (s->len > 0 && s->str[s->len - 1] == ' ')
    g_string_truncate (s, s->len - 1);
  return g_string_free (s, FALSE);
}

gchar *
shr_notice_format_date_ja (GDateTime *dt)
{
  static const gchar *const wday[] = { "月", "火", "水", "木", "金", "土", "日" };
  return g_strdup_printf ("%d年%d月%d日(%s)", g_date_time_get_year (dt), g_date_time_get_month (dt),
                          g_date_time_get_day_of_month (dt), wday[g_date_time_get_day_of_week (dt) - 1]);
}

gchar *
shr_notice_format_date_en (GDateTime *dt)
{
  static const gchar *const wday[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const gchar *const month[]
      = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  return g_strdup_printf ("%s %d %s %d", wday[g_date_time_get_day_of_week (dt) - 1],
                          g_date_time_get_day_of_month (dt), month[g_date_time_get_month (dt) - 1],
                          g_date_time_get_year (dt));
}

static JsonObject *
date_object (GDateTime *dt)
{
  JsonObject *o = json_object_new ();
  g_autofree gchar *iso = g_date_time_format (dt, "%Y-%m-%d");
  g_autofree gchar *ja = shr_notice_format_date_ja (dt);
  g_autofree gchar *en = shr_notice_format_date_en (dt);
  set_str (o, "iso", iso);
  set_str (o, "ja", ja);
  set_str (o, "en", en);
  return o;
}

/* The record's ISO 8601 date; GLib wants minutes in an offset ("+01"
 * is common in what extract writes from Date: headers), so add them. */
static GDateTime *
parse_record_date (const gchar *date)
{
  if (date == NULL)
    return NULL;
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  GDateTime *dt = g_date_time_new_from_iso8601 (date, utc);
  if (dt != NULL)
    return dt;
  gsize n = strlen (date);
  if (n > 3 && (date[n - 3] == '+' || date[n - 3] == '-') && g_ascii_isdigit (date[n - 2])
      && g_ascii_isdigit (date[n - 1]))
    {
      g_autofree gchar *fixed = g_strconcat (date, ":00", NULL);
      return g_date_time_new_from_iso8601 (fixed, utc);
    }
  return NULL;
}

/* ---- kinds of flaw (data/flaws.tsv) -------------------------------------- */

typedef struct
{
  gchar *key, *label_ja, *label_en;
  gchar **words; /* casefolded */
} FlawEntry;

static GPtrArray *
flaw_table (void)
{
  static GPtrArray *table;
  static GMutex lock;
  g_mutex_lock (&lock);
  if (table == NULL)
    {
      table = g_ptr_array_new ();
      g_autofree gchar *path = g_build_filename (shr_lexicon_default_dir (), "flaws.tsv", NULL);
      g_autofree gchar *text = NULL;
      g_autoptr (GError) error = NULL;
      if (!g_file_get_contents (path, &text, NULL, &error))
        g_warning ("%s (kinds of flaw will not be named)", error->message);
      g_auto (GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          if (lines[i][0] == '#' || lines[i][0] == '\0')
            continue;
          g_auto (GStrv) f = g_strsplit (lines[i], "\t", 5);
          if (g_strv_length (f) != 4)
            {
              g_warning ("%s:%u: expected 4 fields separated by TAB", path, i + 1);
              continue;
            }
          FlawEntry *e = g_new0 (FlawEntry, 1);
          e->key = g_strdup (f[0]);
          e->label_ja = g_strdup (f[1]);
          e->label_en = g_strdup (f[2]);
          g_autofree gchar *folded = g_utf8_casefold (f[3], -1);
          e->words = g_strsplit (folded, "|", -1);
          g_ptr_array_add (table, e); /* kept for the process */
        }
    }
  g_mutex_unlock (&lock);
  return table;
}

typedef struct
{
  gsize start, end;
} Span;

static gboolean
span_free (const GArray *spans, gsize start, gsize end)
{
  for (guint i = 0; i < spans->len; i++)
    {
      const Span *s = &g_array_index (spans, Span, i);
      if (start < s->end && s->start < end)
        return FALSE;
    }
  return TRUE;
}

/* The kinds of flaw the title and summary name, in the table's order. A
 * word inside one already claimed ("code execution" in "remote code
 * execution") does not count twice. */
static JsonArray *
flaws_of (const ShrRecord *r)
{
  GPtrArray *table = flaw_table ();
  g_autofree gchar *joined
      = g_strjoin ("\n", r->title != NULL ? r->title : "", r->summary != NULL ? r->summary : "", NULL);
  g_autofree gchar *text = g_utf8_casefold (joined, -1);
  g_autoptr (GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
  JsonArray *a = json_array_new ();
  for (guint i = 0; i < table->len; i++)
    {
      const FlawEntry *e = table->pdata[i];
      /* Every occurrence of the entry's words is claimed, so a later,
       * shorter entry cannot count any of them again. */
      gboolean found = FALSE;
      for (guint w = 0; e->words[w] != NULL; w++)
        {
          gsize wl = strlen (e->words[w]);
          if (wl == 0)
            continue;
          for (const gchar *p = strstr (text, e->words[w]); p != NULL; p = strstr (p + 1, e->words[w]))
            {
              gsize start = p - text, end = start + wl;
              /* Latin words only at word boundaries ("xss" in "exss…"). */
              gboolean latin = g_ascii_isalnum (e->words[w][0]);
              if (latin && ((start > 0 && g_ascii_isalnum (text[start - 1])) || g_ascii_isalnum (text[end])))
                continue;
              if (span_free (spans, start, end))
                {
                  Span s = { start, end };
                  g_array_append_val (spans, s);
                  found = TRUE;
                }
            }
        }
      if (found)
        {
          JsonObject *o = json_object_new ();
          set_str (o, "key", e->key);
          set_str (o, "ja", e->label_ja);
          set_str (o, "en", e->label_en);
          json_array_add_object_element (a, o);
        }
    }
  mark_ends (a);
  return a;
}

/* ---- the view ------------------------------------------------------------ */

static gchar *
display_name (const gchar *vendor, const gchar *product)
{
  /* The same rule as the checklist rows of shr-match.c, so that the
   * product reads the same in 一言でいうと and in 該当判定. */
  if (vendor == NULL || *vendor == '\0' || g_ascii_strncasecmp (product, vendor, strlen (vendor)) == 0)
    return g_strdup (product);
  return g_strdup_printf ("%s %s", vendor, product);
}

static JsonObject *
grade_object (ShrGrade grade)
{
  JsonObject *o = json_object_new ();
  set_str (o, "letter", grade == SHR_GRADE_NONE ? NULL : shr_grade_to_string (grade));
  set_bool (o, "a", grade == SHR_GRADE_A);
  set_bool (o, "b", grade == SHR_GRADE_B);
  set_bool (o, "c", grade == SHR_GRADE_C);
  set_bool (o, "none", grade == SHR_GRADE_NONE);
  set_str (o, "priority_ja", shr_grade_priority_ja (grade));
  set_str (o, "priority_en", shr_grade_priority_en (grade));
  set_str (o, "deadline_ja", shr_grade_deadline_ja (grade));
  set_str (o, "deadline_en", shr_grade_deadline_en (grade));
  return o;
}

static JsonArray *
products_of (const ShrRecord *r)
{
  JsonArray *a = json_array_new ();
  for (guint i = 0; i < r->products->len && i < SHR_MAX_PRODUCTS; i++)
    {
      const ShrProduct *p = r->products->pdata[i];
      if (p->product == NULL)
        continue;
      JsonObject *o = json_object_new ();
      g_autofree gchar *name = display_name (p->vendor, p->product);
      set_str (o, "name", name);
      set_str (o, "vendor", p->vendor);
      set_str (o, "product", p->product);
      set_array (o, "affected", string_list (p->affected, G_MAXUINT));
      set_array (o, "fixed", string_list (p->fixed, G_MAXUINT));
      set_bool (o, "has_fixed", p->fixed != NULL && p->fixed->len > 0);
      json_array_add_object_element (a, o);
    }
  mark_ends (a);
  return a;
}

static JsonArray *
cves_of (const ShrRecord *r, guint max)
{
  JsonArray *a = json_array_new ();
  for (guint i = 0; i < r->cves->len && i < max; i++)
    {
      const ShrCve *c = r->cves->pdata[i];
      JsonObject *o = json_object_new ();
      set_str (o, "id", c->id);
      if (c->cvss >= 0)
        json_object_set_double_member (o, "cvss", c->cvss);
      set_str (o, "severity", c->severity);
      json_array_add_object_element (a, o);
    }
  mark_ends (a);
  return a;
}

static JsonArray *
labels_of (const GPtrArray *keys, const ShrLexicon *lexicon, gboolean sectors)
{
  JsonArray *a = json_array_new ();
  for (guint i = 0; i < keys->len; i++)
    {
      const gchar *key = keys->pdata[i];
      const ShrLabelEntry *e = NULL;
      if (lexicon != NULL)
        e = sectors ? shr_lexicon_find_sector (lexicon, key) : shr_lexicon_find_region (lexicon, key);
      JsonObject *o = json_object_new ();
      set_str (o, sectors ? "key" : "code", key);
      set_str (o, "ja", e != NULL ? e->label_ja : key);
      set_str (o, "en", e != NULL ? e->label_en : key);
      json_array_add_object_element (a, o);
    }
  mark_ends (a);
  return a;
}

static JsonArray *
checklist_of (const ShrMatch *m)
{
  JsonArray *a = json_array_new ();
  for (guint i = 0; i < m->checklist->len; i++)
    {
      const ShrCriterion *c = m->checklist->pdata[i];
      JsonObject *o = json_object_new ();
      set_str (o, "text_ja", c->text_ja);
      set_str (o, "text_en", c->text_en);
      set_bool (o, "matched", c->matched == SHR_TRISTATE_TRUE);
      set_bool (o, "unknown", c->matched == SHR_TRISTATE_UNKNOWN);
      set_bool (o, "unmatched", c->matched == SHR_TRISTATE_FALSE);
      set_array (o, "assets", string_list (c->assets, G_MAXUINT));
      json_array_add_object_element (a, o);
    }
  mark_ends (a);
  return a;
}

static JsonArray *
numbered (const GPtrArray *strings, const gchar *key, guint max)
{
  JsonArray *a = json_array_new ();
  for (guint i = 0; i < strings->len && i < max; i++)
    {
      g_autofree gchar *line = shr_notice_one_line (strings->pdata[i]);
      if (*line == '\0')
        continue;
      JsonObject *o = json_object_new ();
      json_object_set_int_member (o, "n", json_array_get_length (a) + 1);
      set_str (o, key, line);
      json_array_add_object_element (a, o);
    }
  mark_ends (a);
  return a;
}

static JsonObject *
source_object (const ShrRecord *r)
{
  JsonObject *src = json_object_new ();
  set_str (src, "kind", r->source_kind);
  g_autofree gchar *src_name = shr_notice_one_line (r->source_name);
  set_str (src, "name", src_name);
  set_str (src, "advisory_id", r->advisory_id);
  set_str (src, "url", r->source_url);
  set_str (src, "lang", r->lang);
  set_bool (src, "lang_en", g_strcmp0 (r->lang, "en") == 0);
  set_bool (src, "lang_ja", g_strcmp0 (r->lang, "ja") == 0);
  set_str (src, "forwarded_by", r->forwarded_by);
  return src;
}

/* The advisory's date in @tz, else @now's. */
static JsonObject *
record_date_object (const ShrRecord *r, GDateTime *now, GTimeZone *tz)
{
  g_autoptr (GDateTime) when = parse_record_date (r->date);
  g_autoptr (GDateTime) when_local = g_date_time_to_timezone (when != NULL ? when : now, tz);
  return date_object (when_local);
}

JsonNode *
shr_notice_view_new (const ShrRecord *r, const ShrMatch *m, const ShrProfile *profile,
                     const ShrLexicon *lexicon, GDateTime *now)
{
  g_return_val_if_fail (r != NULL && m != NULL && profile != NULL && now != NULL, NULL);
  JsonObject *v = json_object_new ();

  JsonObject *org = json_object_new ();
  set_str (org, "name", profile->name);
  json_object_set_object_member (v, "org", org);

  json_object_set_object_member (v, "grade", grade_object (m->grade));

  JsonObject *verdict = json_object_new ();
  set_str (verdict, "key", shr_verdict_to_string (m->verdict));
  set_bool (verdict, "applicable", m->verdict == SHR_VERDICT_APPLICABLE);
  set_bool (verdict, "check", m->verdict == SHR_VERDICT_CHECK);
  set_bool (verdict, "not_applicable", m->verdict == SHR_VERDICT_NOT_APPLICABLE);
  set_str (verdict, "label_ja", shr_verdict_label_ja (m->verdict));
  json_object_set_object_member (v, "verdict", verdict);

  GTimeZone *tz = profile->timezone;
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  if (tz == NULL)
    tz = utc;
  if (m->deadline != NULL)
    {
      g_autoptr (GDateTime) d = NULL;
      gint y = 0, mo = 0, day = 0;
      if (sscanf (m->deadline, "%d-%d-%d", &y, &mo, &day) == 3)
        d = g_date_time_new (tz, y, mo, day, 0, 0, 0);
      if (d != NULL)
        {
          JsonObject *o = date_object (d);
          set_str (o, "date", m->deadline);
          json_object_set_object_member (v, "deadline", o);
        }
    }

  JsonObject *cat = json_object_new ();
  set_str (cat, "key", r->category);
  if (r->category != NULL)
    set_bool (cat, r->category, TRUE);
  json_object_set_object_member (v, "category", cat);

  json_object_set_object_member (v, "source", source_object (r));
  json_object_set_object_member (v, "date", record_date_object (r, now, tz));
  g_autoptr (GDateTime) now_local = g_date_time_to_timezone (now, tz);
  json_object_set_object_member (v, "now", date_object (now_local));

  g_autofree gchar *title = shr_notice_one_line (r->title);
  set_str (v, "title", title);
  set_str (v, "summary", r->summary);
  set_bool (v, "quote_original", r->summary != NULL && g_strcmp0 (r->lang, "ja") != 0);

  JsonArray *products = products_of (r);
  guint n_products = json_array_get_length (products);
  gboolean has_fixed = FALSE;
  set_bool (v, "has_products", n_products > 0);
  for (guint i = 0; i < n_products; i++)
    has_fixed |= json_object_get_boolean_member (json_array_get_object_element (products, i), "has_fixed");
  if (n_products > 0)
    set_str (v, "primary_product",
             json_object_get_string_member (json_array_get_object_element (products, 0), "name"));
  set_bool (v, "products_more", n_products > 1);
  JsonArray *fixed_products = json_array_new ();
  for (guint i = 0; i < n_products; i++)
    {
      JsonObject *p = json_array_get_object_element (products, i);
      if (!json_object_get_boolean_member (p, "has_fixed"))
        continue;
      JsonObject *f = json_object_new ();
      set_str (f, "name", json_object_get_string_member (p, "name"));
      json_object_set_member (f, "fixed", json_node_copy (json_object_get_member (p, "fixed")));
      json_array_add_object_element (fixed_products, f);
    }
  mark_ends (fixed_products);
  set_array (v, "fixed_products", fixed_products);
  set_bool (v, "has_fixed", has_fixed);
  set_array (v, "products", products);

  JsonArray *flaws = flaws_of (r);
  guint n_flaws = json_array_get_length (flaws);
  set_bool (v, "has_flaws", n_flaws > 0);
  set_array (v, "flaws", flaws);

  guint n_cves = r->cves->len;
  set_array (v, "cves", cves_of (r, G_MAXUINT));
  set_array (v, "cves_head", cves_of (r, 3));
  if (n_cves > 0)
    json_object_set_int_member (v, "cve_count", n_cves);
  set_bool (v, "cves_many", n_cves > 1);
  set_bool (v, "has_cves", n_cves > 0);
  if (n_cves > 0)
    set_str (v, "cve_first", ((const ShrCve *)r->cves->pdata[0])->id);
  if (n_cves > 1)
    json_object_set_int_member (v, "cves_others", n_cves - 1);
  if (n_cves > 3)
    json_object_set_int_member (v, "cves_more", n_cves - 3);
  if (r->cvss_max >= 0)
    json_object_set_double_member (v, "cvss_max", r->cvss_max);
  if (r->severity != NULL)
    {
      JsonObject *sev = json_object_new ();
      set_str (sev, "key", r->severity);
      set_bool (sev, r->severity, TRUE);
      json_object_set_object_member (v, "severity", sev);
    }

  set_bool (v, "exploited", r->exploited == SHR_TRISTATE_TRUE);
  set_bool (v, "not_exploited", r->exploited == SHR_TRISTATE_FALSE);
  set_bool (v, "kev", r->kev);
  g_autofree gchar *evidence = shr_notice_one_line (r->exploited_evidence);
  set_str (v, "exploited_evidence", evidence);

  /* The sentence speaks of a vulnerability only when the record does. */
  set_bool (v, "vulnerability",
            g_strcmp0 (r->category, "vulnerability") == 0 || g_strcmp0 (r->category, "patch") == 0
                || n_cves > 0 || n_flaws > 0);
  set_bool (v, "campaign", g_strcmp0 (r->category, "campaign") == 0 || r->threat_actors->len > 0);
  set_bool (v, "has_actors", r->threat_actors->len > 0);
  set_bool (v, "has_sectors", r->sectors->len > 0);
  set_bool (v, "has_regions", r->regions->len > 0);
  set_bool (v, "has_mitigations", r->mitigations->len > 0);
  set_bool (v, "has_references", r->references->len > 0);
  set_array (v, "actors", string_list (r->threat_actors, G_MAXUINT));
  set_array (v, "sectors", labels_of (r->sectors, lexicon, TRUE));
  set_array (v, "regions", labels_of (r->regions, lexicon, FALSE));

  set_bool (v, "has_checklist", m->checklist->len > 0);
  set_bool (v, "none_matched", m->verdict == SHR_VERDICT_NOT_APPLICABLE);
  set_array (v, "checklist", checklist_of (m));
  set_array (v, "owners", string_list (m->owners, G_MAXUINT));
  set_array (v, "reasons_ja", string_list (m->reasons_ja, G_MAXUINT));
  set_array (v, "reasons_en", string_list (m->reasons_en, G_MAXUINT));

  set_array (v, "mitigations", numbered (r->mitigations, "text", SHR_MAX_MITIGATIONS));
  set_array (v, "references", numbered (r->references, "url", SHR_MAX_REFERENCES));

  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, v);
  return node;
}

JsonNode *
shr_notice_digest_view_new (const ShrProfile *profile, JsonArray *items, GDateTime *now)
{
  g_return_val_if_fail (profile != NULL && items != NULL && now != NULL, NULL);
  JsonObject *v = json_object_new ();
  JsonObject *org = json_object_new ();
  set_str (org, "name", profile->name);
  json_object_set_object_member (v, "org", org);
  g_autoptr (GDateTime) now_local = g_date_time_to_timezone (now, profile->timezone);
  json_object_set_object_member (v, "now", date_object (now_local));
  guint n = json_array_get_length (items);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *o = json_array_get_object_element (items, i);
      if (o != NULL)
        json_object_set_int_member (o, "n", i + 1);
    }
  json_object_set_array_member (v, "items", json_array_ref (items));
  json_object_set_int_member (v, "count", n);
  set_bool (v, "empty", n == 0);
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, v);
  return node;
}

JsonNode *
shr_notice_digest_item_new (const ShrRecord *r, const ShrMatch *m, const ShrProfile *profile, GDateTime *now)
{
  g_return_val_if_fail (r != NULL && m != NULL && profile != NULL && now != NULL, NULL);
  /* The keys digest.txt reads, built the same way as in a notice's view,
   * and nothing else: one is made for every not-applicable mail received,
   * which is most of them, so it must cost little to build and to keep. */
  JsonObject *v = json_object_new ();
  g_autofree gchar *title = shr_notice_one_line (r->title);
  set_str (v, "title", title);
  json_object_set_object_member (v, "source", source_object (r));
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  json_object_set_object_member (
      v, "date", record_date_object (r, now, profile->timezone != NULL ? profile->timezone : utc));
  guint n_cves = r->cves->len;
  if (n_cves > 0)
    {
      set_str (v, "cve_first", ((const ShrCve *)r->cves->pdata[0])->id);
      json_object_set_int_member (v, "cve_count", n_cves);
    }
  if (n_cves > 1)
    json_object_set_int_member (v, "cves_others", n_cves - 1);
  set_bool (v, "exploited", r->exploited == SHR_TRISTATE_TRUE);
  set_bool (v, "kev", r->kev);
  set_array (v, "reasons_ja", string_list (m->reasons_ja, G_MAXUINT));
  set_array (v, "reasons_en", string_list (m->reasons_en, G_MAXUINT));
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, v);
  return node;
}

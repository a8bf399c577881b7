/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-notice.c — record + match + profile → the view of a notice. */
#include "config.h"

#include "shr-notice.h"

#include "shr-json-out.h"
#include "shr-limits.h"
#include "shr-mustache.h"
#include "shr-steps.h"
#include "shr-version-words.h"
#include "shr-text.h"

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

/* Marks the first, the last and the one before the last element of an
 * array of objects, so that templates join a list as Japanese and English
 * do: {{^last}}{{#penult}}および{{/penult}}{{^penult}}、{{/penult}}{{/last}}. */
static void
mark_ends (JsonArray *a)
{
  guint n = json_array_get_length (a);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *o = json_array_get_object_element (a, i);
      set_bool (o, "first", i == 0);
      set_bool (o, "last", i + 1 == n);
      set_bool (o, "penult", i + 2 == n);
    }
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

/* The same keys written through ShrJsonOut, for what a digest item and a
 * view share: the digest item is made for every not-applicable advisory
 * ingest stores, and written as text directly
 * (shr_notice_digest_item_to_string) it costs a fraction of the tree. */

/* set_str (): left out when NULL or empty. */
static void
out_str (ShrJsonOut *o, const gchar *key, const gchar *value)
{
  if (value == NULL || *value == '\0')
    return;
  shr_json_out_name (o, key);
  shr_json_out_string (o, value);
}

static void
out_bool (ShrJsonOut *o, const gchar *key, gboolean value)
{
  shr_json_out_name (o, key);
  shr_json_out_boolean (o, value);
}

static void
out_int (ShrJsonOut *o, const gchar *key, gint64 value)
{
  shr_json_out_name (o, key);
  shr_json_out_int (o, value);
}

/* What mark_ends () adds to element @i of @n. */
static void
out_ends (ShrJsonOut *o, guint i, guint n)
{
  out_bool (o, "first", i == 0);
  out_bool (o, "last", i + 1 == n);
  out_bool (o, "penult", i + 2 == n);
}

/* (transfer full) The object written into @b. */
static JsonObject *
built_object (JsonBuilder *b)
{
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  return json_node_dup_object (root);
}

/* [{v, first, last}] from the first @max @strings (not empty). */
static void
out_string_list_value (ShrJsonOut *o, const GPtrArray *strings, guint max)
{
  guint n = MIN (strings->len, max);
  shr_json_out_begin (o, FALSE);
  for (guint i = 0; i < n; i++)
    {
      shr_json_out_begin (o, TRUE);
      out_str (o, "v", strings->pdata[i]);
      out_ends (o, i, n);
      shr_json_out_end (o, TRUE);
    }
  shr_json_out_end (o, FALSE);
}

/* set_array (@key, string_list ()): left out when there is none. */
static void
out_string_list (ShrJsonOut *o, const gchar *key, const GPtrArray *strings, guint max)
{
  if (strings == NULL || strings->len == 0 || max == 0)
    return;
  shr_json_out_name (o, key);
  out_string_list_value (o, strings, max);
}

/* [{v, first, last}] from strings; NULL when @strings is empty. */
static JsonArray *
string_list (const GPtrArray *strings, guint max)
{
  if (strings == NULL || strings->len == 0)
    return NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  ShrJsonOut o = { .builder = b };
  out_string_list_value (&o, strings, max);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  return json_node_dup_array (root);
}

/* ---- text ---------------------------------------------------------------- */

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

static void
out_date (ShrJsonOut *o, GDateTime *dt)
{
  g_autofree gchar *iso = g_date_time_format (dt, "%Y-%m-%d");
  g_autofree gchar *ja = shr_notice_format_date_ja (dt);
  g_autofree gchar *en = shr_notice_format_date_en (dt);
  g_autofree gchar *ja_day = g_strdup_printf ("%d年%d月%d日", g_date_time_get_year (dt),
                                              g_date_time_get_month (dt), g_date_time_get_day_of_month (dt));
  static const gchar *const month[]
      = { "January", "February", "March",     "April",   "May",      "June",
          "July",    "August",   "September", "October", "November", "December" };
  g_autofree gchar *en_day
      = g_strdup_printf ("%d %s %d", g_date_time_get_day_of_month (dt), month[g_date_time_get_month (dt) - 1],
                         g_date_time_get_year (dt));
  shr_json_out_begin (o, TRUE);
  out_str (o, "iso", iso);
  out_str (o, "ja", ja);
  out_str (o, "en", en);
  /* Without the weekday, for inside a sentence or a bracket. */
  out_str (o, "ja_day", ja_day);
  out_str (o, "en_day", en_day);
  shr_json_out_end (o, TRUE);
}

static JsonObject *
date_object (GDateTime *dt)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  ShrJsonOut o = { .builder = b };
  out_date (&o, dt);
  return built_object (b);
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

/* ---- data files ------------------------------------------------------------ */

const GPtrArray *
shr_notice_data_rows (const gchar *name)
{
  static GHashTable *files; /* name → GPtrArray of ShrDataRow, kept for the process */
  static GMutex lock;
  g_mutex_lock (&lock);
  if (files == NULL)
    files = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *rows = g_hash_table_lookup (files, name);
  if (rows == NULL)
    {
      rows = g_ptr_array_new ();
      g_autofree gchar *path = g_build_filename (shr_lexicon_default_dir (), name, NULL);
      g_autofree gchar *text = NULL;
      g_autoptr (GError) error = NULL;
      if (!g_file_get_contents (path, &text, NULL, &error))
        g_warning ("%s (what it holds will be missing from notices)", error->message);
      g_auto (GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          if (lines[i][0] == '#' || lines[i][0] == '\0')
            continue;
          ShrDataRow *row = g_new0 (ShrDataRow, 1);
          row->path = path;
          row->line = i + 1;
          row->fields = g_strsplit (lines[i], "\t", -1);
          row->n_fields = g_strv_length (row->fields);
          g_ptr_array_add (rows, row);
        }
      g_hash_table_insert (files, g_strdup (name), rows);
      /* The rows name their file in warnings. */
      (void)g_steal_pointer (&path);
    }
  g_mutex_unlock (&lock);
  return rows;
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
      const GPtrArray *rows = shr_notice_data_rows ("flaws.tsv");
      for (guint i = 0; i < rows->len; i++)
        {
          const ShrDataRow *row = rows->pdata[i];
          if (row->n_fields != 4)
            {
              g_warning ("%s:%u: expected 4 fields separated by TAB", row->path, row->line);
              continue;
            }
          FlawEntry *e = g_new0 (FlawEntry, 1);
          e->key = row->fields[0];
          e->label_ja = row->fields[1];
          e->label_en = row->fields[2];
          g_autofree gchar *folded = g_utf8_casefold (row->fields[3], -1);
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

/* g_utf8_casefold () of valid UTF-8, without its per-character table
 * search where none is needed: ASCII folds to its lower case, and
 * U+3000..U+9FFF (CJK punctuation, kana, ideographs: the 3-byte sequences
 * led by 0xE3..0xE9) have no case; only what lies between goes through
 * GLib. Folding every title and summary character by character cost more
 * than the rest of a digest item. */
static gchar *
casefold (const gchar *text)
{
  gsize n = strlen (text);
  if (!g_utf8_validate_len (text, n, NULL))
    return g_utf8_casefold (text, n);
  GString *out = g_string_sized_new (n);
  const gchar *p = text, *end = text + n;
  while (p < end)
    {
      /* A run of ASCII and U+3000..U+9FFF, copied in one piece, then its
       * capitals lowered (no byte of a 3-byte sequence is one). */
      const gchar *run = p;
      while (p < end && ((guchar)*p < 0x80 || ((guchar)*p >= 0xE3 && (guchar)*p <= 0xE9)))
        p += (guchar)*p < 0x80 ? 1 : 3;
      gsize from = out->len;
      g_string_append_len (out, run, p - run);
      for (gsize i = from; i < out->len; i++)
        if (out->str[i] >= 'A' && out->str[i] <= 'Z')
          out->str[i] += 'a' - 'A';
      /* Then the characters GLib folds. */
      run = p;
      while (p < end && (guchar)*p >= 0x80 && !((guchar)*p >= 0xE3 && (guchar)*p <= 0xE9))
        p = g_utf8_next_char (p);
      if (p > run)
        {
          g_autofree gchar *folded = g_utf8_casefold (run, p - run);
          g_string_append (out, folded);
        }
    }
  return g_string_free (out, FALSE);
}

/* The pairs of adjacent bytes of a text, hashed into 4,096 bits: a word
 * with a pair the text lacks cannot be in it. */
typedef struct
{
  guint64 bits[64];
} BytePairs;

static guint
byte_pair_bit (const gchar *p)
{
  return ((guchar)p[0] * 31u + (guchar)p[1]) & 4095u;
}

static void
byte_pairs_of (BytePairs *pairs, const gchar *text)
{
  memset (pairs, 0, sizeof *pairs);
  for (const gchar *p = text; p[0] != '\0' && p[1] != '\0'; p++)
    {
      guint bit = byte_pair_bit (p);
      pairs->bits[bit / 64] |= G_GUINT64_CONSTANT (1) << (bit % 64);
    }
}

static gboolean
byte_pairs_may_hold (const BytePairs *pairs, const gchar *word)
{
  for (const gchar *p = word; p[0] != '\0' && p[1] != '\0'; p++)
    {
      guint bit = byte_pair_bit (p);
      if (!(pairs->bits[bit / 64] & (G_GUINT64_CONSTANT (1) << (bit % 64))))
        return FALSE;
    }
  return TRUE;
}

/* The kinds of flaw the title and summary name, in the table's order
 * (transfer container: FlawEntry, kept for the process). A word inside
 * one already claimed ("code execution" in "remote code execution") does
 * not count twice. */
static GPtrArray *
flaws_of (const ShrRecord *r)
{
  GPtrArray *table = flaw_table ();
  g_autofree gchar *joined
      = g_strjoin ("\n", r->title != NULL ? r->title : "", r->summary != NULL ? r->summary : "", NULL);
  g_autofree gchar *text = casefold (joined);
  /* Most of the table's 59 words are in no given text: the pairs rule
   * them out without a strstr over the whole summary each. */
  BytePairs pairs;
  byte_pairs_of (&pairs, text);
  g_autoptr (GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
  GPtrArray *found_entries = g_ptr_array_new ();
  for (guint i = 0; i < table->len; i++)
    {
      const FlawEntry *e = table->pdata[i];
      /* Every occurrence of the entry's words is claimed, so a later,
       * shorter entry cannot count any of them again. */
      gboolean found = FALSE;
      for (guint w = 0; e->words[w] != NULL; w++)
        {
          gsize wl = strlen (e->words[w]);
          if (wl == 0 || !byte_pairs_may_hold (&pairs, e->words[w]))
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
        g_ptr_array_add (found_entries, (gpointer)e);
    }
  return found_entries;
}

/* The kinds of flaw flaws_of () found (not none): [{key, ja, en, vowel}]. */
static void
out_flaws (ShrJsonOut *o, const GPtrArray *flaws)
{
  shr_json_out_begin (o, FALSE);
  for (guint i = 0; i < flaws->len; i++)
    {
      const FlawEntry *e = flaws->pdata[i];
      shr_json_out_begin (o, TRUE);
      out_str (o, "key", e->key);
      out_str (o, "ja", e->label_ja);
      out_str (o, "en", e->label_en);
      /* "an" before the English label: "an authentication bypass". */
      out_bool (o, "vowel", strchr ("aeiouAEIOU", e->label_en[0]) != NULL);
      out_ends (o, i, flaws->len);
      shr_json_out_end (o, TRUE);
    }
  shr_json_out_end (o, FALSE);
}

/* ---- words and numbers ------------------------------------------------------ */

/* One decimal, whatever the source wrote ("10" and "10.0" are one score). */
static gchar *
cvss_text (gdouble score)
{
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.1f", score));
}

/* {key, <key>: true}: templates/severity-*.mustache word it. */
static void
set_severity (JsonObject *o, const gchar *member, const gchar *severity)
{
  if (severity == NULL)
    return;
  JsonObject *sev = json_object_new ();
  set_str (sev, "key", severity);
  set_bool (sev, severity, TRUE);
  json_object_set_object_member (o, member, sev);
}

/* ---- titles ----------------------------------------------------------------- */

/* The source's title, already on one line (shr_text_one_line), without
 * what a mail list or a forward put before it (「【情報共有】」,
 * "[ GLSA 202408-01 ]", "Fw:") and, for a Japanese title, with full-width
 * brackets, so that it reads as a Japanese title where a notice has no
 * better one. */
static gchar *
clean_title (const gchar *line, gboolean japanese)
{
  static GRegex *prefix;
  static gsize done;
  if (g_once_init_enter (&done))
    {
      prefix = g_regex_new (
          "^(?:\\s*(?:(?:re|fw|fwd|aw|wg|転送|返信)\\s*[:：]|【[^】]{1,20}】|\\[[^\\]]{1,40}\\]))+\\s*",
          G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&done, 1);
    }
  g_autofree gchar *bare = g_regex_replace (prefix, line, -1, 0, "", 0, NULL);
  if (*bare == '\0')
    return g_strdup (line);
  if (!japanese)
    return g_steal_pointer (&bare);
  GString *s = g_string_new (NULL);
  for (const gchar *p = bare; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c == '(')
        c = 0xFF08;
      else if (c == ')')
        c = 0xFF09;
      /* No space against a full-width bracket. */
      if (c == ' ' && (s->len > 0 && (g_str_has_suffix (s->str, "（") || g_str_has_suffix (s->str, "）"))))
        continue;
      if ((c == 0xFF08 || c == 0xFF09) && s->len > 0 && s->str[s->len - 1] == ' ')
        g_string_truncate (s, s->len - 1);
      g_string_append_unichar (s, c);
    }
  return g_string_free (s, FALSE);
}

/* ---- the view ------------------------------------------------------------ */

/* {name, self_ja, self_en}: the organisation and its word for itself. */
static JsonObject *
org_object (const ShrProfile *profile)
{
  JsonObject *org = json_object_new ();
  set_str (org, "name", profile->name);
  /* [organization] self_ja / self_en; the profile holds their defaults. */
  set_str (org, "self_ja", profile->self_ja);
  set_str (org, "self_en", profile->self_en);
  return org;
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

/* Adds {v, ja, en} to @a unless the same words are there already (two
 * phrases of one range: "ExampleCMS 4.2.0 以前" and "4.2.0 以前"). */
static void
add_words (JsonArray *a, const gchar *ja, const gchar *en)
{
  for (guint i = 0; i < json_array_get_length (a); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (a, i), "ja"), ja) == 0)
      return;
  JsonObject *o = json_object_new ();
  set_str (o, "v", ja); /* the shape "affected: [{v}]" of before */
  set_str (o, "ja", ja);
  set_str (o, "en", en);
  json_array_add_object_element (a, o);
}

/* The affected versions of @p: [{ja, en}] in the notice's words
 * (shr-version-words.h). Sets @all_known when every one was understood
 * (only then does 一言でいうと name the versions: a sentence cannot carry
 * a phrase in another language). The trains the source says are not
 * affected go to @unaffected. */
static JsonArray *
affected_of (const ShrProduct *p, gboolean *all_known, JsonArray *unaffected)
{
  g_autoptr (GPtrArray) not_affected = g_ptr_array_new_with_free_func (shr_version_words_free);
  g_autoptr (GPtrArray) words = shr_version_words_affected (p, all_known, not_affected);
  JsonArray *a = json_array_new ();
  for (guint i = 0; i < words->len; i++)
    {
      const ShrVersionWords *w = words->pdata[i];
      if (w->as_written)
        {
          /* A phrase as written: one line, as every field of a notice. */
          g_autofree gchar *line = shr_text_one_line (w->ja);
          add_words (a, line, line);
        }
      else
        add_words (a, w->ja, w->en);
    }
  for (guint i = 0; i < not_affected->len; i++)
    {
      const ShrVersionWords *w = not_affected->pdata[i];
      add_words (unaffected, w->ja, w->en);
    }
  mark_ends (a);
  mark_ends (unaffected);
  return a;
}

/* The first @max products, with all a notice shows of each. */
static JsonArray *
products_of (const ShrRecord *r, guint max)
{
  JsonArray *a = json_array_new ();
  for (guint i = 0; i < r->products->len && i < max; i++)
    {
      const ShrProduct *p = r->products->pdata[i];
      if (p->product == NULL)
        continue;
      JsonObject *o = json_object_new ();
      g_autofree gchar *name = shr_product_display_name (p->vendor, p->product, FALSE);
      g_autofree gchar *name_en = shr_product_display_name (p->vendor, p->product, TRUE);
      set_str (o, "name", name);
      set_str (o, "name_en", name_en);
      json_array_add_object_element (a, o);
      set_str (o, "vendor", p->vendor);
      set_str (o, "product", p->product);
      gboolean versions_known = FALSE;
      JsonArray *unaffected = json_array_new ();
      set_array (o, "affected", affected_of (p, &versions_known, unaffected));
      set_array (o, "unaffected", unaffected);
      set_bool (o, "versions_known", versions_known);
      set_array (o, "conditions", string_list (p->conditions, G_MAXUINT));
      set_array (o, "fixed", string_list (p->fixed, G_MAXUINT));
      set_bool (o, "has_fixed", p->fixed != NULL && p->fixed->len > 0);
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
        {
          json_object_set_double_member (o, "cvss", c->cvss);
          g_autofree gchar *text = cvss_text (c->cvss);
          set_str (o, "cvss_text", text);
        }
      set_severity (o, "severity", c->severity);
      json_array_add_object_element (a, o);
    }
  mark_ends (a);
  return a;
}

/* The actors as the mail names them, each with the other names the mail
 * itself gives ("Silk Typhoon", "HAFNIUM"): a notice says nothing the
 * advisory does not. */
static void
out_actors (ShrJsonOut *o, const ShrRecord *r)
{
  if (r->threat_actors->len == 0)
    return;
  shr_json_out_name (o, "actors");
  shr_json_out_begin (o, FALSE);
  for (guint i = 0; i < r->threat_actors->len; i++)
    {
      const gchar *name = r->threat_actors->pdata[i];
      shr_json_out_begin (o, TRUE);
      out_str (o, "v", name);
      g_autoptr (GString) aliases = g_string_new (NULL);
      for (guint j = 0; j < r->actor_aliases->len; j++)
        {
          const ShrActorNames *n = r->actor_aliases->pdata[j];
          if (strcmp (n->name, name) != 0)
            continue;
          for (guint k = 0; k < n->named_in_text && k < n->aliases->len; k++)
            g_string_append_printf (aliases, "%s%s", k > 0 ? ", " : "", (const gchar *)n->aliases->pdata[k]);
          break;
        }
      out_bool (o, "has_aliases", aliases->len > 0);
      out_str (o, "aliases", aliases->str);
      out_ends (o, i, r->threat_actors->len);
      shr_json_out_end (o, TRUE);
    }
  shr_json_out_end (o, FALSE);
}

/* The CVEs grouped by score, groups in the order of their first CVE:
 * [{cvss_text (absent: no score), ids: [{v}], many, more}] — one line per
 * score, so that CVEs sharing one are not each repeated with it and one
 * CVE never stands for the others' score. At most @max ids per group. */
static JsonArray *
cve_groups_of (const ShrRecord *r, guint max)
{
  JsonArray *groups = json_array_new ();
  g_autoptr (GHashTable) by_score = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < r->cves->len; i++)
    {
      const ShrCve *c = r->cves->pdata[i];
      g_autofree gchar *score = c->cvss >= 0 ? cvss_text (c->cvss) : g_strdup ("");
      JsonObject *g = g_hash_table_lookup (by_score, score);
      if (g == NULL)
        {
          g = json_object_new ();
          set_str (g, "cvss_text", score);
          json_object_set_array_member (g, "ids", json_array_new ());
          json_array_add_object_element (groups, g);
          g_hash_table_insert (by_score, g_strdup (score), g);
        }
      JsonArray *ids = json_object_get_array_member (g, "ids");
      if (json_array_get_length (ids) < max)
        {
          JsonObject *o = json_object_new ();
          set_str (o, "v", c->id);
          json_array_add_object_element (ids, o);
        }
      else
        json_object_set_int_member (
            g, "more", (json_object_has_member (g, "more") ? json_object_get_int_member (g, "more") : 0) + 1);
    }
  for (guint i = 0; i < json_array_get_length (groups); i++)
    {
      JsonObject *g = json_array_get_object_element (groups, i);
      JsonArray *ids = json_object_get_array_member (g, "ids");
      mark_ends (ids);
      set_bool (g, "many", json_array_get_length (ids) > 1 || json_object_has_member (g, "more"));
    }
  mark_ends (groups);
  return groups;
}

/* What the CVSS vectors say about how the flaw is reached, when every CVE
 * has a vector and they agree: {network, no_auth, no_user}. NULL when not. */
static JsonObject *
vector_of (const ShrRecord *r)
{
  if (r->cves->len == 0)
    return NULL;
  gchar av = 0, pr = 0, ui = 0;
  for (guint i = 0; i < r->cves->len; i++)
    {
      const ShrCve *c = r->cves->pdata[i];
      if (c->vector == NULL)
        return NULL;
      gchar a = 0, p = 0, u = 0;
      g_auto (GStrv) parts = g_strsplit (c->vector, "/", -1);
      for (guint j = 0; parts[j] != NULL; j++)
        {
          if (g_str_has_prefix (parts[j], "AV:"))
            a = parts[j][3];
          else if (g_str_has_prefix (parts[j], "PR:"))
            p = parts[j][3];
          else if (g_str_has_prefix (parts[j], "UI:"))
            u = parts[j][3];
        }
      if (a == 0 || p == 0 || (i > 0 && (a != av || p != pr || u != ui)))
        return NULL;
      av = a, pr = p, ui = u;
    }
  JsonObject *o = json_object_new ();
  set_bool (o, "network", av == 'N');
  set_bool (o, "no_auth", pr == 'N');
  set_bool (o, "no_user", ui == 'N');
  return o;
}

/* A sector as a noun for its organisations, from the 5th and 6th columns
 * of data/sectors.tsv ("通信事業者", "telecommunications providers"); the
 * label when the file has none. */
static void
sector_nouns (const gchar *key, const gchar **ja, const gchar **en)
{
  const GPtrArray *rows = shr_notice_data_rows ("sectors.tsv");
  for (guint i = 0; i < rows->len; i++)
    {
      const ShrDataRow *row = rows->pdata[i];
      if (row->n_fields >= 6 && strcmp (row->fields[0], key) == 0)
        {
          *ja = row->fields[4];
          *en = row->fields[5];
          return;
        }
    }
}

static void
out_labels (ShrJsonOut *o, const gchar *member, const GPtrArray *keys, const ShrLexicon *lexicon,
            gboolean sectors)
{
  if (keys->len == 0)
    return;
  shr_json_out_name (o, member);
  shr_json_out_begin (o, FALSE);
  for (guint i = 0; i < keys->len; i++)
    {
      const gchar *key = keys->pdata[i];
      const ShrLabelEntry *e = NULL;
      if (lexicon != NULL)
        e = sectors ? shr_lexicon_find_sector (lexicon, key) : shr_lexicon_find_region (lexicon, key);
      shr_json_out_begin (o, TRUE);
      out_str (o, sectors ? "key" : "code", key);
      const gchar *ja = e != NULL ? e->label_ja : key, *en = e != NULL ? e->label_en : key;
      out_str (o, "ja", ja);
      out_str (o, "en", en);
      if (sectors)
        {
          sector_nouns (key, &ja, &en);
          out_str (o, "noun_ja", ja);
          out_str (o, "noun_en", en);
        }
      out_ends (o, i, keys->len);
      shr_json_out_end (o, TRUE);
    }
  shr_json_out_end (o, FALSE);
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
      g_autofree gchar *line = shr_text_one_line (strings->pdata[i]);
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

static void
out_source (ShrJsonOut *o, const ShrRecord *r)
{
  shr_json_out_begin (o, TRUE);
  out_str (o, "kind", r->source_kind);
  g_autofree gchar *src_name = shr_text_one_line (r->source_name);
  out_str (o, "name", src_name);
  out_str (o, "advisory_id", r->advisory_id);
  out_str (o, "url", r->source_url);
  out_str (o, "lang", r->lang);
  out_bool (o, "lang_en", g_strcmp0 (r->lang, "en") == 0);
  out_bool (o, "lang_ja", g_strcmp0 (r->lang, "ja") == 0);
  out_str (o, "forwarded_by", r->forwarded_by);
  /* One advisory of a digest mail: the approvers and the readers see
   * which item of which mail it was. */
  if (r->items > 0)
    {
      shr_json_out_name (o, "item");
      shr_json_out_begin (o, TRUE);
      out_int (o, "index", r->item);
      out_int (o, "of", r->items);
      g_autofree gchar *digest = shr_text_one_line (r->digest_title);
      out_str (o, "digest", digest);
      shr_json_out_end (o, TRUE);
    }
  shr_json_out_end (o, TRUE);
}

static JsonObject *
source_object (const ShrRecord *r)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  ShrJsonOut o = { .builder = b };
  out_source (&o, r);
  return built_object (b);
}

/* The advisory's date in @tz, else @now's. */
static void
out_record_date (ShrJsonOut *o, const ShrRecord *r, GDateTime *now, GTimeZone *tz)
{
  g_autoptr (GDateTime) when = parse_record_date (r->date);
  g_autoptr (GDateTime) when_local = g_date_time_to_timezone (when != NULL ? when : now, tz);
  out_date (o, when_local);
}

static JsonObject *
record_date_object (const ShrRecord *r, GDateTime *now, GTimeZone *tz)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  ShrJsonOut o = { .builder = b };
  out_record_date (&o, r, now, tz);
  return built_object (b);
}

/* What the title partials (templates/title-*.mustache) read, also kept in
 * a digest item: the kind, the first product, the kinds of flaw, the
 * first CVE, exploitation, the actors and the targets, the source's own
 * title (原題) and, for a notice with nothing to compose a title from,
 * that title cleaned. */
static void
out_title_keys (ShrJsonOut *o, const ShrRecord *r, const ShrLexicon *lexicon, guint n_products,
                const gchar *primary, const gchar *primary_en)
{
  ShrNoticeKind kind = shr_notice_kind (r);
  shr_json_out_name (o, "kind");
  shr_json_out_begin (o, TRUE);
  out_str (o, "key", shr_notice_kind_to_string (kind));
  out_bool (o, shr_notice_kind_to_string (kind), TRUE);
  shr_json_out_end (o, TRUE);

  g_autofree gchar *title = shr_text_one_line (r->title);
  out_str (o, "title", title);
  gboolean ja = g_strcmp0 (r->lang, "ja") == 0;
  g_autofree gchar *clean = clean_title (title, ja);
  out_str (o, "title_clean", clean);
  /* Nothing to compose a title from: a Japanese notice shows the
   * Japanese source's own; an English one the English source's. */
  gboolean bare
      = kind == SHR_NOTICE_INFORMATION
        || (n_products == 0 && r->threat_actors->len == 0 && r->sectors->len == 0 && r->cves->len == 0);
  out_bool (o, "title_source_ja", bare && ja && r->title != NULL);
  out_bool (o, "title_source_en", bare && !ja && r->title != NULL);

  out_bool (o, "has_products", n_products > 0);
  if (n_products > 0)
    {
      out_str (o, "primary_product", primary);
      out_str (o, "primary_product_en", primary_en);
    }
  out_bool (o, "products_more", n_products > 1);
  out_bool (o, "products_many", n_products > 1);

  g_autoptr (GPtrArray) flaws = flaws_of (r);
  out_bool (o, "has_flaws", flaws->len > 0);
  if (flaws->len > 0)
    {
      shr_json_out_name (o, "flaws");
      out_flaws (o, flaws);
    }

  guint n_cves = r->cves->len;
  out_bool (o, "has_cves", n_cves > 0);
  out_bool (o, "cves_many", n_cves > 1);
  if (n_cves > 0)
    {
      out_str (o, "cve_first", ((const ShrCve *)r->cves->pdata[0])->id);
      out_int (o, "cve_count", n_cves);
    }
  if (n_cves > 1)
    out_int (o, "cves_others", n_cves - 1);
  out_bool (o, "exploited", r->exploited == SHR_TRISTATE_TRUE);
  out_bool (o, "not_exploited", r->exploited == SHR_TRISTATE_FALSE);
  out_bool (o, "kev", r->kev);

  out_bool (o, "has_actors", r->threat_actors->len > 0);
  out_bool (o, "has_sectors", r->sectors->len > 0);
  out_bool (o, "has_regions", r->regions->len > 0);
  out_actors (o, r);
  out_labels (o, "sectors", r->sectors, lexicon, TRUE);
  out_labels (o, "regions", r->regions, lexicon, FALSE);
}

/* out_title_keys () into a view, after @products (products_of ()). */
static void
add_title_keys (JsonObject *v, const ShrRecord *r, const ShrLexicon *lexicon, JsonArray *products)
{
  guint n_products = json_array_get_length (products);
  const gchar *primary = NULL, *primary_en = NULL;
  if (n_products > 0)
    {
      JsonObject *first = json_array_get_object_element (products, 0);
      primary = json_object_get_string_member (first, "name");
      primary_en = json_object_get_string_member (first, "name_en");
    }
  g_autoptr (JsonBuilder) b = json_builder_new ();
  ShrJsonOut o = { .builder = b };
  shr_json_out_begin (&o, TRUE);
  out_title_keys (&o, r, lexicon, n_products, primary, primary_en);
  shr_json_out_end (&o, TRUE);
  g_autoptr (JsonObject) keys = built_object (b);
  g_autoptr (GList) names = json_object_get_members (keys);
  for (GList *l = names; l != NULL; l = l->next)
    json_object_set_member (v, l->data, json_node_copy (json_object_get_member (keys, l->data)));
}

/* The fixed versions for 一言でいうと: the first three over all products
 * [{v}], how many more, and whether they are of one product. */
static void
add_fixed_head (JsonObject *v, const ShrRecord *r)
{
  JsonArray *head = json_array_new ();
  guint total = 0, with_fix = 0;
  for (guint i = 0; i < r->products->len; i++)
    {
      const ShrProduct *p = r->products->pdata[i];
      if (p->fixed == NULL || p->fixed->len == 0)
        continue;
      with_fix++;
      for (guint j = 0; j < p->fixed->len; j++, total++)
        if (total < 3)
          {
            JsonObject *o = json_object_new ();
            set_str (o, "v", p->fixed->pdata[j]);
            json_array_add_object_element (head, o);
          }
    }
  mark_ends (head);
  set_array (v, "fixed_head", head);
  if (total > 3)
    json_object_set_int_member (v, "fixed_more", total - 3);
  set_bool (v, "fixed_one_product", with_fix == 1);
}

/* The response steps, numbered on: the update to the fixed version
 * (worded by the templates) first, then the source's mitigations, then
 * shirase's standard steps for the situation (data/steps.tsv), whose
 * Mustache is rendered here against @view. */
static void
add_steps (JsonObject *v, JsonNode *view, const ShrRecord *r, gboolean has_fixed)
{
  guint n = 0;
  if (has_fixed)
    json_object_set_int_member (v, "step_fix_n", ++n);
  g_autoptr (GPtrArray) source = shr_steps_from_source (r->mitigations, SHR_MAX_MITIGATIONS);
  JsonArray *from_source = json_array_new ();
  for (guint i = 0; i < source->len; i++)
    {
      JsonObject *o = json_object_new ();
      json_object_set_int_member (o, "n", ++n);
      set_str (o, "text", source->pdata[i]);
      json_array_add_object_element (from_source, o);
    }
  mark_ends (from_source);
  set_bool (v, "has_steps_source", source->len > 0);
  set_array (v, "steps_source", from_source);

  g_autoptr (GPtrArray) standard = shr_steps_standard (r, shr_notice_kind (r), source->len > 0);
  JsonArray *std = json_array_new ();
  for (guint i = 0; i < standard->len; i++)
    {
      const ShrStep *s = standard->pdata[i];
      g_autoptr (GError) error = NULL;
      g_autofree gchar *ja = shr_mustache_render (s->ja, view, NULL, SHR_MUSTACHE_MODE_TEXT, &error);
      g_autofree gchar *en
          = ja != NULL ? shr_mustache_render (s->en, view, NULL, SHR_MUSTACHE_MODE_TEXT, &error) : NULL;
      if (en == NULL)
        {
          g_warning ("data/steps.tsv: a step of %s: %s", s->situation, error->message);
          continue;
        }
      JsonObject *o = json_object_new ();
      json_object_set_int_member (o, "n", ++n);
      set_str (o, "situation", s->situation);
      set_str (o, "ja", ja);
      set_str (o, "en", en);
      json_array_add_object_element (std, o);
    }
  mark_ends (std);
  set_bool (v, "has_steps_standard", json_array_get_length (std) > 0);
  set_array (v, "steps_standard", std);
  /* The old key: the source's mitigations, numbered from 1. */
  set_bool (v, "has_mitigations", source->len > 0);
  set_array (v, "mitigations", numbered (source, "text", SHR_MAX_MITIGATIONS));
}

JsonNode *
shr_notice_view_new (const ShrRecord *r, const ShrMatch *m, const ShrProfile *profile,
                     const ShrLexicon *lexicon, GDateTime *now)
{
  g_return_val_if_fail (r != NULL && m != NULL && profile != NULL && now != NULL, NULL);
  JsonObject *v = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, v);

  json_object_set_object_member (v, "org", org_object (profile));

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

  g_autofree gchar *summary = r->summary != NULL ? shr_text_one_line (r->summary) : NULL;
  set_str (v, "summary", summary);
  set_bool (v, "quote_original", summary != NULL && *summary != '\0' && g_strcmp0 (r->lang, "ja") != 0);

  JsonArray *products = products_of (r, SHR_MAX_PRODUCTS);
  guint n_products = json_array_get_length (products);
  add_title_keys (v, r, lexicon, products);
  gboolean has_fixed = FALSE, versions_known = n_products > 0;
  for (guint i = 0; i < n_products; i++)
    {
      JsonObject *p = json_array_get_object_element (products, i);
      has_fixed |= json_object_get_boolean_member (p, "has_fixed");
      versions_known &= json_object_get_boolean_member (p, "versions_known");
    }
  set_bool (v, "versions_known", versions_known);
  JsonArray *fixed_products = json_array_new ();
  for (guint i = 0; i < n_products; i++)
    {
      JsonObject *p = json_array_get_object_element (products, i);
      if (!json_object_get_boolean_member (p, "has_fixed"))
        continue;
      JsonObject *f = json_object_new ();
      set_str (f, "name", json_object_get_string_member (p, "name"));
      set_str (f, "name_en", json_object_get_string_member (p, "name_en"));
      json_object_set_member (f, "fixed", json_node_copy (json_object_get_member (p, "fixed")));
      json_array_add_object_element (fixed_products, f);
    }
  mark_ends (fixed_products);
  set_array (v, "fixed_products", fixed_products);
  set_bool (v, "has_fixed", has_fixed);
  add_fixed_head (v, r);
  /* A sentence names three products at most. */
  JsonArray *head = json_array_new ();
  for (guint i = 0; i < n_products && i < 3; i++)
    json_array_add_element (head, json_node_copy (json_array_get_element (products, i)));
  mark_ends (head);
  set_array (v, "products_head", head);
  if (n_products > 3)
    json_object_set_int_member (v, "products_others", n_products - 3);
  set_array (v, "products", products);

  guint n_cves = r->cves->len;
  set_array (v, "cves", cves_of (r, G_MAXUINT));
  set_array (v, "cves_head", cves_of (r, 3));
  set_array (v, "cve_groups", cve_groups_of (r, 20));
  if (n_cves > 3)
    json_object_set_int_member (v, "cves_more", n_cves - 3);
  if (r->cvss_max >= 0)
    {
      json_object_set_double_member (v, "cvss_max", r->cvss_max);
      g_autofree gchar *text = cvss_text (r->cvss_max);
      set_str (v, "cvss_max_text", text);
      /* "CVSS 9.8" of several CVEs is the highest of their scores unless
       * they share it. */
      gboolean differ = FALSE;
      for (guint i = 0; i < n_cves && !differ; i++)
        {
          const ShrCve *c = r->cves->pdata[i];
          differ = c->cvss != r->cvss_max;
        }
      set_bool (v, "cvss_differ", differ && n_cves > 1);
    }
  set_severity (v, "severity", r->severity);
  JsonObject *vector = vector_of (r);
  if (vector != NULL)
    json_object_set_object_member (v, "vector", vector);

  g_autofree gchar *evidence = shr_text_one_line (r->exploited_evidence);
  set_str (v, "exploited_evidence", evidence);

  /* The sentence speaks of a vulnerability only when the record does. */
  set_bool (v, "vulnerability",
            g_strcmp0 (r->category, "vulnerability") == 0 || g_strcmp0 (r->category, "patch") == 0
                || n_cves > 0 || json_object_get_boolean_member (v, "has_flaws"));
  set_bool (v, "campaign", g_strcmp0 (r->category, "campaign") == 0 || r->threat_actors->len > 0);
  set_bool (v, "has_references", r->references->len > 0);

  set_bool (v, "has_checklist", m->checklist->len > 0);
  set_bool (v, "none_matched", m->verdict == SHR_VERDICT_NOT_APPLICABLE);
  set_array (v, "checklist", checklist_of (m));
  set_array (v, "owners", string_list (m->owners, G_MAXUINT));
  set_array (v, "reasons_ja", string_list (m->reasons_ja, G_MAXUINT));
  set_array (v, "reasons_en", string_list (m->reasons_en, G_MAXUINT));

  set_array (v, "references", numbered (r->references, "url", SHR_MAX_REFERENCES));
  add_steps (v, node, r, has_fixed);
  return node;
}

JsonNode *
shr_notice_digest_view_new (const ShrProfile *profile, JsonArray *items, GDateTime *now)
{
  g_return_val_if_fail (profile != NULL && items != NULL && now != NULL, NULL);
  JsonObject *v = json_object_new ();
  json_object_set_object_member (v, "org", org_object (profile));
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

/* The keys digest.txt reads, built the same way as in a notice's view,
 * and nothing else: one is made for every not-applicable mail received,
 * which is most of them, so it must cost little to build and to keep. */
static void
out_digest_item (ShrJsonOut *o, const ShrRecord *r, const ShrMatch *m, const ShrProfile *profile,
                 GDateTime *now)
{
  shr_json_out_begin (o, TRUE);
  shr_json_out_name (o, "source");
  out_source (o, r);
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  shr_json_out_name (o, "date");
  out_record_date (o, r, now, profile->timezone != NULL ? profile->timezone : utc);
  /* The title partials need the names of the first of the first two
   * products and how many of the two there are (as products_of () of
   * two would give them). */
  guint n_products = 0;
  g_autofree gchar *primary = NULL, *primary_en = NULL;
  for (guint i = 0; i < r->products->len && i < 2; i++)
    {
      const ShrProduct *p = r->products->pdata[i];
      if (p->product == NULL)
        continue;
      if (n_products++ == 0)
        {
          primary = shr_product_display_name (p->vendor, p->product, FALSE);
          primary_en = shr_product_display_name (p->vendor, p->product, TRUE);
        }
    }
  out_title_keys (o, r, shr_lexicon_get_default (NULL), n_products, primary, primary_en);
  out_string_list (o, "reasons_ja", m->reasons_ja, G_MAXUINT);
  out_string_list (o, "reasons_en", m->reasons_en, G_MAXUINT);
  shr_json_out_end (o, TRUE);
}

JsonNode *
shr_notice_digest_item_new (const ShrRecord *r, const ShrMatch *m, const ShrProfile *profile, GDateTime *now)
{
  g_return_val_if_fail (r != NULL && m != NULL && profile != NULL && now != NULL, NULL);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  ShrJsonOut o = { .builder = b };
  out_digest_item (&o, r, m, profile, now);
  return json_builder_get_root (b);
}

gchar *
shr_notice_digest_item_to_string (const ShrRecord *r, const ShrMatch *m, const ShrProfile *profile,
                                  GDateTime *now)
{
  g_return_val_if_fail (r != NULL && m != NULL && profile != NULL && now != NULL, NULL);
  ShrJsonOut o = { .text = g_string_sized_new (2048) };
  out_digest_item (&o, r, m, profile, now);
  return g_string_free (o.text, FALSE);
}

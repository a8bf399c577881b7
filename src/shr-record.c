/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "shr-record.h"

#include <string.h>

#include "shr-json-out.h"
#include "shr-limits.h"
#include "shr-time.h"

ShrCve *
shr_cve_new (const gchar *id)
{
  ShrCve *cve = g_new0 (ShrCve, 1);
  cve->id = g_strdup (id);
  cve->cvss = -1;
  return cve;
}

void
shr_cve_free (ShrCve *cve)
{
  if (cve == NULL)
    return;
  g_free (cve->id);
  g_free (cve->vector);
  g_free (cve->severity);
  g_free (cve);
}

ShrProduct *
shr_product_new (const gchar *vendor, const gchar *product)
{
  ShrProduct *p = g_new0 (ShrProduct, 1);
  p->vendor = g_strdup (vendor);
  p->product = g_strdup (product);
  p->affected = g_ptr_array_new_with_free_func (g_free);
  p->fixed = g_ptr_array_new_with_free_func (g_free);
  p->ranges = g_ptr_array_new_with_free_func ((GDestroyNotify)shr_product_range_free);
  p->conditions = g_ptr_array_new_with_free_func (g_free);
  return p;
}

static gboolean
has_latin_letter (const gchar *s)
{
  for (; s != NULL && *s != '\0'; s++)
    if (g_ascii_isalpha (*s))
      return TRUE;
  return FALSE;
}

gchar *
shr_product_display_name (const gchar *vendor, const gchar *product, gboolean english)
{
  g_return_val_if_fail (product != NULL, NULL);
  if (english && !has_latin_letter (vendor) && has_latin_letter (product))
    vendor = NULL;
  GString *name = g_string_new (NULL);
  if (vendor != NULL && *vendor != '\0' && g_ascii_strncasecmp (product, vendor, strlen (vendor)) != 0)
    g_string_append_printf (name, "%s ", vendor);
  g_string_append (name, product);
  static const struct
  {
    const gchar *ja, *en;
  } words[] = { { "シリーズ", " series" }, { "モデル", " model" } };
  for (guint i = 0; english && i < G_N_ELEMENTS (words); i++)
    if (g_str_has_suffix (name->str, words[i].ja) && name->len > strlen (words[i].ja))
      {
        g_string_truncate (name, name->len - strlen (words[i].ja));
        while (name->len > 0 && name->str[name->len - 1] == ' ')
          g_string_truncate (name, name->len - 1);
        g_string_append (name, words[i].en);
        break;
      }
  return g_string_free (name, FALSE);
}

ShrProduct *
shr_product_copy (const ShrProduct *product)
{
  g_return_val_if_fail (product != NULL, NULL);
  ShrProduct *p = shr_product_new (product->vendor, product->product);
  for (guint i = 0; i < product->affected->len; i++)
    g_ptr_array_add (p->affected, g_strdup (product->affected->pdata[i]));
  for (guint i = 0; i < product->fixed->len; i++)
    g_ptr_array_add (p->fixed, g_strdup (product->fixed->pdata[i]));
  for (guint i = 0; i < product->ranges->len; i++)
    {
      const ShrProductRange *r = product->ranges->pdata[i];
      shr_product_add_range (p, r->train, r->introduced, r->last_affected, r->fixed, r->unaffected, r->text);
    }
  for (guint i = 0; i < product->conditions->len; i++)
    g_ptr_array_add (p->conditions, g_strdup (product->conditions->pdata[i]));
  p->ecosystem = g_strdup (product->ecosystem);
  p->others_unaffected = product->others_unaffected;
  return p;
}

void
shr_product_range_free (ShrProductRange *range)
{
  if (range == NULL)
    return;
  g_free (range->train);
  g_free (range->introduced);
  g_free (range->last_affected);
  g_free (range->fixed);
  g_free (range->text);
  g_free (range);
}

ShrProductRange *
shr_product_add_range (ShrProduct *product, const gchar *train, const gchar *introduced,
                       const gchar *last_affected, const gchar *fixed, gboolean unaffected, const gchar *text)
{
  for (guint i = 0; i < product->ranges->len; i++)
    {
      ShrProductRange *r = g_ptr_array_index (product->ranges, i);
      if (g_strcmp0 (r->train, train) == 0 && g_strcmp0 (r->introduced, introduced) == 0
          && g_strcmp0 (r->last_affected, last_affected) == 0 && g_strcmp0 (r->fixed, fixed) == 0
          && r->unaffected == unaffected)
        return r;
    }
  if (product->ranges->len >= SHR_MAX_RANGES)
    return NULL;
  ShrProductRange *r = g_new0 (ShrProductRange, 1);
  r->train = g_strdup (train);
  r->introduced = g_strdup (introduced);
  r->last_affected = g_strdup (last_affected);
  r->fixed = g_strdup (fixed);
  r->unaffected = unaffected;
  r->text = g_strdup (text);
  g_ptr_array_add (product->ranges, r);
  return r;
}

void
shr_product_free (ShrProduct *product)
{
  if (product == NULL)
    return;
  g_free (product->vendor);
  g_free (product->product);
  g_ptr_array_unref (product->affected);
  g_ptr_array_unref (product->fixed);
  g_ptr_array_unref (product->ranges);
  g_free (product->ecosystem);
  g_ptr_array_unref (product->conditions);
  g_free (product);
}

void
shr_actor_names_free (ShrActorNames *names)
{
  if (names == NULL)
    return;
  g_free (names->name);
  g_ptr_array_unref (names->aliases);
  g_free (names);
}

ShrRecord *
shr_record_new (void)
{
  ShrRecord *r = g_new0 (ShrRecord, 1);
  r->cves = g_ptr_array_new_with_free_func ((GDestroyNotify)shr_cve_free);
  r->products = g_ptr_array_new_with_free_func ((GDestroyNotify)shr_product_free);
  r->threat_actors = g_ptr_array_new_with_free_func (g_free);
  r->actor_aliases = g_ptr_array_new_with_free_func ((GDestroyNotify)shr_actor_names_free);
  r->reported_by = g_ptr_array_new_with_free_func (g_free);
  r->sectors = g_ptr_array_new_with_free_func (g_free);
  r->regions = g_ptr_array_new_with_free_func (g_free);
  r->mitigations = g_ptr_array_new_with_free_func (g_free);
  r->references = g_ptr_array_new_with_free_func (g_free);
  r->warnings = g_ptr_array_new_with_free_func (g_free);
  r->evidence = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  r->cvss_max = -1;
  return r;
}

void
shr_record_free (ShrRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->source_kind);
  g_free (r->source_name);
  g_free (r->advisory_id);
  g_free (r->source_url);
  g_free (r->message_id);
  g_free (r->date);
  g_free (r->from);
  g_free (r->forwarded_by);
  g_free (r->lang);
  g_free (r->title);
  g_free (r->summary);
  g_free (r->category);
  g_free (r->digest_title);
  g_ptr_array_unref (r->cves);
  g_free (r->severity);
  g_ptr_array_unref (r->products);
  g_free (r->exploited_evidence);
  g_ptr_array_unref (r->threat_actors);
  g_ptr_array_unref (r->actor_aliases);
  g_ptr_array_unref (r->reported_by);
  g_ptr_array_unref (r->sectors);
  g_ptr_array_unref (r->regions);
  g_ptr_array_unref (r->mitigations);
  g_ptr_array_unref (r->references);
  g_hash_table_unref (r->evidence);
  g_ptr_array_unref (r->warnings);
  g_free (r);
}

ShrCve *
shr_record_find_cve (const ShrRecord *record, const gchar *id)
{
  for (guint i = 0; i < record->cves->len; i++)
    {
      ShrCve *cve = g_ptr_array_index (record->cves, i);
      /* Ids are stored as the extractor writes them: "CVE-" upper case. */
      if (strcmp (cve->id, id) == 0)
        return cve;
    }
  return NULL;
}

ShrCve *
shr_record_add_cve (ShrRecord *record, const gchar *id)
{
  ShrCve *cve = shr_record_find_cve (record, id);
  if (cve != NULL)
    return cve;
  if (record->cves->len >= SHR_MAX_CVES)
    {
      static const gchar note[] = "more than %d CVE ids: the rest were not kept";
      g_autofree gchar *w = g_strdup_printf (note, SHR_MAX_CVES);
      shr_strv_add_unique (record->warnings, w);
      return NULL;
    }
  cve = shr_cve_new (id);
  g_ptr_array_add (record->cves, cve);
  return cve;
}

ShrProduct *
shr_record_add_product (ShrRecord *record, const gchar *vendor, const gchar *product)
{
  for (guint i = 0; i < record->products->len; i++)
    {
      ShrProduct *p = g_ptr_array_index (record->products, i);
      if (g_strcmp0 (p->vendor, vendor) == 0 && g_ascii_strcasecmp (p->product, product) == 0)
        return p;
    }
  if (record->products->len >= SHR_MAX_PRODUCTS)
    return NULL;
  ShrProduct *p = shr_product_new (vendor, product);
  g_ptr_array_add (record->products, p);
  return p;
}

static gchar *
name_key (const gchar *name)
{
  g_autofree gchar *nfkc = g_utf8_normalize (name, -1, G_NORMALIZE_NFKC);
  return g_utf8_casefold (nfkc != NULL ? nfkc : "", -1);
}

ShrActorNames *
shr_record_add_actor (ShrRecord *record, const gchar *name)
{
  g_return_val_if_fail (record != NULL && name != NULL, NULL);
  g_autofree gchar *key = name_key (name);
  for (guint i = 0; i < record->actor_aliases->len; i++)
    {
      ShrActorNames *a = record->actor_aliases->pdata[i];
      g_autofree gchar *other = name_key (a->name);
      if (strcmp (key, other) == 0)
        return a;
    }
  if (record->actor_aliases->len >= SHR_MAX_ACTORS)
    return NULL;
  ShrActorNames *a = g_new0 (ShrActorNames, 1);
  a->name = g_strdup (name);
  a->aliases = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (record->actor_aliases, a);
  g_ptr_array_add (record->threat_actors, g_strdup (name));
  return a;
}

gboolean
shr_strv_add_unique (GPtrArray *array, const gchar *value)
{
  if (value == NULL || *value == '\0')
    return FALSE;
  for (guint i = 0; i < array->len; i++)
    if (g_strcmp0 (g_ptr_array_index (array, i), value) == 0)
      return FALSE;
  g_ptr_array_add (array, g_strdup (value));
  return TRUE;
}

void
shr_record_set_evidence (ShrRecord *record, const gchar *field, const gchar *sentence)
{
  if (sentence == NULL || g_hash_table_contains (record->evidence, field))
    return;
  g_autofree gchar *stripped = g_strstrip (g_strdup (sentence));
  /* Evidence comes from many lines of a wrapped paragraph; show it as one. */
  for (gchar *p = stripped; *p; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t')
      *p = ' ';
  gsize len = strlen (stripped);
  gchar *value;
  if (len <= SHR_MAX_EVIDENCE_BYTES)
    value = g_steal_pointer (&stripped);
  else
    {
      const gchar *end = g_utf8_find_prev_char (stripped, stripped + SHR_MAX_EVIDENCE_BYTES + 1);
      g_autofree gchar *head = g_strndup (stripped, end ? (gsize)(end - stripped) : 0);
      value = g_strconcat (head, "…", NULL);
    }
  g_hash_table_insert (record->evidence, g_strdup (field), value);
}

void
shr_record_add_warning (ShrRecord *record, const gchar *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_autofree gchar *w = g_strdup_vprintf (format, ap);
  va_end (ap);
  shr_strv_add_unique (record->warnings, w);
}

static gint
compare_cve_ids (gconstpointer a, gconstpointer b)
{
  const ShrCve *x = *(ShrCve *const *)a;
  const ShrCve *y = *(ShrCve *const *)b;
  return strcmp (x->id, y->id);
}

const gchar *
shr_severity_normalize (const gchar *word)
{
  static const struct
  {
    const gchar *word;
    const gchar *norm;
  } table[] = {
    { "critical", "critical" }, { "緊急", "critical" }, { "重大", "critical" }, { "high", "high" },
    { "important", "high" },    { "重要", "high" },     { "高", "high" },       { "moderate", "medium" },
    { "medium", "medium" },     { "normal", "medium" }, { "警告", "medium" },   { "中", "medium" },
    { "low", "low" },           { "注意", "low" },      { "低", "low" },
  };
  if (word == NULL)
    return NULL;
  g_autofree gchar *w = g_utf8_casefold (word, -1);
  g_strstrip (w);
  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    if (strcmp (w, table[i].word) == 0)
      return table[i].norm;
  return NULL;
}

gint
shr_severity_rank (const gchar *severity)
{
  if (g_strcmp0 (severity, "critical") == 0)
    return 4;
  if (g_strcmp0 (severity, "high") == 0)
    return 3;
  if (g_strcmp0 (severity, "medium") == 0)
    return 2;
  if (g_strcmp0 (severity, "low") == 0)
    return 1;
  return 0;
}

static const gchar *
severity_from_cvss (gdouble score)
{
  /* CVSS v3 qualitative rating scale (FIRST). */
  if (score >= 9.0)
    return "critical";
  if (score >= 7.0)
    return "high";
  if (score >= 4.0)
    return "medium";
  if (score > 0.0)
    return "low";
  return NULL;
}

void
shr_record_finish (ShrRecord *record)
{
  g_ptr_array_sort (record->cves, compare_cve_ids);
  for (guint i = 0; i < record->cves->len; i++)
    {
      ShrCve *cve = g_ptr_array_index (record->cves, i);
      if (cve->cvss > record->cvss_max)
        record->cvss_max = cve->cvss;
      if (cve->severity == NULL && cve->cvss >= 0)
        cve->severity = g_strdup (severity_from_cvss (cve->cvss));
    }

  if (record->id == NULL)
    {
      if (record->advisory_id != NULL)
        record->id = g_strdup_printf ("%s:%s", record->source_kind ? record->source_kind : "other",
                                      record->advisory_id);
      else
        {
          /* No id of its own: hash what identifies the content, so the same
           * article forwarded twice gets the same id. */
          g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
          if (record->title)
            g_checksum_update (sum, (const guchar *)record->title, -1);
          for (guint i = 0; i < record->cves->len; i++)
            {
              ShrCve *cve = g_ptr_array_index (record->cves, i);
              g_checksum_update (sum, (const guchar *)cve->id, -1);
            }
          if (record->source_url)
            g_checksum_update (sum, (const guchar *)record->source_url, -1);
          g_autofree gchar *hex = g_strndup (g_checksum_get_string (sum), 16);
          record->id = g_strdup_printf ("%s:%s", record->source_kind ? record->source_kind : "other", hex);
        }
    }
}

/* ---- the record's JSON --------------------------------------------------- */

/* One walk over the record writes either the tree shr_match_to_json embeds
 * or the text shr_record_to_json_string returns (shr-json-out.h). */
static void
add_string_or_null (ShrJsonOut *b, const gchar *name, const gchar *value)
{
  shr_json_out_name (b, name);
  if (value != NULL)
    shr_json_out_string (b, value);
  else
    shr_json_out_null (b);
}

static void
add_number_or_null (ShrJsonOut *b, const gchar *name, gdouble value)
{
  shr_json_out_name (b, name);
  if (value >= 0)
    shr_json_out_double (b, value);
  else
    shr_json_out_null (b);
}

static void
add_strv (ShrJsonOut *b, const gchar *name, GPtrArray *array)
{
  shr_json_out_name (b, name);
  shr_json_out_begin (b, FALSE);
  for (guint i = 0; i < array->len; i++)
    shr_json_out_string (b, g_ptr_array_index (array, i));
  shr_json_out_end (b, FALSE);
}

static void
write_record (ShrJsonOut *b, const ShrRecord *r)
{
  shr_json_out_begin (b, TRUE);
  add_string_or_null (b, "schema", SHR_RECORD_SCHEMA);
  add_string_or_null (b, "id", r->id);

  shr_json_out_name (b, "source");
  shr_json_out_begin (b, TRUE);
  add_string_or_null (b, "kind", r->source_kind ? r->source_kind : "other");
  add_string_or_null (b, "name", r->source_name);
  add_string_or_null (b, "advisory_id", r->advisory_id);
  add_string_or_null (b, "url", r->source_url);
  shr_json_out_end (b, TRUE);

  shr_json_out_name (b, "received");
  shr_json_out_begin (b, TRUE);
  add_string_or_null (b, "message_id", r->message_id);
  /* RFC 3339 where the date has a zone; a forward that gave none keeps
   * the time as written, without an offset that would be invented. */
  g_autofree gchar *date = shr_time_rfc3339_from_iso8601 (r->date);
  add_string_or_null (b, "date", date != NULL ? date : r->date);
  add_string_or_null (b, "from", r->from);
  add_string_or_null (b, "forwarded_by", r->forwarded_by);
  shr_json_out_end (b, TRUE);

  add_string_or_null (b, "lang", r->lang);
  add_string_or_null (b, "title", r->title);
  add_string_or_null (b, "summary", r->summary);
  add_string_or_null (b, "category", r->category);

  shr_json_out_name (b, "cves");
  shr_json_out_begin (b, FALSE);
  for (guint i = 0; i < r->cves->len; i++)
    {
      ShrCve *cve = g_ptr_array_index (r->cves, i);
      shr_json_out_begin (b, TRUE);
      add_string_or_null (b, "id", cve->id);
      add_number_or_null (b, "cvss", cve->cvss);
      add_string_or_null (b, "vector", cve->vector);
      add_string_or_null (b, "severity", cve->severity);
      shr_json_out_end (b, TRUE);
    }
  shr_json_out_end (b, FALSE);
  add_number_or_null (b, "cvss_max", r->cvss_max);
  add_string_or_null (b, "severity", r->severity);

  shr_json_out_name (b, "products");
  shr_json_out_begin (b, FALSE);
  for (guint i = 0; i < r->products->len; i++)
    {
      ShrProduct *p = g_ptr_array_index (r->products, i);
      shr_json_out_begin (b, TRUE);
      add_string_or_null (b, "vendor", p->vendor);
      add_string_or_null (b, "product", p->product);
      add_strv (b, "affected", p->affected);
      add_strv (b, "fixed", p->fixed);
      add_string_or_null (b, "ecosystem", p->ecosystem);
      shr_json_out_name (b, "ranges");
      shr_json_out_begin (b, FALSE);
      for (guint k = 0; k < p->ranges->len; k++)
        {
          const ShrProductRange *rg = g_ptr_array_index (p->ranges, k);
          shr_json_out_begin (b, TRUE);
          add_string_or_null (b, "train", rg->train);
          /* OSV's events, in its order; an unaffected train has none. */
          shr_json_out_name (b, "events");
          shr_json_out_begin (b, FALSE);
          if (!rg->unaffected)
            {
              shr_json_out_begin (b, TRUE);
              shr_json_out_name (b, "introduced");
              shr_json_out_string (b, rg->introduced ? rg->introduced : "0");
              shr_json_out_end (b, TRUE);
              if (rg->fixed != NULL || rg->last_affected != NULL)
                {
                  shr_json_out_begin (b, TRUE);
                  shr_json_out_name (b, rg->fixed ? "fixed" : "last_affected");
                  shr_json_out_string (b, rg->fixed ? rg->fixed : rg->last_affected);
                  shr_json_out_end (b, TRUE);
                }
            }
          shr_json_out_end (b, FALSE);
          if (rg->fixed != NULL && rg->last_affected != NULL)
            add_string_or_null (b, "last_affected", rg->last_affected);
          shr_json_out_name (b, "unaffected");
          shr_json_out_boolean (b, rg->unaffected);
          add_string_or_null (b, "text", rg->text);
          shr_json_out_end (b, TRUE);
        }
      shr_json_out_end (b, FALSE);
      add_strv (b, "conditions", p->conditions);
      shr_json_out_name (b, "others_unaffected");
      shr_json_out_boolean (b, p->others_unaffected);
      shr_json_out_end (b, TRUE);
    }
  shr_json_out_end (b, FALSE);

  shr_json_out_name (b, "exploited");
  shr_json_out_begin (b, TRUE);
  shr_json_out_name (b, "value");
  if (r->exploited == SHR_TRISTATE_UNKNOWN)
    shr_json_out_null (b);
  else
    shr_json_out_boolean (b, r->exploited == SHR_TRISTATE_TRUE);
  add_string_or_null (b, "evidence", r->exploited_evidence);
  shr_json_out_end (b, TRUE);
  shr_json_out_name (b, "kev");
  shr_json_out_boolean (b, r->kev);

  shr_json_out_name (b, "item");
  if (r->items == 0)
    shr_json_out_null (b);
  else
    {
      shr_json_out_begin (b, TRUE);
      shr_json_out_name (b, "index");
      shr_json_out_int (b, r->item);
      shr_json_out_name (b, "of");
      shr_json_out_int (b, r->items);
      add_string_or_null (b, "digest", r->digest_title);
      shr_json_out_end (b, TRUE);
    }

  add_strv (b, "threat_actors", r->threat_actors);
  shr_json_out_name (b, "actor_aliases");
  shr_json_out_begin (b, FALSE);
  for (guint i = 0; i < r->actor_aliases->len; i++)
    {
      const ShrActorNames *a = r->actor_aliases->pdata[i];
      shr_json_out_begin (b, TRUE);
      add_string_or_null (b, "name", a->name);
      add_strv (b, "aliases", a->aliases);
      shr_json_out_end (b, TRUE);
    }
  shr_json_out_end (b, FALSE);
  add_strv (b, "reported_by", r->reported_by);
  add_strv (b, "sectors", r->sectors);
  add_strv (b, "regions", r->regions);
  add_strv (b, "mitigations", r->mitigations);
  add_strv (b, "references", r->references);

  shr_json_out_name (b, "evidence");
  shr_json_out_begin (b, TRUE);
  g_autoptr (GList) keys = g_hash_table_get_keys (r->evidence);
  keys = g_list_sort (keys, (GCompareFunc)strcmp);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      shr_json_out_name (b, l->data);
      shr_json_out_string (b, g_hash_table_lookup (r->evidence, l->data));
    }
  shr_json_out_end (b, TRUE);

  add_strv (b, "warnings", r->warnings);
  shr_json_out_end (b, TRUE);
}

JsonNode *
shr_record_to_json (const ShrRecord *r)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  ShrJsonOut out = { .builder = builder };
  write_record (&out, r);
  return json_builder_get_root (builder);
}

static gboolean
round_score (const GMatchInfo *m, GString *out, gpointer data)
{
  g_autofree gchar *number = g_match_info_fetch (m, 1);
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.1f", g_ascii_strtod (number, NULL)));
  return FALSE;
}

/* The next '.' at or after @from that a long number's fraction may follow:
 * ten digits or more, or a character that is not ASCII (which \d may take
 * for a digit). NULL when there is none. */
static const gchar *
next_long_fraction (const gchar *from)
{
  for (const gchar *dot = strchr (from, '.'); dot != NULL; dot = strchr (dot + 1, '.'))
    {
      const gchar *c = dot + 1;
      while (g_ascii_isdigit (*c))
        c++;
      if (c - dot - 1 >= 10 || (guchar)*c >= 0x80)
        return dot;
    }
  return NULL;
}

gchar *
shr_record_to_json_string (const ShrRecord *record, gboolean pretty)
{
  ShrJsonOut json = { .text = g_string_sized_new (4096), .pretty = pretty };
  write_record (&json, record);
  g_autofree gchar *text = g_string_free (json.text, FALSE);
  /* json-glib prints doubles with 17 significant digits (8.1 comes out as
   * 8.0999999999999996); every number in a record is a CVSS score with
   * one decimal, so print it as the advisory wrote it. */
  static GRegex *long_number;
  if (g_once_init_enter (&long_number))
    g_once_init_leave (&long_number, g_regex_new ("(?<=[:\\s\\[])(\\d{1,2}\\.\\d{10,})(?=[,\\s}\\]])",
                                                  G_REGEX_OPTIMIZE, 0, NULL));
  /* The pattern runs only from where such a number may stand: over the
   * whole record it cost as much as the rest of the serialisation. */
  GString *out = NULL;
  gsize copied = 0;
  for (const gchar *dot = next_long_fraction (text); dot != NULL; dot = next_long_fraction (text + copied))
    {
      /* A match starts at most two digits (of up to four bytes each)
       * before its '.', on a character's first byte. */
      gsize start = (gsize)(dot - text) > copied + 8 ? (gsize)(dot - text) - 8 : copied;
      while (start > copied && (text[start] & 0xC0) == 0x80)
        start--;
      g_autoptr (GMatchInfo) m = NULL;
      if (!g_regex_match_full (long_number, text, -1, start, 0, &m, NULL))
        break;
      gint from = 0, to = 0;
      g_match_info_fetch_pos (m, 0, &from, &to);
      if (out == NULL)
        out = g_string_new (NULL);
      g_string_append_len (out, text + copied, from - copied);
      round_score (m, out, NULL);
      copied = to;
    }
  if (out == NULL)
    return g_steal_pointer (&text);
  g_string_append (out, text + copied);
  return g_string_free (out, FALSE);
}

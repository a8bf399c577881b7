/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-steps.c — the source's mitigations as steps, and shirase's
 * standard steps by situation (data/steps.tsv). */
#include "config.h"

#include "shr-steps.h"

#include <string.h>

#include "shr-lexicon.h"
#include "shr-notice.h"
#include "shr-text.h"

/* ---- what a notice is about ------------------------------------------------ */

ShrNoticeKind
shr_notice_kind (const ShrRecord *r)
{
  const gchar *cat = r->category;
  gboolean about_flaw = g_strcmp0 (cat, "vulnerability") == 0 || g_strcmp0 (cat, "patch") == 0;
  if (g_strcmp0 (cat, "campaign") == 0
      || (r->threat_actors->len > 0 && !about_flaw && g_strcmp0 (cat, "incident") != 0))
    return SHR_NOTICE_CAMPAIGN;
  if (g_strcmp0 (cat, "incident") == 0)
    return SHR_NOTICE_INCIDENT;
  if (about_flaw || r->cves->len > 0)
    return SHR_NOTICE_VULNERABILITY;
  return SHR_NOTICE_INFORMATION;
}

const gchar *
shr_notice_kind_to_string (ShrNoticeKind kind)
{
  static const gchar *const names[] = { "vulnerability", "campaign", "incident", "information" };
  return names[kind];
}

/* ---- the source's mitigations ---------------------------------------------- */

static gboolean
has_cjk (const gchar *s)
{
  for (const gchar *p = s; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x4E00 && c <= 0x9FFF))
        return TRUE;
    }
  return FALSE;
}

typedef struct
{
  GRegex *marker;  /* a list marker at the start */
  GRegex *split;   /* "… . 2. …": a second numbered step after a sentence */
  GRegex *link;    /* [text](url) */
  GRegex *heading; /* "Solution:" before the step */
  GRegex *url;     /* a URL */
  GRegex *pointer; /* what is left of a link stub once its URLs are gone */
  GRegex *none;    /* "No workarounds are available": a fact, not a step */
} Patterns;

static const Patterns *
patterns (void)
{
  static Patterns p;
  static gsize done;
  if (g_once_init_enter (&done))
    {
      GRegexCompileFlags f = G_REGEX_OPTIMIZE;
      p.marker = g_regex_new ("^\\s*(?:\\(?\\d{1,2}[.)）]\\s*|[①-⑳]\\s*|[・•●◆■*\\-–]\\s*)", f, 0, NULL);
      p.split = g_regex_new ("(?<=[.。;；])\\s*(?=\\(?\\d{1,2}[.)]\\s|[①-⑳]|・)", f, 0, NULL);
      p.link = g_regex_new ("\\[([^\\]\\n]+)\\]\\((?:https?://|mailto:)[^)\\s]*\\)", f, 0, NULL);
      p.heading = g_regex_new (
          "^(?:solutions?|workarounds?|mitigations?|remediation|recommendations?|recommended "
          "actions?|fix(?:es)?|対策|回避策|解決策|推奨(?:事項|される対策)?|対処方法)\\s*[:：]\\s*",
          f | G_REGEX_CASELESS, 0, NULL);
      p.url = g_regex_new ("(?:https?|ftp)://\\S+", f, 0, NULL);
      p.pointer = g_regex_new (
          "^(?:[\\s\\p{P}]*(?:please|see|refer\\s+to|visit|read|for|more|details|information|link|"
          "here|the|詳細は|詳しくは|を?参照(?:してください)?|をご覧ください|以下|下記))*[\\s\\p{P}]*$",
          f | G_REGEX_CASELESS, 0, NULL);
      p.none = g_regex_new (
          "^(?:there\\s+(?:are|is)\\s+)?no\\s+(?:known\\s+)?(?:workarounds?|mitigations?|fix(?:es)?)\\b"
          "|^(?:回避策|緩和策)(?:は|が)(?:ありません|存在しません|ない)",
          f | G_REGEX_CASELESS, 0, NULL);
      g_once_init_leave (&done, 1);
    }
  return &p;
}

/* The letters and digits of @s, casefolded: two steps that differ only in
 * punctuation, case or spacing are one. */
static gchar *
step_key (const gchar *s)
{
  g_autofree gchar *folded = g_utf8_casefold (s, -1);
  GString *k = g_string_new (NULL);
  for (const gchar *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_isalnum (c))
        g_string_append_unichar (k, c);
    }
  return g_string_free (k, FALSE);
}

static gchar *
as_sentence (const gchar *text)
{
  gsize n = strlen (text);
  const gchar *last = g_utf8_prev_char (text + n);
  gunichar c = g_utf8_get_char (last);
  if (!g_unichar_isalnum (c))
    return g_strdup (text);
  return g_strconcat (text, has_cjk (text) ? "。" : ".", NULL);
}

/* One piece of a mitigation as a step, or NULL when it is none. */
static gchar *
one_step (const Patterns *p, const gchar *piece)
{
  g_autofree gchar *a = g_regex_replace (p->marker, piece, -1, 0, "", 0, NULL);
  g_autofree gchar *b = g_regex_replace (p->link, a, -1, 0, "\\1", 0, NULL);
  g_autofree gchar *c = g_regex_replace (p->heading, b, -1, 0, "", 0, NULL);
  g_autofree gchar *text = shr_text_one_line (c);
  if (*text == '\0')
    return NULL;
  /* A line that ends in a colon introduces a list or is a heading. */
  if (g_str_has_suffix (text, ":") || g_str_has_suffix (text, "："))
    return NULL;
  g_autofree gchar *bare = g_regex_replace (p->url, text, -1, 0, "", 0, NULL);
  if (g_regex_match (p->pointer, bare, 0, NULL) || g_regex_match (p->none, text, 0, NULL))
    return NULL;
  return as_sentence (text);
}

GPtrArray *
shr_steps_from_source (const GPtrArray *mitigations, guint max)
{
  const Patterns *p = patterns ();
  GPtrArray *steps = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; mitigations != NULL && i < mitigations->len && steps->len < max; i++)
    {
      g_autofree gchar *line = shr_text_one_line (mitigations->pdata[i]);
      g_auto (GStrv) pieces = g_regex_split (p->split, line, 0);
      for (guint j = 0; pieces[j] != NULL && steps->len < max; j++)
        {
          g_autofree gchar *step = one_step (p, pieces[j]);
          if (step == NULL)
            continue;
          gchar *key = step_key (step);
          if (*key == '\0' || g_hash_table_contains (seen, key))
            {
              g_free (key);
              continue;
            }
          g_hash_table_add (seen, key);
          g_ptr_array_add (steps, g_steal_pointer (&step));
        }
    }
  return steps;
}

/* ---- standard steps (data/steps.tsv) ---------------------------------------- */

typedef struct
{
  const gchar *name;
  gchar **words; /* casefolded */
} ProductClass;

typedef struct
{
  GPtrArray *classes; /* ProductClass*, in file order */
  GPtrArray *steps;   /* ShrStep*, in file order */
} StepTable;

/* Read once and kept for the process, like data/flaws.tsv. */
static const StepTable *
step_table (void)
{
  static StepTable *table;
  static GMutex lock;
  g_mutex_lock (&lock);
  if (table == NULL)
    {
      table = g_new0 (StepTable, 1);
      table->classes = g_ptr_array_new ();
      table->steps = g_ptr_array_new ();
      const GPtrArray *rows = shr_notice_data_rows ("steps.tsv");
      for (guint i = 0; i < rows->len; i++)
        {
          const ShrDataRow *row = rows->pdata[i];
          gchar **f = row->fields;
          if (f[0][0] == '@' && row->n_fields == 2)
            {
              ProductClass *c = g_new0 (ProductClass, 1);
              c->name = f[0] + 1;
              g_autofree gchar *folded = g_utf8_casefold (f[1], -1);
              c->words = g_strsplit (folded, "|", -1);
              g_ptr_array_add (table->classes, c);
            }
          else if (f[0][0] != '@' && row->n_fields == 3)
            {
              ShrStep *step = g_new0 (ShrStep, 1);
              step->situation = f[0];
              step->ja = f[1];
              step->en = f[2];
              g_ptr_array_add (table->steps, step);
            }
          else
            g_warning ("%s:%u: expected \"@CLASS<TAB>words\" or \"SITUATION<TAB>ja<TAB>en\"", row->path,
                       row->line);
        }
    }
  g_mutex_unlock (&lock);
  return table;
}

/* The first class (in file order) one of the record's products is in. */
static const gchar *
product_class (const StepTable *t, const ShrRecord *r)
{
  for (guint c = 0; c < t->classes->len; c++)
    {
      const ProductClass *pc = t->classes->pdata[c];
      for (guint i = 0; i < r->products->len; i++)
        {
          const ShrProduct *p = r->products->pdata[i];
          g_autofree gchar *name = g_strjoin (" ", p->vendor != NULL ? p->vendor : "", p->product, NULL);
          g_autofree gchar *folded = g_utf8_casefold (name, -1);
          for (guint w = 0; pc->words[w] != NULL; w++)
            if (*pc->words[w] != '\0' && strstr (folded, pc->words[w]) != NULL)
              return pc->name;
        }
    }
  return NULL;
}

static void
add_situation (GPtrArray *out, const StepTable *t, const gchar *situation)
{
  for (guint i = 0; i < t->steps->len; i++)
    {
      ShrStep *s = t->steps->pdata[i];
      if (strcmp (s->situation, situation) == 0)
        g_ptr_array_add (out, s);
    }
}

/* The situation of an exploited product: its class's, when data/steps.tsv
 * has steps for it, else the general one. */
static void
add_exploited (GPtrArray *out, const StepTable *t, const ShrRecord *r)
{
  const gchar *cls = product_class (t, r);
  if (cls != NULL)
    {
      g_autofree gchar *situation = g_strconcat ("exploited-", cls, NULL);
      guint before = out->len;
      add_situation (out, t, situation);
      if (out->len > before)
        return;
    }
  add_situation (out, t, "exploited");
}

GPtrArray *
shr_steps_standard (const ShrRecord *r, ShrNoticeKind kind, gboolean source_steps)
{
  const StepTable *t = step_table ();
  GPtrArray *out = g_ptr_array_new ();
  gboolean exploited_product = r->exploited == SHR_TRISTATE_TRUE && r->products->len > 0;
  switch (kind)
    {
    case SHR_NOTICE_CAMPAIGN:
    case SHR_NOTICE_INCIDENT:
      /* The entry point first: it is what to close. */
      if (exploited_product)
        add_exploited (out, t, r);
      add_situation (out, t, kind == SHR_NOTICE_CAMPAIGN ? "campaign" : "incident");
      break;
    case SHR_NOTICE_VULNERABILITY:
      if (source_steps)
        break;
      if (r->exploited == SHR_TRISTATE_TRUE)
        add_exploited (out, t, r);
      else
        {
          gboolean fixed = FALSE;
          for (guint i = 0; i < r->products->len && !fixed; i++)
            {
              const ShrProduct *p = r->products->pdata[i];
              fixed = p->fixed != NULL && p->fixed->len > 0;
            }
          if (!fixed)
            add_situation (out, t, "no-fix");
        }
      break;
    case SHR_NOTICE_INFORMATION:
      break;
    }
  return out;
}

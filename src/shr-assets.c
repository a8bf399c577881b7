/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-assets.c — reading inventories (dpkg, rpm, CSV) into assets. */
#include "config.h"

#include "shr-assets.h"

#include <string.h>

#include "shr-error.h"

gboolean
shr_assets_format_parse (const gchar *word, ShrAssetsFormat *format)
{
  g_return_val_if_fail (format != NULL, FALSE);
  if (g_strcmp0 (word, "dpkg") == 0)
    *format = SHR_ASSETS_DPKG;
  else if (g_strcmp0 (word, "rpm") == 0)
    *format = SHR_ASSETS_RPM;
  else if (g_strcmp0 (word, "csv") == 0)
    *format = SHR_ASSETS_CSV;
  else
    return FALSE;
  return TRUE;
}

/* A name fit for "[asset NAME]": letters, digits, . _ + -; anything else
 * becomes '-'. */
static gchar *
slug (const gchar *prefix, const gchar *text)
{
  GString *s = g_string_new (prefix);
  gboolean dash = FALSE;
  for (const gchar *p = text; *p; p++)
    {
      if (g_ascii_isalnum (*p) || strchr ("._+", *p) != NULL)
        {
          if (dash && s->len > 0 && s->str[s->len - 1] != '-')
            g_string_append_c (s, '-');
          g_string_append_c (s, g_ascii_tolower (*p));
          dash = FALSE;
        }
      else
        dash = TRUE;
    }
  if (s->len == strlen (prefix))
    g_string_append (s, "asset");
  return g_string_free (s, FALSE);
}

static gchar *
unique_name (GHashTable *names, const gchar *base)
{
  gchar *name = g_strdup (base);
  for (guint n = 2; g_hash_table_contains (names, name); n++)
    {
      g_free (name);
      name = g_strdup_printf ("%s-%u", base, n);
    }
  g_hash_table_add (names, g_strdup (name));
  return name;
}

static gboolean
check_version (ShrAsset *a, const gchar *source, guint line, GError **error)
{
  g_autoptr (GError) local = NULL;
  if (shr_version_validate (a->scheme, a->version, &local))
    return TRUE;
  g_set_error (error, SHR_CONFIG_ERROR, SHR_CONFIG_ERROR_INVALID_VALUE, "%s:%u: %s", source, line,
               local->message);
  return FALSE;
}

/* One CSV record from @p (RFC 4180: quoted fields, "" inside quotes);
 * advances @p past the line end. NULL at the end of input. */
static GPtrArray *
csv_record (const gchar **p, gboolean *bad_quote)
{
  if (**p == '\0')
    return NULL;
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  GString *f = g_string_new (NULL);
  gboolean quoted = FALSE;
  const gchar *s = *p;
  *bad_quote = FALSE;
  for (;;)
    {
      gchar c = *s;
      if (quoted)
        {
          if (c == '\0')
            {
              *bad_quote = TRUE;
              break;
            }
          if (c == '"' && s[1] == '"')
            {
              g_string_append_c (f, '"');
              s += 2;
              continue;
            }
          if (c == '"')
            quoted = FALSE;
          else
            g_string_append_c (f, c);
          s++;
          continue;
        }
      if (c == '"' && f->len == 0)
        {
          quoted = TRUE;
          s++;
          continue;
        }
      if (c == ',' || c == '\n' || c == '\0' || (c == '\r' && s[1] == '\n'))
        {
          g_ptr_array_add (fields, g_strstrip (g_string_free (f, FALSE)));
          f = g_string_new (NULL);
          if (c == ',')
            {
              s++;
              continue;
            }
          if (c == '\r')
            s++;
          if (*s == '\n')
            s++;
          break;
        }
      g_string_append_c (f, c);
      s++;
    }
  g_string_free (f, TRUE);
  *p = s;
  return fields;
}

static void
add_list (GPtrArray *into, const gchar *value)
{
  g_auto (GStrv) parts = g_strsplit_set (value, "; ", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      shr_strv_add_unique (into, parts[i]);
}

static GPtrArray *
parse_csv (const gchar *text, const gchar *source, GError **error)
{
  g_autoptr (GPtrArray) assets = g_ptr_array_new_with_free_func ((GDestroyNotify)shr_asset_free);
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const gchar *p = text;
  guint line = 0;
  GPtrArray *rec;
  gboolean bad_quote;
  while ((rec = csv_record (&p, &bad_quote)) != NULL)
    {
      g_autoptr (GPtrArray) fields = rec;
      line++;
      if (bad_quote)
        {
          g_set_error (error, SHR_CONFIG_ERROR, SHR_CONFIG_ERROR_PARSE, "%s:%u: a quoted field never ends",
                       source, line);
          return NULL;
        }
      if (line > SHR_MAX_IMPORT_LINES)
        {
          g_set_error (error, SHR_CONFIG_ERROR, SHR_CONFIG_ERROR_PARSE, "%s: more than %u lines", source,
                       SHR_MAX_IMPORT_LINES);
          return NULL;
        }
      if (fields->len == 1 && *(gchar *)fields->pdata[0] == '\0')
        continue; /* blank line */
      if (*(gchar *)fields->pdata[0] == '#')
        continue;
      if (line == 1 && g_ascii_strcasecmp (fields->pdata[0], "vendor") == 0)
        continue; /* header */
      if (fields->len < 2 || fields->len > 5)
        {
          g_set_error (error, SHR_CONFIG_ERROR, SHR_CONFIG_ERROR_PARSE,
                       "%s:%u: expected vendor,product,version,exposure,owners", source, line);
          return NULL;
        }
      const gchar *product = fields->pdata[1];
      if (*product == '\0')
        {
          g_set_error (error, SHR_CONFIG_ERROR, SHR_CONFIG_ERROR_INVALID_VALUE, "%s:%u: the product is empty",
                       source, line);
          return NULL;
        }
      g_autofree gchar *base = slug ("", product);
      g_autofree gchar *name = unique_name (names, base);
      g_autoptr (ShrAsset) a = shr_asset_new (name, product);
      if (*(gchar *)fields->pdata[0])
        a->vendor = g_strdup (fields->pdata[0]);
      if (fields->len > 2 && *(gchar *)fields->pdata[2])
        {
          a->version = g_strdup (fields->pdata[2]);
          if (!check_version (a, source, line, error))
            return NULL;
        }
      if (fields->len > 3 && *(gchar *)fields->pdata[3]
          && !shr_exposure_parse (fields->pdata[3], &a->exposure))
        {
          g_set_error (error, SHR_CONFIG_ERROR, SHR_CONFIG_ERROR_INVALID_VALUE,
                       "%s:%u: \"%s\" is not one of internet, internal, isolated, unknown", source, line,
                       (gchar *)fields->pdata[3]);
          return NULL;
        }
      if (fields->len > 4)
        add_list (a->owners, fields->pdata[4]);
      g_ptr_array_add (assets, g_steal_pointer (&a));
    }
  return g_steal_pointer (&assets);
}

GPtrArray *
shr_assets_parse (ShrAssetsFormat format, const gchar *text, const gchar *source, GError **error)
{
  g_return_val_if_fail (text != NULL && source != NULL, NULL);
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, SHR_CONFIG_ERROR, SHR_CONFIG_ERROR_PARSE, "%s: not UTF-8 text", source);
      return NULL;
    }
  if (format == SHR_ASSETS_CSV)
    return parse_csv (text, source, error);

  g_autoptr (GPtrArray) assets = g_ptr_array_new_with_free_func ((GDestroyNotify)shr_asset_free);
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* name+version already taken: multi-arch lists one package per arch. */
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint lineno = i + 1;
      if (lineno > SHR_MAX_IMPORT_LINES)
        {
          g_set_error (error, SHR_CONFIG_ERROR, SHR_CONFIG_ERROR_PARSE, "%s: more than %u lines", source,
                       SHR_MAX_IMPORT_LINES);
          return NULL;
        }
      gchar *line = g_strstrip (lines[i]);
      if (*line == '\0' || *line == '#')
        continue;
      g_auto (GStrv) f
          = format == SHR_ASSETS_DPKG ? g_strsplit (line, "\t", -1) : g_strsplit_set (line, " \t", -1);
      /* rpm: collapse runs of blanks */
      g_autoptr (GPtrArray) fields = g_ptr_array_new ();
      for (guint j = 0; f[j] != NULL; j++)
        if (*g_strstrip (f[j]) != '\0' || format == SHR_ASSETS_DPKG)
          g_ptr_array_add (fields, f[j]);
      if (format == SHR_ASSETS_DPKG && fields->len == 1)
        continue; /* "name<TAB>" (the TAB stripped): known, not installed */
      if (fields->len < 2 || fields->len > 3)
        {
          g_set_error (error, SHR_CONFIG_ERROR, SHR_CONFIG_ERROR_PARSE,
                       format == SHR_ASSETS_DPKG ? "%s:%u: expected \"PACKAGE<TAB>VERSION\" (dpkg-query -W)"
                                                 : "%s:%u: expected \"NAME EPOCH:VERSION-RELEASE\"",
                       source, lineno);
          return NULL;
        }
      g_autofree gchar *pkg = g_strdup (fields->pdata[0]);
      gchar *colon = strchr (pkg, ':');
      if (format == SHR_ASSETS_DPKG && colon != NULL)
        *colon = '\0'; /* libc6:amd64 */
      const gchar *version = fields->pdata[1];
      if (*version == '\0')
        continue; /* dpkg lists packages known but not installed */
      g_autofree gchar *evr = NULL;
      if (format == SHR_ASSETS_RPM)
        {
          /* "(none):1.2-3" and "0:1.2-3" are both plain "1.2-3". */
          if (g_str_has_prefix (version, "(none):"))
            version += 7;
          else if (g_str_has_prefix (version, "0:"))
            version += 2;
        }
      evr = g_strdup (version);
      g_autofree gchar *key = g_strdup_printf ("%s\t%s", pkg, evr);
      if (!g_hash_table_add (seen, g_steal_pointer (&key)))
        continue;

      g_autofree gchar *base = slug (format == SHR_ASSETS_DPKG ? "dpkg-" : "rpm-", pkg);
      g_autofree gchar *name = unique_name (names, base);
      g_autoptr (ShrAsset) a = shr_asset_new (name, pkg);
      a->version = g_steal_pointer (&evr);
      a->scheme = format == SHR_ASSETS_DPKG ? SHR_VERSION_SCHEME_DPKG : SHR_VERSION_SCHEME_RPM;
      if (!check_version (a, source, lineno, error))
        return NULL;
      if (fields->len == 3 && *(gchar *)fields->pdata[2] != '\0')
        {
          /* dpkg's ${source:Package}: what DSAs name. */
          g_autofree gchar *src = g_strdup (fields->pdata[2]);
          gchar *sp = strchr (src, ' ');
          if (sp != NULL)
            *sp = '\0'; /* "src (1.2-3)" */
          if (strcmp (src, pkg) != 0)
            shr_strv_add_unique (a->aliases, src);
        }
      g_ptr_array_add (assets, g_steal_pointer (&a));
    }
  return g_steal_pointer (&assets);
}

static void
set_list (GKeyFile *kf, const gchar *group, const gchar *key, const GPtrArray *a)
{
  if (a->len == 0)
    return;
  g_autoptr (GString) s = g_string_new (NULL);
  for (guint i = 0; i < a->len; i++)
    g_string_append_printf (s, "%s%s", i ? ";" : "", (gchar *)a->pdata[i]);
  g_key_file_set_string (kf, group, key, s->str);
}

gchar *
shr_assets_to_keyfile (const GPtrArray *assets, const gchar *comment)
{
  g_return_val_if_fail (assets != NULL, NULL);
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  for (guint i = 0; i < assets->len; i++)
    {
      const ShrAsset *a = assets->pdata[i];
      g_autofree gchar *group = g_strdup_printf ("asset %s", a->name);
      if (a->vendor != NULL)
        g_key_file_set_string (kf, group, "vendor", a->vendor);
      g_key_file_set_string (kf, group, "product", a->product);
      if (a->version != NULL)
        g_key_file_set_string (kf, group, "version", a->version);
      if (a->scheme != SHR_VERSION_SCHEME_GENERIC)
        g_key_file_set_string (kf, group, "scheme", shr_version_scheme_to_string (a->scheme));
      if (a->exposure != SHR_EXPOSURE_UNKNOWN)
        g_key_file_set_string (kf, group, "exposure", shr_exposure_to_string (a->exposure));
      if (a->platform != NULL)
        g_key_file_set_string (kf, group, "platform", a->platform);
      set_list (kf, group, "owners", a->owners);
      set_list (kf, group, "aliases", a->aliases);
    }
  g_autofree gchar *body = g_key_file_to_data (kf, NULL, NULL);
  GString *out = g_string_new (NULL);
  if (comment != NULL)
    {
      g_auto (GStrv) lines = g_strsplit (comment, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        g_string_append_printf (out, "# %s\n", lines[i]);
      g_string_append_c (out, '\n');
    }
  g_string_append (out, body);
  return g_string_free (out, FALSE);
}

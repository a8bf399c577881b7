/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: any text as an Authentication-Results header value (RFC
 * 8601), through shr_approve_auth_results_pass for our trusted server and
 * the approvers' domain. It must never crash or hang; a pass implies the
 * header came from the trusted server; the text's first line may name
 * another domain to check against. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shr-approve.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree gchar *text = g_strndup ((const gchar *)data, size);
  gboolean trusted = FALSE;
  gboolean pass = shr_approve_auth_results_pass (text, "mx.example.test", "example.test", &trusted);
  if (pass && !trusted)
    abort ();
  /* The first line as the domain, the rest as the value. */
  gchar *nl = strchr (text, '\n');
  if (nl != NULL)
    {
      *nl = '\0';
      pass = shr_approve_auth_results_pass (nl + 1, "mx.example.test", text, &trusted);
      if (pass && !trusted)
        abort ();
      pass = shr_approve_auth_results_pass (nl + 1, text, "example.test", NULL);
    }
  return 0;
}

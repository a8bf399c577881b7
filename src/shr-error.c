/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "shr-error.h"

G_DEFINE_QUARK (shr - read - error - quark, shr_read_error)
G_DEFINE_QUARK (shr - lexicon - error - quark, shr_lexicon_error)
G_DEFINE_QUARK (shr - config - error - quark, shr_config_error)
G_DEFINE_QUARK (shr - store - error - quark, shr_store_error)
G_DEFINE_QUARK (shr - mustache - error - quark, shr_mustache_error)
G_DEFINE_QUARK (shr - version - error - quark, shr_version_error)
G_DEFINE_QUARK (shr - send - error - quark, shr_send_error)
G_DEFINE_QUARK (shr - approve - error - quark, shr_approve_error)
G_DEFINE_QUARK (shr - compose - error - quark, shr_compose_error)
G_DEFINE_QUARK (shr - watch - error - quark, shr_watch_error)
G_DEFINE_QUARK (shr - edit - error - quark, shr_edit_error)
G_DEFINE_QUARK (shr - summary - error - quark, shr_summary_error)

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-limits.h — every cap on what mail input can make us hold.
 *
 * Mail is hostile input: each buffer it fills has a limit here, and going
 * past one is reported (an error or a record warning), never a crash and
 * never a silent truncation. The defaults are sized for real advisories
 * (the largest real ones, Microsoft monthly roll-ups and CISA newsletters,
 * are under 2 MB) with a wide margin. */
#pragma once

/* A whole message as read from a file or IMAP. Larger ones are refused with
 * SHR_READ_ERROR_TOO_BIG and kept in the mailbox for a person to look at. */
#define SHR_MAX_MESSAGE_BYTES (64 * 1024 * 1024)

/* The raw pre-scan (shr-read.c): before GMime builds anything, a message
 * is measured against these, and one over any of them is refused with
 * SHR_READ_ERROR_LIMIT (kept in the failed folder with the reason, never
 * parsed whole). GMime holds each header line as an object of a few
 * hundred bytes: 5 million short header lines in a 20 MB mail took it
 * 2.4 GB. Real mail has a few hundred header lines over all its parts,
 * header blocks of kilobytes, and lines under 998 bytes (RFC 5322 2.1.1). */
/* Header lines, over the header blocks of the message and of its parts
 * and attached messages. */
#define SHR_MAX_HEADER_LINES 10000
/* One header block (of the message, of a part, of an attached message). */
#define SHR_MAX_HEADER_BYTES (1024 * 1024)
/* One line, anywhere in the message. */
#define SHR_MAX_LINE_BYTES (1024 * 1024)
/* MIME parts (boundary lines of the multiparts the message declares). */
#define SHR_MAX_RAW_PARTS 2000

/* Poison messages (shr-pipeline.h, shr_pipeline_handle_batch). A message
 * is read at most this many times when its handling never finishes (the
 * process crashed, was killed, or went over a budget below); then it is
 * set aside in the failed folder with the reason. */
#define SHR_MAX_HANDLING_ATTEMPTS 3
/* Reading, extracting and matching one message: real ones take
 * milliseconds, a 50 MB one a few seconds. */
#define SHR_MAX_HANDLING_SECONDS 120
/* The process's resident memory while a message is prepared. The
 * pre-scan and the text caps keep a real one far below (tens of MB). */
#define SHR_MAX_HANDLING_RSS_BYTES (1024L * 1024 * 1024)

/* Message-IDs kept from a mail's In-Reply-To and References (In-Reply-To
 * first, then References nearest ancestor first): what links a reply to
 * a draft. A longer thread still matches by its newest ones or the token. */
#define SHR_MAX_MESSAGE_REFS 100

/* Authentication-Results headers kept from one mail (the receiving
 * server's own is on top). */
#define SHR_MAX_AUTH_RESULTS 50

/* The text of a reply that its command is read from (the first inline
 * text/plain part); a longer one is cut at a character boundary: the
 * command is in its first lines. */
#define SHR_MAX_REPLY_TEXT_BYTES (256 * 1024)

/* Decoded text taken from one MIME part; the rest of a larger part is
 * dropped with a warning (a 50 MB attachment is not an advisory text). */
#define SHR_MAX_PART_TEXT_BYTES (2 * 1024 * 1024)

/* All text gathered from one message, over every part and forward. */
#define SHR_MAX_TOTAL_TEXT_BYTES (4 * 1024 * 1024)

/* message/rfc822 and inline forwards unwrapped inside one another. */
#define SHR_MAX_FORWARD_DEPTH 16

/* MIME parts visited in one message. */
#define SHR_MAX_MIME_PARTS 512

/* Distinct CVE ids kept in one record (a monthly roll-up has ~150). */
#define SHR_MAX_CVES 2000

/* Products, references and mitigations kept in one record. */
#define SHR_MAX_PRODUCTS 200
#define SHR_MAX_REFERENCES 200
#define SHR_MAX_MITIGATIONS 20
/* Actors one advisory names (a weekly round-up names a dozen), the other
 * names kept for each (the lexicon knows up to ~40 for one actor), and the
 * firms and agencies credited with reporting. */
#define SHR_MAX_ACTORS 50
#define SHR_MAX_ACTOR_ALIASES 64
#define SHR_MAX_REPORTERS 16

/* Advisories read from one digest mail (a feed, a weekly report); a mail
 * with more is read as one advisory, with a warning. */
#define SHR_MAX_DIGEST_ITEMS_PER_MAIL 100

/* Version ranges (one per release train or distribution release) kept for
 * one product: a PAN-OS advisory lists ~30 hotfix lines. */
#define SHR_MAX_RANGES 64

/* Length of one evidence sentence, in bytes (cut at a character boundary). */
#define SHR_MAX_EVIDENCE_BYTES 400

/* A password or token read from a file or a command: an OAuth2 access
 * token (a JWT) runs to a few kilobytes. */
#define SHR_MAX_SECRET_BYTES (64 * 1024)

/* Mustache: partials and parents ({{>p}}, {{<p}}) expanded inside one
 * another. Real templates nest 2 or 3 deep; a partial that includes itself
 * stops here with SHR_MUSTACHE_ERROR_DEPTH instead of recursing forever. */
#define SHR_MAX_MUSTACHE_DEPTH 32

/* Mustache: sections nested inside one template (the renderer recurses). */
#define SHR_MAX_MUSTACHE_NESTING 100

/* Mustache: output of one render, and tags visited in one render (a partial
 * that includes itself twice grows exponentially even within the depth cap). */
#define SHR_MAX_MUSTACHE_OUTPUT_BYTES (16 * 1024 * 1024)
#define SHR_MAX_MUSTACHE_STEPS (10 * 1000 * 1000)

/* Mustache: one template or partial file read from disk. */
#define SHR_MAX_MUSTACHE_TEMPLATE_BYTES (1024 * 1024)

/* A Subject (and so a title), in bytes; longer ones are cut with a warning. */
#define SHR_MAX_SUBJECT_BYTES 2048

/* The daily digest: advisories (and folded notices) listed in one digest;
 * the rest are counted ("and N more") and marked digested all the same,
 * so a backlog never makes a mail of megabytes nor carries over. */
#define SHR_MAX_DIGEST_ITEMS 500

/* A recipient's digest: notices quoted in full; past this, their Subjects. */
#define SHR_MAX_DIGEST_NOTICES 50

/* A product name placed on a Windows release line ("Microsoft Windows
 * Server 2019 Datacenter (Server Core installation)"); longer names place
 * nothing. */
#define SHR_MAX_WINDOWS_NAME_BYTES 512

/* One notice an approver edits in a reply (its block between the markers,
 * shr-edit.h): a rendered notice is 5 to 15 KB. */
#define SHR_MAX_EDITED_NOTICE_BYTES (64 * 1024)

/* The summariser command ([summary] command, shr-summary.h): what it is
 * given of the advisory's text, what is read back of its output (the rest
 * makes the output oversize and it is discarded), and each text it
 * returns (a summary, a title, a step). */
#define SHR_MAX_SUMMARY_INPUT_TEXT_BYTES (256 * 1024)
#define SHR_MAX_SUMMARY_OUTPUT_BYTES (64 * 1024)
#define SHR_MAX_SUMMARY_FIELD_BYTES (4 * 1024)
#define SHR_MAX_SUMMARY_STEPS 20

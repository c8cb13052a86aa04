/*
 * event.c - names of the event model's enums, for JSON and the CLI.
 *
 * The names are part of the JSON contract (docs/json.md): change them only
 * together with that document.
 */
#include <string.h>

#include "event.h"
#include "i18n.h"

static const char *const kind_names[EV__COUNT] = {
	[EV_UNKNOWN] = "unknown",       [EV_CONNECT] = "connect",
	[EV_DISCONNECT] = "disconnect", [EV_CLIENT] = "client",
	[EV_REJECT] = "reject",         [EV_MSGID] = "message-id",
	[EV_HEADER] = "header",         [EV_QUEUED] = "queued",
	[EV_DELIVERED] = "delivered",   [EV_DEFERRED] = "deferred",
	[EV_BOUNCED] = "bounced",       [EV_EXPIRED] = "expired",
	[EV_DONE] = "done",             [EV_BOUNCE_SENT] = "bounce-sent",
	[EV_HOLD] = "hold",             [EV_RELEASE] = "release",
	[EV_DELETED] = "deleted",       [EV_FILTER] = "filter",
	[EV_MAILBOX] = "mailbox",       [EV_RETRY_WAIT] = "retry-wait",
	[EV_HOST_ERROR] = "host-error", [EV_WARNING] = "warning",
	[EV_AUTH_FAIL] = "auth-fail",   [EV_TLS] = "tls",
	[EV_DKIM] = "dkim",             [EV_SUPPRESSED] = "suppressed",
	[EV_USAGE_IN] = "usage-in",     [EV_USAGE_OUT] = "usage-out",
	[EV_STEP] = "step",             [EV_OPENED] = "opened",
	[EV_CLICKED] = "clicked",       [EV_COMPLAINT] = "complaint",
	[EV_NOTE] = "note",
};

static const char *const outcome_names[OUT__COUNT] = {
	[OUT_NONE] = "none",         [OUT_QUEUED] = "queued",
	[OUT_DELIVERED] = "delivered", [OUT_DEFERRED] = "deferred",
	[OUT_BOUNCED] = "bounced",   [OUT_EXPIRED] = "expired",
	[OUT_REJECTED] = "rejected", [OUT_PARTIAL] = "partial",
};

const char *ev_kind_name(enum ev_kind k)
{
	return (unsigned)k < EV__COUNT && kind_names[k] ? kind_names[k] : "unknown";
}

const char *outcome_name(enum outcome o)
{
	return (unsigned)o < OUT__COUNT ? outcome_names[o] : "none";
}

int outcome_from_name(const char *s, size_t n)
{
	for (int i = 1; i < OUT__COUNT; i++)
		if (strlen(outcome_names[i]) == n && strncasecmp(outcome_names[i], s, n) == 0)
			return i;
	/* Words support staff type for the same thing. */
	if (n == 4 && strncasecmp(s, "sent", 4) == 0)
		return OUT_DELIVERED;
	if (n == 6 && strncasecmp(s, "bounce", 6) == 0)
		return OUT_BOUNCED;
	return -1;
}

const char *outcome_label(enum outcome o)
{
	static const char *const labels[OUT__COUNT] = {
		[OUT_NONE] = N_("unknown"),    [OUT_QUEUED] = N_("queued"),
		[OUT_DELIVERED] = N_("delivered"), [OUT_DEFERRED] = N_("deferred"),
		[OUT_BOUNCED] = N_("bounced"), [OUT_EXPIRED] = N_("expired"),
		[OUT_REJECTED] = N_("rejected"), [OUT_PARTIAL] = N_("partial"),
	};
	return (unsigned)o < OUT__COUNT ? _(labels[o]) : "?";
}

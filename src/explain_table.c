/*
 * explain_table.c - the DATA behind explain.h: what each delivery problem
 * means for a customer, whose side it is on, what support should do, and
 * how to recognise it.
 *
 * Design: one flat table of entries (id -> wording) and separate ordered
 * lists that map evidence to an entry id: reply-text patterns, delivered
 * texts, warning texts, enhanced status codes, basic reply codes and
 * outcomes.  Adding knowledge is adding a row; no code changes.  Wording
 * rules: the cause is one sentence a non-admin can read aloud to a
 * customer; steps are concrete; "our server" is the hosting's mail server.
 * Every string is marked N_() and must have a translation in po/pl.po
 * (tests/unit/test_explain.c checks that).  After editing strings:
 *   xgettext -k_ -kN_ -kP_:1,2 -kngettext:1,2 --from-code=UTF-8 --add-comments=TRANSLATORS --no-wrap
 *            -o po/mailtrail.pot <every .c file of src, src/tui and parsers>
 *   msgmerge --no-wrap --backup=none -U po/pl.po po/mailtrail.pot   (then translate the new ones)
 *
 * Rule lists are ordered: the first matching pattern wins, so a specific
 * pattern must come before a general one that would also match (e.g.
 * "Greylisted" before "Recipient address rejected", DMARC before spam).
 * Patterns are PCRE2, matched caseless on raw bytes.  Above each rule: a
 * real sample and its source (samples are in tests/unit/test_explain.c).
 */
#include "explain.h"
#include "event.h"
#include "i18n.h"

/* --- steps shared by several entries ----------------------------------- */

#define S_TYPO N_("Check the address for typos (letters, dots, the part after @).")
#define S_ASK_ADDR N_("Ask the recipient for their correct address by phone or another channel.")
#define S_OUR_MAILBOX N_("If the address is hosted by us, check in the panel that the mailbox exists.")
#define S_READ_REPLY N_("Read the server's reply text: it usually names the exact reason.")
#define S_WAIT N_("Nothing to do yet: delivery is retried automatically for several days.")
#define S_RCPT_ADMIN N_("If it keeps happening, give the recipient's mail administrator the time of sending and the reply text.")
#define S_ADMIN N_("If it affects many messages, pass it on to a server administrator.")
#define S_OTHER_WAY N_("Reach the recipient another way (phone, another address).")
#define S_RESEND N_("Send the message again once the problem is fixed.")
#define S_CHECK_MX N_("Check the recipient domain's MX records with an online MX lookup tool.")
#define S_LOGIN N_("In the mail program, check the login (the full e-mail address) and the password.")
#define S_SMTP_AUTH N_("In the mail program, turn on authentication for the outgoing server (SMTP), with the same login and password as for receiving mail.")
#define S_BOTS N_("Many such lines from unknown addresses come from bots guessing passwords and can be ignored.")
#define S_ALLOWLIST N_("Ask the recipient to add the sender to their safe senders (allow-list).")
#define S_SPAM_CHECK N_("If the customer did not send that much, the account or website may be hacked: change the password and look for spam being sent.")
#define S_LATER_ATTEMPTS N_("Look at the earlier or later attempts of this message: they show the real reason.")
#define S_TRACE N_("If the recipient cannot find it, ask them to check the spam (junk) folder and their filter rules.")
#define S_PASS_ADMIN N_("Pass it on to a server administrator together with the time of this line.")

const struct explain_entry explain_entries[] = {
	/* ---- recipient address / mailbox ---------------------------------- */
	{ "no_such_user", SIDE_RECIPIENT_ADDRESS,
	  N_("The recipient's address does not exist on the receiving mail server."),
	  N_("The receiving server could not confirm that the recipient's address exists; delivery will be retried automatically."),
	  { S_TYPO, S_ASK_ADDR, S_OUR_MAILBOX },
	  { S_TYPO, S_WAIT }, NULL },
	{ "mailbox_disabled", SIDE_RECIPIENT_ADDRESS,
	  N_("The recipient's mailbox exists but is disabled or suspended, so it does not accept mail."),
	  N_("The recipient's mailbox is temporarily not accepting mail; delivery will be retried automatically."),
	  { S_OTHER_WAY, N_("If the mailbox is hosted by us, check in the panel whether it is suspended or blocked.") },
	  { S_WAIT, S_OTHER_WAY }, NULL },
	{ "mailbox_full", SIDE_RECIPIENT_ADDRESS,
	  N_("The recipient's mailbox is full, so the message was refused."),
	  N_("The recipient's mailbox is full at the moment; delivery is retried automatically for a few days."),
	  { N_("Let the recipient know another way (phone, another address) that their mailbox is full."),
	    N_("Send the message again once they have freed up space."),
	    N_("If the mailbox is hosted by us, its quota can be raised in the panel.") },
	  { N_("Let the recipient know another way that their mailbox is full: once they free up space, the message arrives by itself."),
	    N_("If the mailbox is hosted by us, its quota can be raised in the panel.") }, NULL },
	{ "mailbox_moved", SIDE_RECIPIENT_ADDRESS,
	  N_("The recipient's mailbox has moved and the server did not give a new address."),
	  NULL,
	  { N_("Read the server's reply: it may contain the new address."), S_ASK_ADDR },
	  { NULL }, NULL },
	{ "mailbox_problem", SIDE_RECIPIENT_ADDRESS,
	  N_("There is a problem with the recipient's mailbox (the server did not say what exactly)."),
	  N_("The recipient's mailbox cannot accept mail at the moment; delivery will be retried automatically."),
	  { S_READ_REPLY, S_OTHER_WAY },
	  { S_WAIT, S_READ_REPLY }, NULL },
	{ "mailbox_unavailable", SIDE_RECIPIENT_ADDRESS,
	  N_("The recipient's server refused the message for this mailbox: usually the address does not exist, sometimes it is a policy block."),
	  N_("The recipient's mailbox is unavailable at the moment; delivery will be retried automatically."),
	  { S_TYPO, N_("Read the reply text: if it mentions spam, a blocklist or a policy, the cause is different.") },
	  { S_WAIT, S_READ_REPLY }, NULL },
	{ "address_syntax", SIDE_RECIPIENT_ADDRESS,
	  N_("The recipient's address is not written correctly (for example a space, a comma or a missing @)."),
	  NULL,
	  { N_("Check how the address is written: no spaces, commas or accented letters, and exactly one @."), S_ASK_ADDR },
	  { NULL }, NULL },
	{ "address_ambiguous", SIDE_RECIPIENT_ADDRESS,
	  N_("The recipient's address matches more than one mailbox on the receiving server, so it could not be delivered."),
	  N_("The receiving server could not decide which mailbox the address means; delivery will be retried automatically."),
	  { S_ASK_ADDR, S_RCPT_ADMIN },
	  { NULL }, NULL },
	{ "address_other", SIDE_RECIPIENT_ADDRESS,
	  N_("The receiving server refused one of the addresses (the sender's or the recipient's)."),
	  N_("The receiving server could not accept one of the addresses right now; delivery will be retried automatically."),
	  { S_READ_REPLY, N_("Check the sender's and the recipient's address for typos.") },
	  { S_WAIT, S_READ_REPLY }, NULL },
	{ "address_reassigned", SIDE_RECIPIENT_ADDRESS,
	  N_("The recipient's address (or its domain) now belongs to someone else, so the message was not delivered."),
	  NULL,
	  { S_ASK_ADDR },
	  { NULL }, NULL },
	{ "recipient_domain_invalid", SIDE_RECIPIENT_ADDRESS,
	  N_("The recipient's domain (the part after @) does not exist or has no mail server."),
	  N_("The recipient's domain could not be found in DNS just now; delivery will be retried automatically."),
	  { N_("Check the part after @ for typos (for example gmial.com instead of gmail.com)."),
	    N_("Check the domain with an online MX lookup tool: it may have expired."), S_ASK_ADDR },
	  { S_WAIT, N_("Check the part after @ for typos (for example gmial.com instead of gmail.com).") }, NULL },
	{ "recipient_null_mx", SIDE_RECIPIENT_ADDRESS,
	  N_("The recipient's domain states that it does not accept e-mail at all."),
	  NULL,
	  { S_TYPO, S_ASK_ADDR },
	  { NULL }, NULL },
	{ "mail_loop", SIDE_RECIPIENT_ADDRESS,
	  N_("The message went round in a loop (for example between forwarding rules that point at each other), so it was stopped."),
	  NULL,
	  { N_("Check the forwarding and autoresponder settings of the recipient's mailbox and aliases."),
	    N_("Make sure no two addresses forward to each other.") },
	  { NULL }, NULL },
	{ "list_not_allowed", SIDE_RECIPIENT_ADDRESS,
	  N_("The recipient is a mailing list or group that this sender is not allowed to write to."),
	  NULL,
	  { N_("Ask the list's owner to allow the sender, or write to the people directly.") },
	  { NULL }, NULL },

	/* ---- recipient's server ------------------------------------------- */
	{ "all_hosts_failing", SIDE_RECIPIENT_SERVER,
	  N_("None of the recipient domain's mail servers has answered for a long time, so our server gave up."),
	  NULL,
	  { N_("Check the recipient domain's MX records with an online MX lookup tool: they may point to a server that does not work."),
	    N_("Check the part after @ for typos: the domain may be mistyped, fake or expired."), S_OTHER_WAY },
	  { NULL }, NULL },
	{ "conn_refused", SIDE_RECIPIENT_SERVER,
	  N_("The recipient's mail server refused the connection (it is down or not accepting mail)."),
	  N_("The recipient's mail server is refusing connections at the moment; delivery will be retried automatically."),
	  { S_CHECK_MX, N_("If the recipient's server stays down, let the recipient know another way.") },
	  { S_WAIT, N_("If it lasts more than a day, check the recipient domain's MX records and let the recipient know another way.") }, NULL },
	{ "conn_timeout", SIDE_RECIPIENT_SERVER,
	  N_("The recipient's mail server did not answer."),
	  N_("The recipient's mail server is not answering at the moment; delivery will be retried automatically."),
	  { S_CHECK_MX, N_("If only this domain is affected, the problem is on the recipient's side: let them know another way."),
	    N_("If many domains time out, our server's network may be blocked: pass it on to an administrator.") },
	  { S_WAIT, N_("If many domains time out, our server's network may be blocked: pass it on to an administrator.") }, NULL },
	{ "conn_lost", SIDE_RECIPIENT_SERVER,
	  N_("The connection to the other mail server broke off during delivery."),
	  N_("The connection to the other mail server broke off during delivery; delivery will be retried automatically."),
	  { N_("Send the message again; if it fails again, pass the reply text to an administrator.") },
	  { S_WAIT, N_("If it keeps failing only for large messages, the size may be the problem.") }, NULL },
	{ "dns_failure", SIDE_RECIPIENT_SERVER,
	  N_("The recipient's domain could not be looked up in DNS (its name servers did not answer properly)."),
	  N_("Looking up the recipient's domain in DNS failed for now; delivery will be retried automatically."),
	  { N_("Check the recipient's domain with an online DNS or MX lookup tool."),
	    N_("If lookups fail for many different domains, our server's DNS resolver needs an administrator.") },
	  { S_WAIT, N_("If lookups fail for many different domains, our server's DNS resolver needs an administrator.") }, NULL },
	{ "relay_denied", SIDE_RECIPIENT_SERVER,
	  N_("The server the message was sent to refused it, because it does not handle mail for the recipient's domain (relaying denied)."),
	  NULL,
	  { N_("Check the recipient domain's MX records: they may point to a server that no longer handles this domain."),
	    N_("If mail to every outside domain fails like this, our server's outgoing relay settings are wrong: pass it on to an administrator.") },
	  { NULL }, "relay_denied_client" },
	{ "tls_failed", SIDE_RECIPIENT_SERVER,
	  N_("Our server and the other mail server could not set up an encrypted (TLS) connection."),
	  N_("Our server and the other mail server could not set up an encrypted (TLS) connection; delivery will be retried automatically."),
	  { N_("Often the other server has an expired certificate or outdated software: tell the recipient's administrator."),
	    N_("If it happens with many servers, pass it on to our administrator.") },
	  { NULL }, "tls_failed_client" },
	{ "lookup_failure", SIDE_RECIPIENT_SERVER,
	  N_("The receiving server could not look the address up in its own database (an internal fault)."),
	  N_("The receiving server could not look the address up in its own database (a temporary internal fault); delivery will be retried automatically."),
	  { S_RCPT_ADMIN, N_("If our server reports it, its database or address lookups need an administrator.") },
	  { S_WAIT, N_("If our server reports it, its database or address lookups need an administrator.") }, NULL },
	{ "list_expansion", SIDE_RECIPIENT_SERVER,
	  N_("The recipient is a mailing list or group address that could not pass the message on to its members."),
	  NULL,
	  { N_("Tell the list's owner or administrator."), S_READ_REPLY },
	  { NULL }, NULL },
	{ "server_problem", SIDE_RECIPIENT_SERVER,
	  N_("The recipient's mail server reported an error of its own."),
	  N_("The recipient's mail server has a temporary problem of its own; delivery will be retried automatically."),
	  { S_READ_REPLY, S_RCPT_ADMIN },
	  { S_WAIT, S_RCPT_ADMIN }, NULL },
	{ "server_full", SIDE_RECIPIENT_SERVER,
	  N_("The recipient's mail server has run out of storage space."),
	  N_("The recipient's mail server is short of storage space at the moment; delivery will be retried automatically."),
	  { S_RCPT_ADMIN, S_OTHER_WAY },
	  { S_WAIT, S_RCPT_ADMIN }, NULL },
	{ "server_not_accepting", SIDE_RECIPIENT_SERVER,
	  N_("The recipient's mail server does not accept mail."),
	  N_("The recipient's mail server is not accepting mail at the moment (for example maintenance); delivery will be retried automatically."),
	  { S_CHECK_MX, S_OTHER_WAY },
	  { S_WAIT, S_RCPT_ADMIN }, NULL },
	{ "server_busy", SIDE_RECIPIENT_SERVER,
	  N_("The recipient's mail server was overloaded and did not take the message."),
	  N_("The recipient's mail server is busy and asked for the message to be sent later; delivery will be retried automatically."),
	  { S_RESEND, S_RCPT_ADMIN },
	  { S_WAIT }, NULL },
	{ "server_unsupported", SIDE_RECIPIENT_SERVER,
	  N_("The recipient's mail server does not support a feature this message needs."),
	  NULL,
	  { S_READ_REPLY, S_RCPT_ADMIN },
	  { NULL }, NULL },
	{ "server_misconfigured", SIDE_RECIPIENT_SERVER,
	  N_("The recipient's mail server is configured incorrectly."),
	  N_("The recipient's mail server has a configuration problem; delivery will be retried automatically."),
	  { S_RCPT_ADMIN, S_OTHER_WAY },
	  { S_WAIT, S_RCPT_ADMIN }, NULL },
	{ "network_problem", SIDE_RECIPIENT_SERVER,
	  N_("A network or routing problem prevented delivery to the recipient's server."),
	  N_("A network or routing problem is delaying delivery; it will be retried automatically."),
	  { S_CHECK_MX, S_ADMIN },
	  { S_WAIT, S_ADMIN }, NULL },
	{ "protocol_error", SIDE_RECIPIENT_SERVER,
	  N_("The two mail systems did not understand each other (an SMTP protocol error)."),
	  N_("The two mail systems did not understand each other (an SMTP protocol error); delivery will be retried automatically."),
	  { S_READ_REPLY, S_RCPT_ADMIN },
	  { S_WAIT, S_READ_REPLY }, "protocol_error_client" },
	{ "smtputf8_unsupported", SIDE_RECIPIENT_SERVER,
	  N_("An address contains accented or non-Latin letters (for example ą, ś, ż), which the receiving server does not support."),
	  NULL,
	  { N_("Use addresses without accented letters."), S_ASK_ADDR },
	  { NULL }, NULL },
	{ "security_unsupported", SIDE_RECIPIENT_SERVER,
	  N_("The message needed encryption or signing that the mail servers could not provide."),
	  NULL,
	  { S_READ_REPLY, S_RCPT_ADMIN },
	  { NULL }, NULL },
	{ "policy_rejected", SIDE_RECIPIENT_SERVER,
	  N_("The recipient's server refused the message under its security or anti-spam policy."),
	  N_("The recipient's server is holding the message back under its security or anti-spam policy; delivery will be retried automatically."),
	  { N_("Read the server's reply text: it usually names the reason (blocklist, spam, sender not allowed)."),
	    S_ALLOWLIST, S_ADMIN },
	  { S_WAIT, S_READ_REPLY }, "policy_rejected_incoming" },

	/* ---- our server ---------------------------------------------------- */
	{ "blocklisted", SIDE_OUR_SERVER,
	  N_("Our server's IP address is on a spam blocklist, so the recipient's server refused the message."),
	  N_("Our server's IP address is on a spam blocklist; the recipient's server is refusing mail from it for now."),
	  { N_("First find and stop the source of spam on our server: usually a mailbox with a leaked password or a hacked website script."),
	    N_("Then request removal (delisting) on the blocklist's website named in the reply; removal alone does not help while the spam continues."),
	    N_("Pass it on to a server administrator: it affects every customer on this server.") },
	  { NULL }, "blocklisted_sender" },
	{ "rate_limited", SIDE_OUR_SERVER,
	  N_("The recipient's server is limiting how much mail it accepts from our server (too much mail, or mail that looks like spam)."),
	  N_("The recipient's server is temporarily limiting mail from our server; delivery will be retried automatically."),
	  { N_("Check whether any account on our server is sending spam or mass mail; pass it on to a server administrator."), S_RESEND },
	  { N_("Usually nothing to do: the message is retried and gets through later."),
	    N_("If it persists, check whether any account on our server is sending spam or mass mail; pass it on to a server administrator.") },
	  "sending_limit" },
	{ "no_route", SIDE_OUR_SERVER,
	  N_("Our server could not reach the recipient's server over the network (no route)."),
	  N_("Our server cannot reach the recipient's server over the network at the moment; delivery will be retried automatically."),
	  { N_("Usually another attempt, or another address of the same server (IPv4 instead of IPv6), works."),
	    N_("If all deliveries show this, our server's network needs an administrator.") },
	  { NULL }, NULL },
	{ "tls_required", SIDE_OUR_SERVER,
	  N_("The recipient's server requires an encrypted (TLS) connection, which our server did not set up."),
	  NULL,
	  { N_("Pass it on to a server administrator: encryption (TLS) for outgoing mail must work on our server.") },
	  { NULL }, "tls_required_client" },
	{ "rdns_missing", SIDE_OUR_SERVER,
	  N_("Our server's IP address has no valid reverse DNS (PTR) name, and the recipient's server requires one."),
	  NULL,
	  { N_("Pass it on to a server administrator: the PTR record of the server's IP address must be set to the server's name.") },
	  { NULL }, "rdns_missing_sender" },
	{ "helo_rejected", SIDE_OUR_SERVER,
	  N_("The recipient's server did not accept the name our server introduced itself with (HELO)."),
	  NULL,
	  { N_("Pass it on to a server administrator: the server's HELO name must be a real domain name that points to its IP address.") },
	  { NULL }, "helo_rejected_client" },
	{ "relay_auth_failed", SIDE_OUR_SERVER,
	  N_("Our server could not log in to the relay server it uses for sending mail."),
	  NULL,
	  { N_("Pass it on to a server administrator: the relay (smart host) login or password in our server's settings is wrong or expired."),
	    N_("Until it is fixed, outgoing mail through that relay waits in the queue.") },
	  { NULL }, NULL },
	{ "mx_loops_to_self", SIDE_OUR_SERVER,
	  N_("The recipient's domain points its mail (MX) at our server, but our server is not set up to receive mail for it."),
	  NULL,
	  { N_("If the domain is hosted with us, add it (or its mail service) in the panel."),
	    N_("If it is no longer hosted with us, its MX records must be changed at its DNS provider.") },
	  { NULL }, NULL },
	{ "frozen", SIDE_OUR_SERVER,
	  N_("The message is held (frozen) in our server's queue and will not be delivered until an administrator releases it."),
	  NULL,
	  { N_("Pass it on to a server administrator, who can release or delete it."),
	    N_("Look at the lines just before: they usually say why it was held.") },
	  { NULL }, NULL },
	{ "frozen_bounce", SIDE_OUR_SERVER,
	  N_("This is a failure report (bounce) that could not be returned to its sender, so our server froze it."),
	  NULL,
	  { N_("Usually nothing to do: such bounces are mostly replies to spam with a fake sender address."),
	    N_("They are removed automatically after a while, depending on the server's settings.") },
	  { NULL }, NULL },
	{ "delivered_filter", SIDE_OUR_SERVER,
	  N_("The message passed through our server's spam and virus filter and was handed back for delivery."),
	  NULL,
	  { N_("Follow the next step of this message (the new queue id) to see the final delivery.") },
	  { NULL }, NULL },

	/* ---- the message itself -------------------------------------------- */
	{ "message_too_large", SIDE_SENDER_CONTENT,
	  N_("The message is larger than the receiving server accepts."),
	  NULL,
	  { N_("Send large attachments as a download link (cloud storage, file transfer service) instead."),
	    N_("Or split the attachments over several smaller messages (attachments grow by about a third when sent)."),
	    N_("Or ask the recipient's administrator to raise the size limit.") },
	  { NULL }, NULL },
	{ "spam_content", SIDE_SENDER_CONTENT,
	  N_("The recipient's spam filter judged the message to be spam and refused it."),
	  N_("The recipient's spam filter found the message suspicious and delayed it; delivery will be retried automatically."),
	  { N_("Follow any instruction in the reply (for example a code to put in the subject, or a form to request delivery)."),
	    S_ALLOWLIST,
	    N_("Check the content (many links, shortened links, a subject in capitals, attachments only) and the sender domain's SPF and DKIM.") },
	  { S_WAIT, S_ALLOWLIST }, "spam_content_incoming" },
	{ "virus", SIDE_SENDER_CONTENT,
	  N_("A virus or other malware was found in the message, so it was refused."),
	  NULL,
	  { N_("Scan the sender's computer with an up-to-date antivirus program."),
	    N_("If the attachment is safe, send it as a download link instead.") },
	  { NULL }, NULL },
	{ "content_blocked", SIDE_SENDER_CONTENT,
	  N_("The receiving server's filter refused the content of the message (for example a forbidden attachment type)."),
	  NULL,
	  { S_READ_REPLY,
	    N_("Send risky attachment types (.exe, .js, documents with macros) as a download link instead.") },
	  { NULL }, NULL },
	{ "too_many_recipients", SIDE_SENDER_CONTENT,
	  N_("The message had more recipients than the receiving server accepts at once."),
	  N_("The receiving server accepts only some of the recipients at a time; the rest are delivered in later attempts."),
	  { N_("Send to fewer recipients per message (split the list)."),
	    N_("For mass mailings use a mailing list or a bulk-mail service.") },
	  { N_("Nothing to do: the remaining recipients are retried automatically.") }, NULL },
	{ "content_conversion", SIDE_SENDER_CONTENT,
	  N_("The receiving server could not handle the format of the message (its encoding or attachments)."),
	  NULL,
	  { N_("Send the message again from a different mail program, or without unusual attachments or formatting."), S_READ_REPLY },
	  { NULL }, NULL },
	{ "crypto_failed", SIDE_SENDER_CONTENT,
	  N_("An encryption or signature check on the message failed (it may have been changed on the way)."),
	  NULL,
	  { N_("Send the message again; if it fails again, send it without encryption or a signature (S/MIME, PGP)."), S_RCPT_ADMIN },
	  { NULL }, NULL },

	/* ---- sender's program / account ------------------------------------ */
	{ "auth_failed", SIDE_SENDER_CLIENT,
	  N_("The mail program could not log in to the server: wrong login or password."),
	  N_("Logging in to the mail server failed for now (the server could not check the password)."),
	  { S_LOGIN,
	    N_("If the password was changed recently, update it in every program and phone that uses this mailbox."),
	    N_("Repeated failed logins can get the address blocked for a while: fix the settings before trying again.") },
	  { N_("Try again in a few minutes."), S_ADMIN }, NULL },
	{ "auth_required", SIDE_SENDER_CLIENT,
	  N_("The mail program tried to send without logging in; the server requires SMTP authentication."),
	  NULL,
	  { S_SMTP_AUTH,
	    N_("Send through port 587 (STARTTLS) or 465 (SSL/TLS), not port 25.") },
	  { NULL }, NULL },
	{ "auth_mechanism", SIDE_SENDER_CLIENT,
	  N_("The mail program used a login method that the server does not allow (too weak or unencrypted)."),
	  NULL,
	  { N_("In the mail program, turn on SSL/TLS and use the normal password login method."),
	    N_("Update the mail program if it is very old.") },
	  { NULL }, NULL },
	{ "password_change", SIDE_SENDER_CLIENT,
	  N_("The account's password must be changed before it can send mail."),
	  NULL,
	  { N_("Change the mailbox password (in the panel or webmail) and then update it in the mail program.") },
	  { NULL }, NULL },
	{ "account_disabled", SIDE_SENDER_CLIENT,
	  N_("The sender's account is disabled or blocked from sending mail."),
	  NULL,
	  { N_("Check in the panel why the account is blocked (often after a hacked account sent spam)."),
	    N_("Once the account is secured (new password, computer checked for malware), ask an administrator to unblock it.") },
	  { NULL }, NULL },
	{ "sender_rejected", SIDE_SENDER_CLIENT,
	  N_("The server refused the sender address: this account is not allowed to send from it."),
	  NULL,
	  { N_("Send from the address you log in with, or from an alias in the same domain."),
	    N_("Check the sender address (From) set in the mail program, form or script."),
	    N_("If sending from abroad, check whether sending from that country is allowed for this domain.") },
	  { NULL }, NULL },
	{ "sender_address_invalid", SIDE_SENDER_CLIENT,
	  N_("The sender address is incomplete or wrongly written (for example without a domain, like root@localhost)."),
	  NULL,
	  { N_("Set a full, real sender address (name@domain) in the mail program, form or script."),
	    N_("For scripts and scheduled jobs, set the sender address in the script or the website's mail settings.") },
	  { NULL }, NULL },
	{ "sender_verify_failed", SIDE_SENDER_CLIENT,
	  N_("The receiving server checked the sender's address and found that it cannot receive replies, so it refused the message."),
	  N_("The receiving server could not check the sender's address just now; delivery will be retried automatically."),
	  { N_("Make sure the sender address really exists and accepts mail."),
	    N_("For scripts and forms, use a real, existing sender address (for example a mailbox in the website's domain).") },
	  { S_WAIT, N_("Make sure the sender address really exists and accepts mail.") }, NULL },
	{ "sending_limit", SIDE_SENDER_CLIENT,
	  N_("The sender went over a sending limit (too many messages or recipients in a short time)."),
	  N_("The sender went over a sending limit; more mail is refused for a while."),
	  { S_SPAM_CHECK,
	    N_("Otherwise wait a while, send fewer messages at a time and remove invalid addresses from the list."),
	    N_("For newsletters and mass mailings use a bulk-mail service instead of a regular mailbox.") },
	  { NULL }, NULL },
	{ "relay_denied_client", SIDE_SENDER_CLIENT,
	  N_("Our server refused to pass the message on, because the sender did not log in (SMTP authentication is off)."),
	  NULL,
	  { S_SMTP_AUTH,
	    N_("If the sender is not our customer, this is a spam attempt and can be ignored.") },
	  { NULL }, NULL },
	{ "tls_required_client", SIDE_SENDER_CLIENT,
	  N_("The server requires an encrypted connection, but the mail program connected without encryption."),
	  NULL,
	  { N_("In the mail program, set the outgoing server's security to SSL/TLS (port 465) or STARTTLS (port 587).") },
	  { NULL }, NULL },
	{ "tls_failed_client", SIDE_SENDER_CLIENT,
	  N_("A mail program or server connecting to ours could not set up an encrypted (TLS) connection."),
	  NULL,
	  { N_("Check the security settings of the mail program (SSL/TLS on port 465 or STARTTLS on 587) and update old software."),
	    N_("Many such lines from unknown addresses come from scanners and can be ignored.") },
	  { NULL }, NULL },
	{ "rdns_missing_sender", SIDE_SENDER_CLIENT,
	  N_("The sending server's IP address has no valid reverse DNS (PTR) name, so our server refused it."),
	  NULL,
	  { N_("The sender should ask their provider to set a correct PTR record for their mail server."),
	    N_("If the sender is trusted, an administrator can allow-list them on our server.") },
	  { NULL }, NULL },
	{ "rdns_mismatch", SIDE_SENDER_CLIENT,
	  N_("The connecting server's name in reverse DNS does not match its IP address."),
	  NULL,
	  { N_("Usually harmless on its own: many spam senders look like this."),
	    N_("A legitimate sender with this problem should fix their DNS (PTR record).") },
	  { NULL }, NULL },
	{ "helo_rejected_client", SIDE_SENDER_CLIENT,
	  N_("The sending program or server introduced itself with an invalid name (HELO), so our server refused it."),
	  NULL,
	  { N_("If it is our customer's program or device (for example a printer or scanner), check its SMTP settings or update it."),
	    N_("Otherwise it is usually a spam bot and can be ignored.") },
	  { NULL }, NULL },
	{ "protocol_error_client", SIDE_SENDER_CLIENT,
	  N_("The sending program or server sent commands our server could not accept (an SMTP protocol error)."),
	  NULL,
	  { N_("If it is our customer's program or device, check its outgoing server settings or update it."),
	    N_("Otherwise it is usually a scanner or spam bot and can be ignored.") },
	  { NULL }, NULL },
	{ "blocklisted_sender", SIDE_SENDER_CLIENT,
	  N_("The sending server's IP address is on a spam blocklist, so our server refused the message."),
	  NULL,
	  { N_("The sender should contact their mail provider: their server is listed as a source of spam."),
	    N_("If the sender is trusted, an administrator can allow-list them on our server.") },
	  { NULL }, NULL },
	{ "spam_content_incoming", SIDE_SENDER_CONTENT,
	  N_("Our spam filter judged the message to be spam and refused it."),
	  NULL,
	  { N_("If the message is wanted, an administrator can allow-list the sender on our server."),
	    N_("The sender should check the message content and their domain's SPF and DKIM settings.") },
	  { NULL }, NULL },
	{ "policy_rejected_incoming", SIDE_OUR_SERVER,
	  N_("Our server refused the message under its security or anti-spam policy."),
	  N_("Our server is holding the message back under its security or anti-spam policy; the sending server will retry."),
	  { S_READ_REPLY,
	    N_("If the message is wanted, an administrator can check the rule and allow-list the sender.") },
	  { NULL }, NULL },
	{ "login_failed", SIDE_SENDER_CLIENT,
	  N_("Someone tried to log in to the mail server with a wrong login or password."),
	  NULL,
	  { N_("If it is the customer's IP address, check the login and password saved in their mail program and phone."),
	    S_BOTS,
	    N_("If a login from a strange address later succeeds, the password has leaked: change it.") },
	  { NULL }, NULL },
	{ "non_smtp_command", SIDE_SENDER_CLIENT,
	  N_("Something that is not a mail program (usually a web scanner or bot) connected to the mail server."),
	  NULL,
	  { N_("Nothing to do: it was refused and can be ignored.") },
	  { NULL }, NULL },

	/* ---- sender's domain (DNS) ----------------------------------------- */
	{ "spf_failed", SIDE_SENDER_DOMAIN,
	  N_("The sender's domain failed the SPF check: the server that sent the message is not listed as allowed to send for that domain."),
	  N_("The sender's domain failed the SPF check (or its SPF record could not be read); the recipient's server is delaying the message."),
	  { N_("Check the SPF record of the sender's domain (a DNS TXT record starting with v=spf1)."),
	    N_("Make sure it includes every server that sends mail for the domain (our server, newsletter services and so on)."),
	    N_("If the domain's DNS is hosted by us, fix the record in the panel; otherwise at the DNS provider.") },
	  { NULL }, NULL },
	{ "dkim_failed", SIDE_SENDER_DOMAIN,
	  N_("The message had no valid DKIM signature for the sender's domain."),
	  N_("The message had no valid DKIM signature; the recipient's server is delaying it."),
	  { N_("Check that DKIM signing is enabled for the sender's domain (in the panel) and that its DKIM record is published in DNS."),
	    N_("Forwarding or a mailing list that changes the message can break the signature on the way.") },
	  { NULL }, NULL },
	{ "dmarc_failed", SIDE_SENDER_DOMAIN,
	  N_("The message failed the DMARC policy of the sender's domain: neither SPF nor DKIM confirmed that it really comes from that domain."),
	  NULL,
	  { N_("Check the SPF and DKIM settings of the domain in the From address, so that at least one of them passes."),
	    N_("If the From address is in someone else's domain (for example @gmail.com sent through our server), send from the customer's own domain instead."),
	    N_("Check the DMARC record (the _dmarc TXT record) of the sender's domain.") },
	  { NULL }, NULL },
	{ "sender_unauthenticated", SIDE_SENDER_DOMAIN,
	  N_("The recipient's server could not confirm the sender's domain: neither SPF nor DKIM passed (Gmail and others require this)."),
	  N_("The recipient's server could not confirm the sender's domain (neither SPF nor DKIM passed) and is delaying the message."),
	  { N_("Set up SPF and DKIM (and a DMARC record) for the sender's domain: without them Gmail refuses the mail."),
	    N_("Make sure the From address is in the customer's own domain, not someone else's.") },
	  { NULL }, NULL },
	{ "sender_domain_invalid", SIDE_SENDER_DOMAIN,
	  N_("The sender address uses a domain that does not exist in DNS, so the receiving server refused it."),
	  N_("The receiving server could not find the sender's domain in DNS just now; delivery will be retried automatically."),
	  { N_("Check the sender address for typos in the part after @."),
	    N_("Make sure the sender's domain is registered and its DNS works (it may have expired)."),
	    N_("For scripts and forms, use a real sender address, not a made-up one.") },
	  { S_WAIT, N_("Make sure the sender's domain is registered and its DNS works (it may have expired).") }, NULL },

	/* ---- temporary, nobody needs to act -------------------------------- */
	{ "greylisted", SIDE_TEMPORARY,
	  N_("The receiving server deliberately delayed the message (greylisting, an anti-spam measure) and asked for it to be sent again later."),
	  NULL,
	  { N_("Nothing to do: the sending server retries automatically and the message usually arrives within minutes to an hour."),
	    N_("Only if it is still undelivered after a few hours, look at the later attempts.") },
	  { NULL }, NULL },
	{ "retry_wait", SIDE_TEMPORARY,
	  N_("Our server did not try this time: an earlier attempt failed recently and it waits before trying again."),
	  NULL,
	  { S_LATER_ATTEMPTS,
	    N_("Otherwise nothing to do: delivery is retried automatically.") },
	  { NULL }, NULL },

	/* ---- server warnings (explain_warning) ----------------------------- */
	{ "config_domain_twice", SIDE_OUR_SERVER,
	  N_("Server misconfiguration: a domain is set up both as a local and as a virtual mail domain, so its mail may go to the wrong place or bounce."),
	  NULL,
	  { N_("Pass it on to a server administrator: the domain must be removed from one of the two lists (mydestination, or virtual_mailbox_domains / virtual_alias_domains).") },
	  { NULL }, NULL },
	{ "dovecot_unknown_user", SIDE_OUR_SERVER,
	  N_("The mailbox server (Dovecot) does not know this user: the mailbox does not exist, the login is mistyped, or the user lookup is misconfigured."),
	  NULL,
	  { N_("Check in the panel that the mailbox exists and that the login is the full e-mail address."),
	    N_("If the mailbox exists but its mail is refused, an administrator must check Dovecot's user lookup (for example the SQL query)."),
	    S_BOTS },
	  { NULL }, NULL },
	{ "auth_backend_down", SIDE_OUR_SERVER,
	  N_("Our server's login service is not working, so mail programs cannot log in to send mail."),
	  NULL,
	  { N_("Pass it on to a server administrator at once: the authentication service (for example saslauthd or Dovecot auth) must be fixed or restarted.") },
	  { NULL }, NULL },
	{ "config_lookup_failed", SIDE_OUR_SERVER,
	  N_("Our server could not read one of its address tables or databases, so some mail is refused or delayed."),
	  NULL,
	  { N_("Pass it on to a server administrator: check the database (MySQL, LDAP) connection and the table named in the line.") },
	  { NULL }, NULL },
	{ "config_map_stale", SIDE_OUR_SERVER,
	  N_("An address table was edited but not rebuilt, so our server still uses the old version."),
	  NULL,
	  { N_("Pass it on to a server administrator: rebuild the table (postmap) and reload the mail server.") },
	  { NULL }, NULL },
	{ "config_error", SIDE_OUR_SERVER,
	  N_("Our mail server's configuration contains an error, so part of it does not work."),
	  NULL,
	  { S_PASS_ADMIN },
	  { NULL }, NULL },
	{ "daemon_crashed", SIDE_OUR_SERVER,
	  N_("A part of our mail server crashed."),
	  NULL,
	  { S_PASS_ADMIN },
	  { NULL }, NULL },
	{ "queue_backlog", SIDE_OUR_SERVER,
	  N_("Our server's queue holds a lot of mail that cannot be delivered, which slows everything down."),
	  NULL,
	  { N_("Check whether an account is sending spam (many deferred messages to many domains)."),
	    N_("Pass it on to a server administrator to clean up the queue.") },
	  { NULL }, NULL },
	{ "disk_full", SIDE_OUR_SERVER,
	  N_("Our server has run out of disk space, so mail cannot be stored."),
	  NULL,
	  { N_("Pass it on to a server administrator at once.") },
	  { NULL }, NULL },

	/* ---- outcome only -------------------------------------------------- */
	{ "other", SIDE_NONE,
	  N_("The receiving server refused the message without giving a specific reason."),
	  N_("The receiving server could not accept the message right now and gave no specific reason; delivery will be retried automatically."),
	  { S_READ_REPLY, S_RCPT_ADMIN },
	  { S_WAIT, S_READ_REPLY }, NULL },
	{ "accepted", SIDE_NONE,
	  N_("The receiving server accepted the message at this step."),
	  NULL,
	  { N_("Nothing to do at this step.") },
	  { NULL }, NULL },
	{ "delivered", SIDE_NONE,
	  N_("The message was delivered: the receiving server accepted it."),
	  NULL,
	  { S_TRACE,
	    N_("Give the recipient the time of delivery and the server's reply, so that their administrator can trace it.") },
	  { NULL }, NULL },
	{ "delivered_remote", SIDE_RECIPIENT_SERVER,
	  N_("The recipient's mail server accepted the message; from then on, getting it into the inbox is up to that server."),
	  NULL,
	  { S_TRACE,
	    N_("Give the recipient's administrator the time of delivery and the server's reply (it contains their message id), so that they can trace it.") },
	  { NULL }, NULL },
	{ "delivered_mailbox", SIDE_RECIPIENT_ADDRESS,
	  N_("The message was saved in the recipient's mailbox on our server."),
	  NULL,
	  { N_("If the recipient cannot find it, check the spam (junk) folder and the filter and forwarding rules in webmail."),
	    N_("A mail program using POP3 may have downloaded it and removed it from the server: check the program on every device.") },
	  { NULL }, NULL },
	{ "forwarded", SIDE_RECIPIENT_ADDRESS,
	  N_("The message was forwarded to another address by a forwarding rule or alias."),
	  NULL,
	  { N_("Follow the forwarded copy (the new queue id) to see where it ended up."),
	    N_("If it should not be forwarded, check the forwarding settings of the mailbox.") },
	  { NULL }, NULL },
	{ "deferred", SIDE_TEMPORARY,
	  N_("Delivery has not succeeded yet; our server keeps retrying automatically."),
	  NULL,
	  { N_("Look at the reason given for the last attempt to see what is holding it up."),
	    N_("If it is still not delivered after a few days, the sender gets a failure report.") },
	  { NULL }, NULL },
	{ "expired", SIDE_NONE,
	  N_("Our server could not deliver the message for several days and gave up; the sender got a failure report (bounce)."),
	  NULL,
	  { N_("Look at the last attempts of this message: their reason explains why it kept failing."),
	    N_("Once that is fixed, the sender must send the message again.") },
	  { NULL }, NULL },
	{ "bounced", SIDE_NONE,
	  N_("The message could not be delivered and the sender got a failure report (bounce)."),
	  NULL,
	  { S_READ_REPLY, S_RESEND },
	  { NULL }, NULL },
	{ "rejected", SIDE_NONE,
	  N_("Our server refused the message while it was being sent, so it was never accepted."),
	  NULL,
	  { S_READ_REPLY,
	    N_("The sender got the error at once from their mail program or server.") },
	  { NULL }, NULL },
	{ "queued", SIDE_NONE,
	  N_("The message is in our server's queue and has not been delivered yet."),
	  NULL,
	  { N_("Check again in a few minutes; if it stays in the queue, look at the reason of the last attempt or pass it on to an administrator.") },
	  { NULL }, NULL },
	{ "partial", SIDE_NONE,
	  N_("Some recipients received the message and others did not."),
	  NULL,
	  { N_("Look at each recipient separately: the failed ones show their own reason.") },
	  { NULL }, NULL },
};
const size_t explain_entries_count = sizeof explain_entries / sizeof explain_entries[0];

/*
 * Reply texts, most specific first.  Matched against the reason/reply of
 * a non-delivered outcome (Postfix "(...)" text, Exim "SMTP error from
 * remote mail server ...: 550 ...", "defer (110): Connection timed out").
 */
const struct explain_rule explain_reply_rules[] = {
	/* Exim transports/smtp.c: "** userx@test.ex R=r1 T=t1 : all hosts for
	 * 'test.ex' have been failing for a long time (and retry time not
	 * reached)" - must precede retry_wait, whose words it contains. */
	{ "all hosts for .{0,300}? have been failing", "all_hosts_failing" },
	/* Exim "** e0@test.ex: retry timeout exceeded"; Postfix qmgr
	 * "status=expired, returned to sender". */
	{ "retry timeout exceeded|expired, returned to sender|delivery time expired", "expired" },
	/* Exim "== usery@domain1 routing defer (-52): retry time not reached",
	 * "defer (-53): Retry time not yet reached". */
	{ "retry time not (yet )?reached", "retry_wait" },
	/* Exim "Frozen (delivery error message)": a bounce that bounced. */
	{ "frozen \\(delivery error message\\)", "frozen_bounce" },
	/* Exim "Frozen", "Frozen by the system filter: ...", "Message is
	 * frozen"; Postfix postsuper "placed on hold". */
	{ "^\\s*(message is )?frozen\\b|\\bfrozen by\\b|placed on hold", "frozen" },
	/* Postfix smtp: "SASL authentication failed; server xyz.example.com
	 * [1.2.3.4] said: 535 5.7.8 Error: authentication failed" */
	{ "SASL authentication failed; server", "relay_auth_failed" },
	/* Postfix smtp: "mail for example.net loops back to myself" */
	{ "loops back to myself", "mx_loops_to_self" },
	/* Postfix local "mail forwarding loop for tom@example.com"; Exim
	 * "Too many \"Received\" headers - suspected mail loop". */
	{ "forwarding loop|mail loop|routing loop|too many hops|hop count exceeded", "mail_loop" },
	/* postgrey "450 4.7.1 <x>: Recipient address rejected: Greylisted for
	 * 5 minutes"; PMG "451 4.7.1 Greylisting in action, please come back
	 * later" - before the address rules: the text names the recipient. */
	{ "gr[ae]y-?list", "greylisted" },
	/* DirectAdmin "User account (x) is not allowed to send emails",
	 * "User account x is blocked via BLACKLIST_USERNAMES" - before
	 * the blocklist rule, which would take "BLACKLIST". */
	{ "not allowed to send e-?mails|user account \\S+ is blocked|account (is )?(disabled|blocked|suspended) for sending", "account_disabled" },
	/* Spamhaus "554 5.7.1 Service unavailable; Client host [x] blocked
	 * using zen.spamhaus.org"; Barracuda "blocked by BARRACUDACENTRAL (RBL
	 * ...)"; Cloudmark "550 Address IP is the source of spam ...
	 * csi.cloudmark.com/reset-request"; Microsoft "... part of their network
	 * is on our block list (S3150)"; DirectAdmin "IP Blocked due to SPAM",
	 * "Email blocked by $dnslist_domain". */
	{ "blocked using|\\bRBL\\b|\\bDNSBL\\b|spamhaus|barracuda|cloudmark|spamcop|sorbs|uceprotect"
	  "|\\blisted (in|on|by|at)\\b|block ?list|black ?list|client host (\\[[^\\]]*\\] )?blocked"
	  "|\\bS3[01]\\d\\d\\b|banned sending IP|is the source of spam|(IP|host|domain|email) blocked due to spam"
	  "|email blocked by|not authori[sz]ed to send (e-?mail )?directly|\\[BL\\d+\\]"
	  "|traffic not accepted from this IP|poor reputation", "blocklisted" },
	/* Dovecot/Postfix: "552 5.2.2 User mailbox exceeded quota limit",
	 * "user is over quota", "Mailbox full", Gmail "The recipient's inbox
	 * is out of storage space", RFC 5321 552 "exceeded storage allocation".
	 * Before the size and limit rules ("exceeded ..."). */
	{ "over ?quota|(?<!sending )(?<!message )(?<!hourly )(?<!daily )quota (exceeded|exceed|limit)|exceeded (its |the |their |his |her )?(storage |mailbox |disk )?(quota|storage allocation)"
	  "|mailbox (is )?full|mailbox size limit exceeded|out of storage space|insufficient quota", "mailbox_full" },
	/* "552 Error: message to large" (sic, support guide); Postfix "552
	 * 5.3.4 Message size exceeds fixed limit"; Exim "message too big". */
	{ "message (size|length) exceeds|size exceeds|exceeds? (the )?(max(imum)? )?(message )?size"
	  "|message (is )?too (big|large)|message to large|message file too big|\\bfile too large|size limit"
	  "|too big for|mail too (big|large)", "message_too_large" },
	/* "452 4.5.3 Too many recipients" - before the rate rules ("too many"). */
	{ "too many recipients|recipient limit|max(imum)? (number of )?recipients", "too_many_recipients" },
	/* Polish hosting gateway "5.1.0 ... policy violation"; DirectAdmin
	 * "User account x has sent too many emails".  ("451 4.7.28 flood
	 * policy violation" is the receiver throttling us: rate_limited.) */
	{ "(?<!flood )policy violation|sent too many|sending (limit|quota)|(hourly|daily|message|sending) (limit|quota) (exceeded|reached)"
	  "|too many messages", "sending_limit" },
	/* Gmail "421-4.7.0 ... unusual rate of unsolicited mail ... has been
	 * temporarily rate limited"; Yahoo "[TSS04] Messages from x temporarily
	 * deferred due to unexpected volume"; "451 4.7.28 flood policy
	 * violation"; postscreen "too many connections".  Before spam. */
	{ "unusual rate|rate[- ]?limit|throttl|\\[TSS\\d+\\]|temporarily deferred due to|too many (connections|concurrent)"
	  "|\\b4\\.7\\.28\\b|\\bflood\\b", "rate_limited" },
	/* Gmail "550 5.7.26 Unauthenticated email from x is not accepted due
	 * to domain's DMARC policy" - before "unauthenticated" and spam. */
	{ "\\bDMARC\\b", "dmarc_failed" },
	/* Gmail "550-5.7.26 This mail is unauthenticated ... must authenticate
	 * with at least one of SPF or DKIM". */
	{ "unauthenticated|SPF or DKIM|DKIM or SPF|authentication checks|authentication information", "sender_unauthenticated" },
	/* Gmail "550 5.7.26 This message fails to pass SPF checks for an SPF
	 * record with a hard fail policy"; Postfix policyd-spf "Rejected by
	 * SPF: x is not a designated mailserver". */
	{ "\\bSPF\\b|designated mail ?server|not (a )?permitted sender", "spf_failed" },
	/* RFC 7372 X.7.20 "No passing DKIM signature found"; "DKIM signature
	 * verification failed". */
	{ "\\bDKIM\\b|domainkeys", "dkim_failed" },
	/* amavis "Blocked INFECTED (Eicar-Test-Signature)"; Exim clamav
	 * "denied - virus of harmful content". */
	{ "virus|malware|infected|trojan", "virus" },
	/* Gmail "550-5.7.1 ... this message is likely unsolicited mail";
	 * support guide "5.1.0 ... spam detected"; NetEase "554 DT:SPM ..." */
	{ "unsolicited|spam detected|(judged|classified|identified|detected|considered|rejected|marked|flagged|blocked) as spam"
	  "|looks like spam|likely spam|\\bDT:SPM\\b|blocked spam|X-Spam-Status: Yes|\\bspam score|message (is |was )?spam", "spam_content" },
	/* amavis "Blocked BANNED"; "552 5.7.0 ... attachment ... not allowed". */
	{ "banned (file|attachment|content)|blocked banned|attachment.{0,40}(not allowed|prohibited|blocked|forbidden|rejected)"
	  "|(prohibited|forbidden|blocked) (attachment|file type)|content rejected|content polic", "content_blocked" },
	/* Exim "SMTP AUTH is required for message submission on port 587";
	 * DirectAdmin "relay not permitted, authentication required";
	 * "530 5.7.0 Authentication required".  Before relay_denied. */
	{ "authentication (is )?required|auth(entication)? is required|must authenticate|SMTP AUTH is required", "auth_required" },
	/* "Invalid authentication mechanism"; X.7.9 "mechanism is too weak". */
	{ "mechanism (is )?too weak|(invalid|unsupported|unknown) (authentication )?mechanism", "auth_mechanism" },
	/* Exim "535 Incorrect authentication data"; support guide "5.1.0 ...
	 * authentication failed"; Gmail "535-5.7.8 Username and Password not
	 * accepted". */
	{ "authentication (credentials )?(failed|invalid|unsuccessful)|authentication failure|incorrect authentication data"
	  "|invalid credentials|username and password not accepted|password (incorrect|mismatch|is wrong)"
	  "|bad username or password|auth(entication)? failed|login failed", "auth_failed" },
	/* Exim: "response to \"EHLO\" did not include SMTPUTF8" */
	{ "SMTPUTF8|non-ASCII|internationali[sz]ed (e-?mail )?address", "smtputf8_unsupported" },
	/* Postfix "450 4.1.8 <x>: Sender address rejected: Domain not found". */
	{ "sender address rejected: domain not found|sender domain (does not exist|not found|must (exist|resolve))"
	  "|unverified sender domain|sender address rejected: .{0,40}(no MX|no A record|unknown domain)", "sender_domain_invalid" },
	/* Postfix "504 5.5.2 <aap@henk>: Sender address rejected: need
	 * fully-qualified address". */
	{ "need fully[- ]qualified address|sender address (is )?(invalid|malformed)|bad sender address syntax", "sender_address_invalid" },
	/* Exim "rejected RCPT <x>: Sender verify failed"; Postfix "Sender
	 * address rejected: undeliverable address". */
	{ "sender verify fail|could not complete sender verify|sender address rejected: (undeliverable|unverified) address", "sender_verify_failed" },
	/* support guide "5.1.0 <x@domain> sender rejected"; Postfix "553 5.7.1
	 * <x>: Sender address rejected: not owned by user ph123". */
	{ "sender (address )?rejected|not owned by user|sender (is )?not (allowed|authori[sz]ed|permitted)"
	  "|not authori[sz]ed to send (as|from|on behalf)", "sender_rejected" },
	/* Postfix "Helo command rejected: need fully-qualified hostname";
	 * DirectAdmin "HELO is an IP address", "Bad HELO - ...". */
	{ "helo command rejected|bad helo|helo is an ip|invalid helo|rejected (EHLO|HELO)|need fully[- ]qualified hostname", "helo_rejected" },
	/* Postfix "550 5.7.25 Client host rejected: cannot find your hostname";
	 * Gmail "5.7.25 ... does not have a PTR record setup". */
	{ "cannot find your (reverse )?hostname|reverse (DNS|hostname|lookup)|\\bPTR\\b|client host rejected: cannot find", "rdns_missing" },
	/* Exim "550 encryption required"; "530 5.7.0 Must issue a STARTTLS
	 * command first". */
	{ "encryption (is )?required|must issue a STARTTLS|STARTTLS (is )?required|TLS (is )?required|requires? (TLS|encryption)|must use TLS", "tls_required" },
	/* postfix/tlsproxy "TLS handshake failed"; "454 4.7.0 TLS not available
	 * due to local problem"; Exim "TLS error on connection". */
	{ "TLS handshake|TLS (error|negotiation|library problem)|SSL_accept|SSL routines|certificate (verif|expired|has expired|not trusted)"
	  "|cannot start TLS|TLS not available|handshake fail", "tls_failed" },
	/* Postfix "554 5.7.1 <x>: Relay access denied"; Exim "rejected RCPT
	 * <x>: relay not permitted"; "550 5.7.1 Unable to relay for x". */
	{ "relay(ing)? access denied|relay(ing)? (is )?(not permitted|denied|not allowed|prohibited)|unable to relay"
	  "|(not permitted|not allowed) to relay|we do not relay|no relaying", "relay_denied" },
	/* "The recipient domain has a null MX" (RFC 7505). */
	{ "null MX|domain does not accept (e-?)?mail", "recipient_null_mx" },
	/* support guide "5.1.1 ... invalid destination domains"; Postfix
	 * "Host or domain name not found. Name service error for name=x type=
	 * AAAA: Host not found"; Exim "unknown mail domain". */
	{ "invalid destination domain|host or domain name not found|domain not found|unknown mail domain|unrouteable mail domain"
	  "|domain (name )?(does not|doesn't) exist|no such domain|\\bNXDOMAIN\\b|failed to lookup IP address|no IP address found for host"
	  "|all relevant MX records point to non-existent hosts|name service error", "recipient_domain_invalid" },
	/* Postfix "451 4.3.0 <x>: Temporary lookup failure". */
	{ "temporary lookup failure|map lookup problem|lookup (table )?(failure|error)|temporary local problem", "lookup_failure" },
	/* "550 No such user here", "550 ... No mailbox here by that name
	 * (#5.1.1)", "User unknown in virtual mailbox table", Postfix local
	 * "unknown user: \"x\"", Gmail "The email account that you tried to
	 * reach does not exist", Microsoft "RecipientNotFound", Exim
	 * "Unrouteable address". */
	{ "no such (user|mailbox|recipient|address|account|local user)|no mailbox here|user unknown|unknown user|unknown recipient"
	  "|recipient unknown|recipient not found|user not found|mailbox not found|mailbox (does not|doesn't) exist"
	  "|(account|address|user|recipient)( that you tried to reach)? (does not|doesn't) exist|invalid recipient|invalid mailbox"
	  "|RecipNotFound|RecipientNotFound|AS\\(201806281\\)|unrouteable address|undeliverable address"
	  "|doesn't have a \\S+ account|not a valid (mailbox|recipient|user)", "no_such_user" },
	/* Gmail "550-5.2.1 The email account that you tried to reach is
	 * disabled"; X.2.1 "mailbox disabled, not accepting messages". */
	{ "(account|mailbox|user|recipient)( that you tried to reach)? (is |has been )?(disabled|suspended|inactive|deactivated)"
	  "|mailbox disabled|not accepting messages|inactive (user|mailbox|account)", "mailbox_disabled" },
	/* errno texts: Exim "defer (111): Connection refused", Postfix
	 * "connect to x[ip]:25: No route to host", "Network is unreachable",
	 * "lost connection with x while sending RCPT TO". */
	{ "no route to host|network is unreachable|host unreachable|network unreachable", "no_route" },
	{ "connection refused", "conn_refused" },
	{ "timed out|\\btimeout\\b|no answer from|not responding", "conn_timeout" },
	{ "lost connection|connection (reset|closed|lost|dropped)|remote host closed connection|broken pipe|unexpected disconnection", "conn_lost" },
	/* Generic "try again later" after everything specific: whyscream
	 * "host mg2.egov.bg[...] refused to talk to me: 450 4.3.2 try again
	 * later". */
	{ "try again later|come back later|try later|retry later", "greylisted" },
};
const size_t explain_reply_rules_count = sizeof explain_reply_rules / sizeof explain_reply_rules[0];

/* Delivered: what kind of delivery the reply text describes. */
const struct explain_rule explain_delivered_rules[] = {
	/* Postfix local "(forwarded as 4PbMVH1yTpz3tG3)" */
	{ "forwarded as|forwarded to", "forwarded" },
	/* amavis re-injection "250 2.0.0 from MTA(smtp:[127.0.0.1]:10025):
	 * 250 2.0.0 Ok: queued as X" */
	{ "from MTA\\(", "delivered_filter" },
	/* Postfix local/virtual "delivered to mailbox|maildir|command",
	 * Dovecot "saved mail to INBOX", LMTP "250 2.0.0 <x> id Saved". */
	{ "delivered to (mailbox|maildir|file|command)|delivered via \\S+ service|saved mail to|stored mail into|\\bsaved\\b", "delivered_mailbox" },
	/* remote "250 2.0.0 Ok: queued as 153053D", Exim C="250 OK id=..." */
	{ "\\b250\\b|queued as|\\bOK\\b", "delivered_remote" },
};
const size_t explain_delivered_rules_count = sizeof explain_delivered_rules / sizeof explain_delivered_rules[0];

/* Server warnings: what a warning line means. */
const struct explain_rule explain_warning_rules[] = {
	/* Postfix trivial-rewrite "warning: do not list domain x in BOTH
	 * mydestination and virtual_mailbox_domains" */
	{ "do not list domain .{0,300}? in BOTH", "config_domain_twice" },
	/* Postfix "warning: database /etc/postfix/virtual.db is older than
	 * source file /etc/postfix/virtual" */
	{ "is older than source file", "config_map_stale" },
	/* Postfix smtpd "SASL authentication failure: cannot connect to
	 * saslauthd server: Permission denied"; "SASL LOGIN authentication
	 * failed: Connection lost to authentication server". */
	{ "cannot connect to saslauthd|connection lost to authentication server|auth(entication)? (server|service) (is )?(down|not running|unavailable)", "auth_backend_down" },
	/* "No space left on device" (any daemon). */
	{ "no space left on device|disk (is )?full|insufficient disk space", "disk_full" },
	/* Postfix "warning: 9BECF3F19D: sender_canonical_maps map lookup
	 * problem ..."; "virtual_alias_domains lookup failure";
	 * "dict_ldap_lookup: Search error -1: Can't contact LDAP server".  Not
	 * "dnsblog_query: lookup error for DNS query x.list.dnswl.org": a DNS
	 * list simply not listing a client is no fault. */
	{ "map lookup problem|lookup failure|(?<!dnsblog_query: )lookup error|can't contact LDAP|dict_\\w+: .{0,80}(error|failed)|table lookup problem", "config_lookup_failed" },
	/* Postfix "fatal: file /etc/postfix/main.cf: parameter default_privs:
	 * unknown user name value: nobody" - before "unknown user". */
	{ "fatal: .{0,80}(main\\.cf|master\\.cf|parameter|configuration)|configuration (file )?error", "config_error" },
	/* Postfix "fatal: root(0): message file too big"; "warning: uid=0:
	 * File too large". */
	{ "message file too big|\\bfile too large", "message_too_large" },
	/* master "warning: process /usr/libexec/postfix/smtpd pid 46234 killed
	 * by signal 11"; "panic:". */
	{ "killed by signal|\\bpanic:|segmentation fault|core dumped", "daemon_crashed" },
	/* qmgr "warning: lots of deferred mail, that is bad for performance" */
	{ "lots of deferred mail", "queue_backlog" },
	/* Dovecot "auth-worker(24544): pam(toto,1.1.1.1): unknown user",
	 * "sql(testing@example.com,192.168.1.1): unknown user". */
	{ "unknown user|user doesn't exist|user not found", "dovecot_unknown_user" },
	/* Dovecot LDA/LMTP "Quota exceeded (mailbox for user is full)". */
	{ "quota exceeded|over quota|mailbox (is )?full", "mailbox_full" },
	/* Postfix "SASL CRAM-MD5 authentication failed: Invalid authentication
	 * mechanism". */
	{ "(invalid|unsupported|unknown) (authentication )?mechanism", "auth_mechanism" },
	/* Postfix "warning: unknown[x]: SASL LOGIN authentication failed:
	 * authentication failure"; Exim "dovecot_plain authenticator failed
	 * for ... 535 Incorrect authentication data"; Dovecot "(auth failed,
	 * 1 attempts in 6 secs)". */
	{ "authentication failed|authenticator failed|auth failed|authentication failure|password mismatch|incorrect authentication data", "login_failed" },
	/* postfix/tlsproxy "TLS handshake failed for service=smtpd peer=...";
	 * Exim "TLS error on connection from ..."; Dovecot "SSL_accept()
	 * failed". */
	{ "TLS handshake|TLS error|TLS library problem|SSL_accept|SSL routines|handshake fail", "tls_failed_client" },
	/* Postfix "warning: non-SMTP command from unknown[x]: GET / HTTP/1.1" */
	{ "non-SMTP command|improper command pipelining", "non_smtp_command" },
	/* anvil "warning: Connection rate limit exceeded: 31 from x for service
	 * smtpd"; DirectAdmin "User account x has sent too many emails". */
	{ "rate limit exceeded|too many connections|sent too many", "sending_limit" },
	/* dnsblog "addr 180.214.239.18 listed by domain zen.spamhaus.org as
	 * 127.0.0.4"; Exim "rejected found in dnsbl zen.spamhaus.org". */
	{ "\\blisted by domain\\b|blocked using|\\bdnsbl\\b", "blocklisted_sender" },
	/* Postfix "warning: hostname x does not resolve to address y"; Exim
	 * "no host name found for IP address 127.0.0.2". */
	{ "does not resolve to address|address not listed for hostname|no host name found for IP address", "rdns_mismatch" },
};
const size_t explain_warning_rules_count = sizeof explain_warning_rules / sizeof explain_warning_rules[0];

/*
 * Enhanced status codes, RFC 3463 (X.0.0 - X.7.7) plus later registrations
 * (IANA smtp-enhanced-status-codes): X.1.10 null MX (RFC 7505), X.5.6 and
 * X.7.8 - X.7.13 (RFC 4954/5248), X.6.7 - X.6.9 (RFC 6531), X.7.14 - X.7.16
 * (RFC 5248/6710), X.7.17 - X.7.19 (RFC 7293), X.7.20 - X.7.26 (RFC 7372),
 * X.7.27 (RFC 7505 sender null MX; Gmail uses it for SPF failures, so it
 * is explained as SPF), X.7.28 mail flood.  A code not listed falls back
 * to X.<subject>.0, then X.0.0.
 */
const struct explain_dsn_map explain_dsn_table[] = {
	{ 0, 0, "other" },
	{ 1, 0, "address_other" },
	{ 1, 1, "no_such_user" },
	{ 1, 2, "recipient_domain_invalid" },
	{ 1, 3, "address_syntax" },
	{ 1, 4, "address_ambiguous" },
	{ 1, 5, "accepted" },
	{ 1, 6, "mailbox_moved" },
	{ 1, 7, "sender_address_invalid" },
	{ 1, 8, "sender_domain_invalid" },
	{ 1, 10, "recipient_null_mx" },
	{ 2, 0, "mailbox_problem" },
	{ 2, 1, "mailbox_disabled" },
	{ 2, 2, "mailbox_full" },
	{ 2, 3, "message_too_large" },
	{ 2, 4, "list_expansion" },
	{ 3, 0, "server_problem" },
	{ 3, 1, "server_full" },
	{ 3, 2, "server_not_accepting" },
	{ 3, 3, "server_unsupported" },
	{ 3, 4, "message_too_large" },
	{ 3, 5, "server_misconfigured" },
	{ 4, 0, "network_problem" },
	{ 4, 1, "conn_timeout" },
	{ 4, 2, "conn_lost" },
	{ 4, 3, "dns_failure" },
	{ 4, 4, "recipient_domain_invalid" },
	{ 4, 5, "server_busy" },
	{ 4, 6, "mail_loop" },
	{ 4, 7, "expired" },
	{ 5, 0, "protocol_error" },
	{ 5, 1, "protocol_error" },
	{ 5, 2, "protocol_error" },
	{ 5, 3, "too_many_recipients" },
	{ 5, 4, "protocol_error" },
	{ 5, 5, "protocol_error" },
	{ 5, 6, "protocol_error" },
	{ 6, 0, "content_conversion" },
	{ 6, 1, "content_conversion" },
	{ 6, 2, "content_conversion" },
	{ 6, 3, "content_conversion" },
	{ 6, 4, "content_conversion" },
	{ 6, 5, "content_conversion" },
	{ 6, 6, "content_conversion" },
	{ 6, 7, "smtputf8_unsupported" },
	{ 6, 8, "smtputf8_unsupported" },
	{ 6, 9, "smtputf8_unsupported" },
	{ 7, 0, "policy_rejected" },
	{ 7, 1, "policy_rejected" },
	{ 7, 2, "list_not_allowed" },
	{ 7, 3, "security_unsupported" },
	{ 7, 4, "security_unsupported" },
	{ 7, 5, "crypto_failed" },
	{ 7, 6, "crypto_failed" },
	{ 7, 7, "crypto_failed" },
	{ 7, 8, "auth_failed" },
	{ 7, 9, "auth_mechanism" },
	{ 7, 10, "tls_required" },
	{ 7, 11, "tls_required" },
	{ 7, 12, "password_change" },
	{ 7, 13, "account_disabled" },
	{ 7, 14, "policy_rejected" },
	{ 7, 15, "policy_rejected" },
	{ 7, 16, "message_too_large" },
	{ 7, 17, "address_reassigned" },
	{ 7, 18, "address_reassigned" },
	{ 7, 19, "policy_rejected" },
	{ 7, 20, "dkim_failed" },
	{ 7, 21, "dkim_failed" },
	{ 7, 22, "dkim_failed" },
	{ 7, 23, "spf_failed" },
	{ 7, 24, "spf_failed" },
	{ 7, 25, "rdns_missing" },
	{ 7, 26, "sender_unauthenticated" },
	{ 7, 27, "spf_failed" },
	{ 7, 28, "rate_limited" },
};
const size_t explain_dsn_table_count = sizeof explain_dsn_table / sizeof explain_dsn_table[0];

/* Basic reply codes (RFC 5321 4.2.2/4.2.3, RFC 4954, RFC 7504). */
const struct explain_code_map explain_code_table[] = {
	{ 421, "server_busy" },          /* service not available, closing */
	{ 450, "mailbox_unavailable" },  /* mailbox unavailable (busy/policy) */
	{ 451, "server_problem" },       /* local error in processing */
	{ 452, "server_full" },          /* insufficient system storage */
	{ 454, "policy_rejected" },      /* TLS/auth temporarily unavailable, Postfix relay */
	{ 455, "protocol_error" },       /* unable to accommodate parameters */
	{ 500, "protocol_error" },
	{ 501, "protocol_error" },
	{ 502, "protocol_error" },
	{ 503, "protocol_error" },
	{ 504, "protocol_error" },
	{ 521, "server_not_accepting" }, /* RFC 7504: host does not accept mail */
	{ 530, "auth_required" },        /* authentication required */
	{ 534, "auth_mechanism" },       /* RFC 4954: mechanism too weak */
	{ 535, "auth_failed" },          /* RFC 4954: credentials invalid */
	{ 538, "tls_required" },         /* RFC 4954: encryption required for mechanism */
	{ 550, "mailbox_unavailable" },  /* mailbox unavailable / not found / policy */
	{ 551, "mailbox_moved" },        /* user not local */
	{ 552, "message_too_large" },    /* exceeded storage allocation (size) */
	{ 553, "address_syntax" },       /* mailbox name not allowed */
	{ 554, "policy_rejected" },      /* transaction failed (mostly policy/spam) */
	{ 555, "protocol_error" },       /* MAIL/RCPT parameters not recognised */
	{ 556, "recipient_null_mx" },    /* RFC 7504: domain does not accept mail */
};
const size_t explain_code_table_count = sizeof explain_code_table / sizeof explain_code_table[0];

const struct explain_outcome_map explain_outcome_table[] = {
	{ OUT_QUEUED, "queued" },
	{ OUT_DELIVERED, "delivered" },
	{ OUT_DEFERRED, "deferred" },
	{ OUT_BOUNCED, "bounced" },
	{ OUT_EXPIRED, "expired" },
	{ OUT_REJECTED, "rejected" },
	{ OUT_PARTIAL, "partial" },
};
const size_t explain_outcome_table_count = sizeof explain_outcome_table / sizeof explain_outcome_table[0];

const char *const explain_side_labels[SIDE__COUNT] = {
	[SIDE_NONE] = N_("Not determined"),
	[SIDE_RECIPIENT_ADDRESS] = N_("Recipient's address or mailbox"),
	[SIDE_RECIPIENT_SERVER] = N_("Recipient's mail server"),
	[SIDE_OUR_SERVER] = N_("Our mail server"),
	[SIDE_SENDER_CONTENT] = N_("The message itself (content, size, attachments)"),
	[SIDE_SENDER_CLIENT] = N_("Sender's mail program, account or server"),
	[SIDE_TEMPORARY] = N_("Temporary: nobody needs to act"),
	[SIDE_SENDER_DOMAIN] = N_("Sender's domain settings (DNS: SPF, DKIM, DMARC)"),
};

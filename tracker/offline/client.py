"""What offline.js needs from the server, given to every page as a JSON island (the CSP forbids
inline scripts, and a `type="application/json"` block is data, not script): who is signed in,
the user's time zone, the URLs, the form's version, and every message already translated.

Messages that depend on a number are given once per CLDR plural category of the page's language
(Russian has one/few/many, Chinese only other), and the script picks one with Intl.PluralRules.
"""
from __future__ import annotations

from babel import Locale
from flask import url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from tracker import localtime
from tracker.evidence.uploads import refusal_message
from tracker.evidence.validation import max_bytes, too_large
from tracker.incidents.permissions import can_record
from tracker.offline import version


def plural_forms(translate) -> dict[str, str]:
    """{CLDR category: message with `%(num)s`} for the page's language; `translate(n)` is the
    ngettext call (written out, so that the strings are extracted)."""
    locale = Locale.parse(str(get_locale() or "en"))
    samples: dict[str, int] = {}
    for number in range(0, 200):
        samples.setdefault(locale.plural_form(number), number)
    return {category: translate(number).replace(str(number), "%(num)s", 1) for category, number in samples.items()}


def messages() -> dict:
    return {
        "waiting": plural_forms(lambda n: ngettext("Saved on this phone, %(num)d waiting to send",
                                                   "Saved on this phone, %(num)d waiting to send", n)),
        "signOutWarning": plural_forms(lambda n: ngettext(
            "%(num)d incident recorded on this phone has not reached the server yet. If you sign out now it "
            "stays on this phone, and is sent when you sign in here again.",
            "%(num)d incidents recorded on this phone have not reached the server yet. If you sign out now "
            "they stay on this phone, and are sent when you sign in here again.", n)),
        "signOutTitle": _("Incidents are waiting to send"),
        "signOutAnyway": _("Sign out anyway"),
        "staySignedIn": _("Stay signed in"),
        "sendNow": _("Send now"),
        "sending": _("Sending…"),
        "showQueue": _("Show what is waiting"),
        "allSent": _("Everything recorded on this phone has reached the server."),
        "signIn": _("Sign in again to send: your session has ended. Nothing is lost; the incidents stay on "
                    "this phone."),
        "signInLink": _("Sign in"),
        "noConnection": _("No connection: they will be sent when the phone finds a signal."),
        "cachedCopy": _("No connection: this page is the copy kept on this phone."),
        "needsFix": _("Some incidents need correcting before they can be sent."),
        "savedHere": _("No connection: the incident was saved on this phone. It will be sent when there is a "
                       "signal."),
        "savedDraft": _("The corrected incident was saved on this phone and waits to be sent."),
        "keptFile": _("Kept on this phone, sent with the incident."),
        "doesNotFit": _("%(name)s does not fit in the space this browser gives the site (%(free)s left). Free "
                        "some space on the phone or leave the photo out.", name="%(name)s", free="%(free)s"),
        "tooLarge": refusal_message("%(name)s", too_large()),
        "remove": _("Remove"),
        "draftBack": _("The server did not accept this incident. Correct the marked fields and save again."),
        "olderForm": _("This incident was saved with an older version of the form. Check every field and save "
                       "again."),
        "stateWaiting": _("Waiting to send"),
        "stateSending": _("Sending…"),
        "stateNeedsFix": _("Needs correcting"),
        "stateRefused": _("Not accepted"),
        "stateConflict": _("Already used for another incident"),
        "asDraft": _("to be saved as a draft"),
        "asSubmitted": _("to be submitted for review"),
        "photos": plural_forms(lambda n: ngettext("%(num)d file", "%(num)d files", n)),
        "correct": _("Correct"),
        "removeEntry": _("Remove from this phone"),
        "confirmRemove": _("Remove this incident from the phone? It has not reached the server, and cannot be "
                           "recovered."),
        "conflict": _("The server already holds an incident under this entry's key with other content. Check "
                      "your incidents; remove this entry only if it is there."),
        "empty": _("Nothing is waiting on this phone."),
        "usage": _("The waiting incidents use %(used)s on this phone; the browser gives this site about "
                   "%(quota)s.", used="%(used)s", quota="%(quota)s"),
        "persisted": _("This browser keeps this storage until you delete it."),
        "notPersisted": _("This browser may delete this storage when the phone runs out of space."),
        "noTime": _("no time entered"),
        "noCategory": _("no category chosen"),
        "sizeUnits": [_("B"), _("KB"), _("MB"), _("GB")],
    }


def config() -> dict:
    """The island's content; for visitors who are not signed in only what clearing needs."""
    if not current_user.is_authenticated:
        return {"user": None}
    return {
        "user": current_user.id,
        "recorder": can_record(current_user),
        "lang": str(get_locale() or "en")[:2],
        "zone": localtime.user_zone().key,
        "version": version.current(),
        "formVersion": version.form_version(),
        "worker": url_for("offline.service_worker"),
        "state": url_for("offline.state"),
        "outbox": url_for("offline.outbox"),
        "create": url_for("incidents.create"),
        "login": url_for("auth.login"),
        "api": url_for("api.create_incident"),
        "maxBytes": max_bytes(),
        "messages": messages() if can_record(current_user) else {},
    }

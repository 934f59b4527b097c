"""Four languages: every string translated, catalogs current with the sources, no untranslated
template text, and the language chosen by session choice > account preference > browser."""
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.support.factories import PASSWORD, make_user
from tracker import i18n_catalogs
from tracker.extensions import db
from tracker.i18n import LANGUAGE_NAMES, TRANSLATED
from tracker.i18n_catalogs import missing, stale
from tracker.i18n_lint import untranslated_text
from tracker.models import User

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def test_every_interface_string_is_translated_into_each_language():
    assert set(TRANSLATED) == set(LANGUAGE_NAMES) - {"en"}
    gaps = missing()
    assert gaps == [], "untranslated (run: python -m tracker.i18n_catalogs update):\n" + "\n".join(
        " | ".join(g) for g in gaps[:40])


def test_catalogs_hold_exactly_the_strings_of_the_sources():
    assert stale() == [], "stale catalogs (run: python -m tracker.i18n_catalogs update, then translate)"


def test_templates_write_no_text_outside_the_translation_functions(app):
    findings = untranslated_text(TEMPLATES, app.jinja_env)
    assert findings == [], "wrap in {{ _(...) }}:\n" + "\n".join(map(str, findings))


def test_the_template_check_finds_text_and_visible_attributes(app, tmp_path):
    (tmp_path / "page.html").write_text(
        '<p title="Open map">{{ _("Fine") }} Save now</p>{% trans %}Fine too{% endtrans %}'
        '<script>var s = "code";</script><input type="submit" value="Go"><img alt="" src="x">'
        '<span aria-label="{{ _(\'Fine\') }}">CITES · UTC {{ n }} km²</span>')
    found = [f.text for f in untranslated_text(tmp_path, app.jinja_env)]
    assert found == ["Open map", "… Save now", "Go", "CITES · UTC … km²"]


def test_a_changed_source_string_makes_its_catalog_stale(monkeypatch, tmp_path):
    source = tmp_path / "page.html"
    source.write_text('{{ _("Old text") }}')
    catalog = i18n_catalogs.Source(tmp_path / "demo" / "translations", "messages", ("mn",),
                                   lambda: i18n_catalogs.extract([source]))
    monkeypatch.setattr(i18n_catalogs, "sources", lambda: [catalog])
    i18n_catalogs.update()
    assert stale() == []
    source.write_text('{{ _("New text") }}')
    assert stale() == [("demo", "mn")]
    i18n_catalogs.update()
    assert stale() == [] and missing() == [("demo", "mn", "New text")]


def test_accept_language_chooses_the_locale(client):
    body = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_data(as_text=True)
    assert '<html lang="zh"' in body and "登录" in body
    body = client.get("/login", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="ru"' in body and "Войти" in body
    body = client.get("/login", headers={"Accept-Language": "mn-MN,mn;q=0.9"}).get_data(as_text=True)
    assert '<html lang="mn"' in body and "Нэвтрэх" in body


def test_language_switcher_overrides_the_browser(client):
    client.post("/language", data={"lang": "zh", "next": "/login"})
    body = client.get("/login", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert '<html lang="zh"' in body


def page_language(client, path="/account", browser="ru") -> str:
    body = client.get(path, headers={"Accept-Language": browser}).get_data(as_text=True)
    return body.split('<html lang="', 1)[1].split('"', 1)[0]


def sign_in(client, username):
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302


def saved_language(app, username):
    with app.app_context():
        return db.session.scalar(select(User.language).where(User.username == username))


@pytest.mark.parametrize("preference", [None, "zh"])
def test_the_language_chosen_on_the_sign_in_page_carries_into_the_session(app, client, preference):
    with app.app_context():
        make_user(username="bat", language=preference)
    client.post("/language", data={"lang": "mn", "next": "/login"})
    sign_in(client, "bat")
    assert page_language(client) == "mn"
    assert saved_language(app, "bat") == preference


def test_switcher_changes_this_session_only_and_the_preference_is_saved_on_the_account_page(app):
    with app.app_context():
        make_user(username="bat", language="ru")
    phone, station = app.test_client(), app.test_client()
    sign_in(phone, "bat")
    assert page_language(phone, browser="zh") == "ru"  # account preference > browser
    phone.post("/language", data={"lang": "mn", "next": "/"})
    assert page_language(phone) == "mn"  # session choice > account preference
    assert saved_language(app, "bat") == "ru"
    sign_in(station, "bat")
    assert page_language(station, browser="zh") == "ru"  # another session keeps the preference

    phone.post("/account", data={"pref-language": "mn", "pref-timezone": "Asia/Ulaanbaatar",
                                 "pref-submit_preferences": "1"})
    assert saved_language(app, "bat") == "mn"
    station.post("/language", data={"lang": "zh", "next": "/"})
    station.post("/account", data={"pref-language": "", "pref-timezone": "Asia/Ulaanbaatar",
                                   "pref-submit_preferences": "1"})
    assert page_language(station, browser="ru") == "ru"  # no preference, no session choice: browser


def test_reference_names_follow_the_language(app, client, login_as):
    from tracker.reference.seed import seed_reference

    with app.app_context():
        seed_reference(db.session)
        db.session.commit()
    login_as("admin", language="zh")
    body = client.get("/admin/reference/places/1").get_data(as_text=True)
    assert "<html lang=\"zh\"" in body


def test_a_string_has_one_translation_across_catalogs():
    """Flask-Babel merges the feature catalogs into one dictionary, so a string translated two
    ways would silently show one of them everywhere; give such strings distinct msgids."""
    from tracker.i18n import feature_sources
    from tracker.i18n_catalogs import load_po, po_path

    for lang in TRANSLATED:
        seen = {}
        for directory in feature_sources():
            path = po_path(directory, lang)
            if not path.exists():
                continue
            for message in load_po(path, lang):
                if message.id and message.string:
                    seen.setdefault(message.id if isinstance(message.id, str) else message.id[0], set()).add(
                        message.string if isinstance(message.string, str) else message.string[0])
        clashes = {msgid: strings for msgid, strings in seen.items() if len(strings) > 1}
        assert clashes == {}, f"{lang}: {clashes}"

"""Three languages: every string translated, locale chosen from preference or browser."""
from tracker.i18n_catalogs import missing


def test_every_interface_string_has_russian_and_chinese():
    gaps = missing()
    assert gaps == [], "untranslated (run: python -m tracker.i18n_catalogs update):\n" + "\n".join(
        " | ".join(g) for g in gaps[:40])


def test_accept_language_chooses_the_locale(client):
    body = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_data(as_text=True)
    assert '<html lang="zh"' in body and "登录" in body
    body = client.get("/login", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="ru"' in body and "Войти" in body


def test_language_switcher_overrides_the_browser(client):
    client.post("/language", data={"lang": "zh", "next": "/login"})
    body = client.get("/login", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert '<html lang="zh"' in body


def test_reference_names_follow_the_language(app, client, login_as):
    from tracker.extensions import db
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
    from tracker.i18n import TRANSLATED, feature_sources
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

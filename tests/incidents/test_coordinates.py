"""Coordinates as rangers write them, with the hemisphere letters of their language: З is West in
Russian (Запад) and East in Mongolian (Зүүн)."""
import pytest
from sqlalchemy import select

from tests.incidents.test_create import valid_form
from tests.support.incidents import seed
from tracker.extensions import db
from tracker.incidents.coordinates import CoordinateError, hemisphere_letters, parse_part, split_pair
from tracker.models import Incident, Role


@pytest.mark.parametrize(("language", "text", "axis", "value"), [
    ("en", "43°06'30\"N", "lat", 43.108333), ("en", "131 27 W", "lon", -131.45),
    ("ru", "43 06 30 С", "lat", 43.108333), ("ru", "106 55 З", "lon", -106.916667),
    ("ru", "В131,45", "lon", 131.45), ("zh", "北43.1", "lat", 43.1), ("zh", "西131", "lon", -131.0),
    ("mn", "47 55 Х", "lat", 47.916667), ("mn", "106 55 З", "lon", 106.916667),
    ("mn", "106 55 Б", "lon", -106.916667), ("mn", "43 ө", "lat", -43.0), ("mn", "106 55 E", "lon", 106.916667),
])
def test_hemisphere_letters_of_each_language(language, text, axis, value):
    assert parse_part(text, axis, hemisphere_letters(language)) == value


@pytest.mark.parametrize(("language", "text", "axis"), [("ru", "47 Х", "lat"), ("en", "106 Б", "lon"),
                                                        ("mn", "47 З", "lat")])
def test_a_letter_of_another_language_or_axis_is_refused(language, text, axis):
    with pytest.raises(CoordinateError):
        parse_part(text, axis, hemisphere_letters(language))


def test_a_pasted_pair_splits_by_the_languages_letters():
    assert split_pair("47 55 Х 106 55 З", hemisphere_letters("mn")) == ("47 55 Х", "106 55 З")


@pytest.mark.parametrize(("language", "lon"), [("mn", 106.916667), ("ru", -106.916667)])
def test_the_form_reads_letters_in_the_users_language(app, client, login_as, language, lon):
    seed(app)
    login_as(Role.RANGER, language=language)
    letter = {"mn": "Х", "ru": "С"}[language]
    response = client.post("/incidents/new", data=valid_form(app, lat=f"47 55 {letter}", lon="106 55 З", place=""))
    assert response.status_code == 302
    with app.app_context():
        incident = db.session.scalars(select(Incident)).one()
        assert (incident.lat, incident.lon) == (47.916667, lon)

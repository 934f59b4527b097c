"""The country of a position, from the bundled outlines: real places on both sides of the
borders, the sea, neighbours that do not count, and the geometry (holes, several parts)."""
import pytest

from tracker.incidents.countries import Outlines, country_at


@pytest.mark.parametrize(("lat", "lon", "country"), [
    (43.1155, 131.8855, "RU"),   # Vladivostok
    (45.7567, 126.6424, "CN"),   # Harbin
    (47.9184, 106.9177, "MN"),   # Ulaanbaatar
    (50.2575, 127.5350, "RU"),   # Blagoveshchensk, on the Amur ...
    (50.2447, 127.4880, "CN"),   # ... and Heihe, 4 km away across the river
    (48.3640, 134.2890, "CN"),   # Fuyuan, at the Amur-Ussuri confluence
    (48.4802, 135.0719, "RU"),   # Khabarovsk, on the other side
    (42.0, 134.0, None),         # the Sea of Japan
    (37.5665, 126.9780, None),   # Seoul: outlined, but not a country of the tracker
    (0.0, 0.0, None),            # outside every outline
])
def test_country_of_real_positions(lat, lon, country):
    assert country_at(lat, lon) == country


def square(x0, y0, x1, y1):
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


OUTLINES = {"type": "FeatureCollection", "features": [
    # Two islands, the first with a lake in it.
    {"type": "Feature", "id": 643, "properties": {"name": "Russia"}, "geometry": {
        "type": "MultiPolygon", "coordinates": [[square(0, 0, 10, 10), square(4, 4, 6, 6)], [square(20, 0, 30, 10)]]}},
    {"type": "Feature", "id": 156, "properties": {"name": "China"}, "geometry": {
        "type": "Polygon", "coordinates": [square(4.5, 4.5, 5.5, 5.5)]}},  # an island in the lake
    {"type": "Feature", "id": 410, "properties": {"name": "South Korea"}, "geometry": {
        "type": "Polygon", "coordinates": [square(40, 0, 50, 10)]}},
]}


@pytest.mark.parametrize(("lon", "lat", "country"), [
    (1, 1, "RU"), (25, 5, "RU"),    # both parts of a multipolygon
    (4.2, 5, None),                 # in the hole (the lake)
    (5, 5, "CN"),                   # on the island in the lake
    (15, 5, None),                  # between the parts
    (45, 5, None),                  # a country that does not count
    (-1, 5, None), (5, 11, None),
])
def test_holes_and_multipolygons(lon, lat, country):
    assert Outlines(OUTLINES).country_at(lat, lon) == country

"""Reading coordinates as rangers write them: decimal degrees (`43.1083`, `-131,45`) or
degrees-minutes-seconds from a GPS unit or a paper map (`43°06'30"N`, `131 27 E`, `N43 06.5`),
with the hemisphere letters of the ranger's language: Russian С Ю В З, Mongolian Х Ө З Б, Chinese
北 南 东 西, and N S E W in every language. З is West in Russian (Запад) but East in Mongolian
(Зүүн), so the letters are read by the language the form is shown in."""
from __future__ import annotations

import re

# Letter -> (axis, sign).
LATIN = {"N": ("lat", 1), "S": ("lat", -1), "E": ("lon", 1), "W": ("lon", -1)}
CHINESE = {"北": ("lat", 1), "南": ("lat", -1), "东": ("lon", 1), "西": ("lon", -1)}
RUSSIAN = {"С": ("lat", 1), "Ю": ("lat", -1), "В": ("lon", 1), "З": ("lon", -1)}
MONGOLIAN = {"Х": ("lat", 1), "Ө": ("lat", -1), "З": ("lon", 1), "Б": ("lon", -1)}
EVERY_LETTER = "".join(sorted({*LATIN, *CHINESE, *RUSSIAN, *MONGOLIAN}))
NUMBER = r"\d+(?:[.,]\d+)?"
PART = re.compile(
    rf"(?P<pre>[{EVERY_LETTER}])?\s*(?P<sign>[-+])?\s*(?P<deg>{NUMBER})\s*(?:°|º|d|度|\s)?\s*"
    rf"(?:(?P<min>{NUMBER})\s*(?:'|′|’|m|分|\s)?\s*)?"
    rf"(?:(?P<sec>{NUMBER})\s*(?:\"|″|”|''|s|秒)?\s*)?"
    rf"(?P<post>[{EVERY_LETTER}])?", re.IGNORECASE)


def hemisphere_letters(language: str) -> dict[str, tuple[str, int]]:
    """The letters a ranger writing in `language` means by each hemisphere."""
    return {**LATIN, **CHINESE, **(MONGOLIAN if language == "mn" else RUSSIAN)}


class CoordinateError(ValueError):
    pass


def _number(text: str | None) -> float:
    return float(text.replace(",", ".")) if text else 0.0


def parse_part(text: str, axis: str, letters: dict[str, tuple[str, int]] | None = None) -> float:
    """One coordinate; `axis` is 'lat' or 'lon'; `letters` those of the writer's language
    (hemisphere_letters). Raises CoordinateError with a reason."""
    letters = letters or hemisphere_letters("en")
    cleaned = text.strip().upper()
    match = PART.fullmatch(cleaned)
    if not cleaned or not match:
        raise CoordinateError("unreadable")
    minutes, seconds = _number(match["min"]), _number(match["sec"])
    if minutes >= 60 or seconds >= 60:
        raise CoordinateError("minutes and seconds must be below 60")
    value = _number(match["deg"]) + minutes / 60 + seconds / 3600
    hemisphere = match["pre"] or match["post"]
    if hemisphere and match["sign"]:  # N-43 was stored as 43° south: which one was meant?
        raise CoordinateError("sign and hemisphere letter")
    if hemisphere:
        if hemisphere not in letters:  # a letter of another language (Х, Ө, Б outside Mongolian)
            raise CoordinateError("unreadable")
        letter_axis, sign = letters[hemisphere]
        if letter_axis != axis:
            raise CoordinateError("hemisphere letter does not fit")
        value *= sign
    if match["sign"] == "-":
        value = -value
    limit = 90 if axis == "lat" else 180
    if not -limit <= value <= limit:
        raise CoordinateError("out of range")
    return round(value, 6) + 0.0  # -0 is 0


def is_null_island(lat: float, lon: float) -> bool:
    """0°, 0°: what a GPS without a fix or an unset default gives; no incident is there."""
    return lat == 0 and lon == 0


def split_pair(text: str, letters: dict[str, tuple[str, int]] | None = None) -> tuple[str, str] | None:
    """`43°06'30"N 131°27'E`, `43.1, 131.4` or `43,1,131,4` -> the two halves, else None."""
    text = text.strip()
    letters = letters or hemisphere_letters("en")
    north_south = "".join(letter for letter, (axis, _) in letters.items() if axis == "lat")
    east_west = "".join(letter for letter, (axis, _) in letters.items() if axis == "lon")
    hemi = re.search(f"[{north_south}]", text.upper())
    other = re.search(f"[{east_west}]", text.upper())
    if hemi and other:
        cut = hemi.end() if hemi.start() > 0 else other.start()
        return text[:cut], text[cut:].lstrip(" ,;")
    for separator in (";", ", ", " "):
        if separator in text:
            left, right = text.split(separator, 1)
            if left.strip() and right.strip():
                return left, right
    if text.count(",") == 1 and "." in text:
        left, right = text.split(",")
        return left, right
    if text.count(",") == 3 and "." not in text:  # 43,1,131,45: decimal commas on both sides
        parts = text.split(",")
        return ",".join(parts[:2]), ",".join(parts[2:])
    return None

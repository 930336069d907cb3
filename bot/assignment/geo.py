"""Where a lead is: a country code from what we know, and the sales regions it belongs to.

Territory routing needs a country. The widget (or a site's own form) may pass one in the
lead's source (`country`, ISO 3166-1 alpha-2); otherwise a company e-mail's country-code
domain is a fair hint (`anna@firma.de` -> DE). Vanity endings that say nothing about a
country (.io, .ai, .co, ...) are ignored, as are generic ones (.com): better no country
than a wrong rep. Regions are named groups of countries; reps list countries or regions
as territories, and `settings/assignment.yml` may add or redefine regions.
"""
from __future__ import annotations

from collections.abc import Mapping

# ISO 3166-1 alpha-2 codes in use.
COUNTRIES: frozenset[str] = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
VN VU WF WS YE YT ZA ZM ZW XK
""".split())

# Country-code domains whose letters differ from the ISO code.
_TLD_TO_COUNTRY = {"uk": "GB", "su": "RU"}
# Country-code domains sold worldwide as brand names: no hint of where the company is.
VANITY_TLDS: frozenset[str] = frozenset({
    "io", "ai", "co", "me", "tv", "fm", "ly", "gg", "am", "to", "ws", "cc", "sh", "ac", "nu",
    "la", "vc", "so", "im", "gl", "st", "ms", "mu", "tk", "ml", "ga", "cf", "gq",
})

_EU = ("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE").split()
_EUROPE_OTHER = ("GB NO CH IS LI AL AD BA BY FO GI GG IM JE XK MK MD MC ME RS SM UA VA RU TR AX SJ").split()
_MIDDLE_EAST = ("AE BH IL IQ IR JO KW LB OM PS QA SA SY YE").split()
_AFRICA = ("""DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR
LY MG MW ML MR MU YT MA MZ NA NE NG RE RW SH ST SN SC SL SO ZA SS SD TZ TG TN UG EH ZM ZW""").split()
_NORTH_AMERICA = ("US CA PM GL BM UM").split()
_LATAM = ("""MX GT BZ SV HN NI CR PA CU DO HT JM BS BB TT AG DM GD KN LC VC AI AW BQ CW SX BL MF
GP MQ KY TC VG VI PR MS CO VE EC PE BO BR PY UY AR CL GY SR GF FK""").split()
_APAC = ("""AU NZ JP KR KP CN HK MO TW MN SG MY ID TH VN PH KH LA MM BN TL IN PK BD LK NP BT MV AF
KZ KG TJ TM UZ FJ PG SB VU NC PF WS TO TV KI NR MH FM PW GU MP AS CK NU TK WF NF CX CC IO""").split()

# Built-in regions; `settings/assignment.yml` `regions:` adds to or replaces these by name.
DEFAULT_REGIONS: dict[str, tuple[str, ...]] = {
    "EU": tuple(_EU),
    "EMEA": tuple(_EU + _EUROPE_OTHER + _MIDDLE_EAST + _AFRICA),
    "EUROPE": tuple(_EU + _EUROPE_OTHER),
    "DACH": ("DE", "AT", "CH"),
    "NORDICS": ("SE", "NO", "DK", "FI", "IS"),
    "BENELUX": ("BE", "NL", "LU"),
    "UKI": ("GB", "IE"),
    "MENA": tuple(_MIDDLE_EAST + ["DZ", "EG", "LY", "MA", "TN"]),
    "AFRICA": tuple(_AFRICA),
    "NA": tuple(_NORTH_AMERICA),
    "LATAM": tuple(_LATAM),
    "AMER": tuple(_NORTH_AMERICA + _LATAM),
    "APAC": tuple(_APAC),
    "ANZ": ("AU", "NZ"),
}


def country_from_tld(domain: str | None) -> str | None:
    """The country a company e-mail's domain ending points to, if it points anywhere."""
    if not domain or "." not in domain:
        return None
    tld = domain.rsplit(".", 1)[1].lower()
    if len(tld) != 2 or tld in VANITY_TLDS:
        return None
    code = _TLD_TO_COUNTRY.get(tld, tld.upper())
    return code if code in COUNTRIES else None


def normalise_country(value: object) -> str | None:
    """An ISO alpha-2 code from a source field ("de", " DE ", "UK"), else None."""
    if not isinstance(value, str):
        return None
    code = value.strip().upper()
    code = {"UK": "GB", "EL": "GR"}.get(code, code)
    return code if code in COUNTRIES else None


def regions_of(country: str | None, regions: Mapping[str, tuple[str, ...] | list[str]]) -> frozenset[str]:
    """Names of every region that contains `country`."""
    if not country:
        return frozenset()
    return frozenset(name for name, members in regions.items() if country in members)

"""Countries grouped the way UNESCO and funders read them: the UN M49 region and sub-region and the World Bank
income group. From hdx-python-country (UN OCHA's Countries & Territories Taxonomy, shipped with the package and
read offline), not a table typed in here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

UNKNOWN = "Not classified"
# The taxonomy's words for the World Bank groups, as the reports spell them.
INCOME_GROUPS = {
    "High": "High income",
    "Upper middle": "Upper-middle income",
    "Lower middle": "Lower-middle income",
    "Low": "Low income",
}
INCOME_ORDER = [*INCOME_GROUPS.values(), UNKNOWN]


@dataclass(frozen=True)
class CountryGroups:
    region: str  # M49 region: Africa, Americas, Asia, Europe, Oceania
    sub_region: str  # M49 sub-region: Eastern Asia, Western Africa...
    income: str  # World Bank income group


@cache
def groups_of(country_code: str) -> CountryGroups:
    """The groups of an ISO 3166-1 alpha-2 code; "Not classified" where the taxonomy has none (Kosovo, say)."""
    from hdx.location.country import Country  # imported late: it reads its CSV on first use

    info = Country.get_country_info_from_iso2(country_code, use_live=False) or {}
    return CountryGroups(
        region=info.get("Region Name") or UNKNOWN,
        sub_region=info.get("Sub-region Name") or UNKNOWN,
        income=INCOME_GROUPS.get(info.get("World Bank Income Level") or "", UNKNOWN),
    )

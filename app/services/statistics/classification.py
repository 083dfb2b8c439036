"""Countries grouped the way UNESCO and funders read them: the UN M49 region and sub-region and the World Bank
income group. From hdx-python-country (UN OCHA's Countries & Territories Taxonomy, shipped with the package and
read offline), not a table typed in here.

The taxonomy is read from the CSV file the package ships, with the csv module: importing the package's
`Country` class pulls in a data-validation stack (frictionless, pydantic...) that costs a second or more on
the first statistics page after start-up. tests/unit/test_country_groups.py checks that both readings give
the same groups for every ISO 3166-1 country.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

TAXONOMY_PACKAGE = "hdx.location"
TAXONOMY_FILE = "Countries & Territories Taxonomy MVP - C&T Taxonomy.csv"



def N_(text: str) -> str:
    """Marks a text for the catalog (pybabel finds N_) and returns it as it is: the groups stay English
    here, the keys every breakdown adds up by, and are translated where they are shown."""
    return text


UNKNOWN = N_("Not classified")
# The taxonomy's words for the World Bank groups, as the reports spell them.
INCOME_GROUPS = {
    "High": N_("High income"),
    "Upper middle": N_("Upper-middle income"),
    "Lower middle": N_("Lower-middle income"),
    "Low": N_("Low income"),
}
# The taxonomy's M49 regions and sub-regions, named here only so the catalog holds their translations.
M49_NAMES = (
    N_("Africa"), N_("Americas"), N_("Asia"), N_("Europe"), N_("Oceania"),
    N_("Australia and New Zealand"), N_("Central Asia"), N_("Eastern Asia"), N_("Eastern Europe"),
    N_("Latin America and the Caribbean"), N_("Melanesia"), N_("Micronesia"), N_("Northern Africa"),
    N_("Northern America"), N_("Northern Europe"), N_("Polynesia"), N_("South-eastern Asia"), N_("Southern Asia"),
    N_("Southern Europe"), N_("Sub-Saharan Africa"), N_("Western Asia"), N_("Western Europe"),
)
INCOME_ORDER = [*INCOME_GROUPS.values(), UNKNOWN]


@dataclass(frozen=True)
class CountryGroups:
    region: str  # M49 region: Africa, Americas, Asia, Europe, Oceania
    sub_region: str  # M49 sub-region: Eastern Asia, Western Africa...
    income: str  # World Bank income group


@cache
def _taxonomy() -> dict[str, dict[str, str]]:
    """The taxonomy's row of each ISO alpha-2 code (its current row, where a code has a deprecated one too)."""
    text = (resources.files(TAXONOMY_PACKAGE) / TAXONOMY_FILE).read_text(encoding="utf-8")
    rows: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        code = row["ISO 3166-1 Alpha 2-Codes"]
        if code and row["Deprecated"] != "Y":
            rows.setdefault(code, row)
    return rows


@cache
def groups_of(country_code: str) -> CountryGroups:
    """The groups of an ISO 3166-1 alpha-2 code; "Not classified" where the taxonomy has none (Kosovo, say)."""
    info = _taxonomy().get(country_code.upper(), {})
    return CountryGroups(
        region=info.get("Region Name") or UNKNOWN,
        sub_region=info.get("Sub-region Name") or UNKNOWN,
        income=INCOME_GROUPS.get(info.get("World Bank Income Level") or "", UNKNOWN),
    )

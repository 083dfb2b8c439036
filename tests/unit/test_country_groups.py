"""The countries' UN M49 regions and World Bank income groups, as the statistics read them from the taxonomy
hdx-python-country ships: the same as the package's own reading, for every ISO 3166-1 country."""

from __future__ import annotations

import pycountry
import pytest

from app.services.statistics.classification import UNKNOWN, CountryGroups, groups_of


def test_a_few_countries_as_unesco_reports_read_them():
    assert groups_of("KR") == CountryGroups("Asia", "Eastern Asia", "High income")
    assert groups_of("NG") == CountryGroups("Africa", "Sub-Saharan Africa", "Lower-middle income")
    assert groups_of("VN").income == "Lower-middle income"
    assert groups_of("ET").income == "Low income"
    assert groups_of("BR") == CountryGroups("Americas", "Latin America and the Caribbean", "Upper-middle income")
    assert groups_of("XK") == CountryGroups(UNKNOWN, UNKNOWN, UNKNOWN)  # not in the taxonomy


def test_the_same_groups_as_the_package_itself_gives():
    country = pytest.importorskip("hdx.location.country").Country
    for entry in pycountry.countries:
        info = country.get_country_info_from_iso2(entry.alpha_2, use_live=False) or {}
        groups = groups_of(entry.alpha_2)
        assert (groups.region, groups.sub_region) == (info.get("Region Name") or UNKNOWN,
                                                      info.get("Sub-region Name") or UNKNOWN), entry.alpha_2
        assert (groups.income == UNKNOWN) == (not info.get("World Bank Income Level")), entry.alpha_2

"""The marker catalogue as data (hpgjournal/resources/catalogue/analytes.toml): the shipped file
is read whole, and a malformed entry is refused with the entry and the field named."""

from __future__ import annotations

import re

import pytest

from hpgjournal.domain import analytes
from hpgjournal.domain.catalogue import CatalogueError, parse_catalogue, read_catalogue

GOOD = '''
[[marker]]
key = "lh"
name = "Luteinising hormone"
short = "LH"
category = "gonadotropins"
unit = "IU/L"
si_unit = "IU/L"
si_factor = 1
loinc = "10501-5"
aliases = ["Lutropin"]
methods = ["immunoassay"]
ref_low = 1.7
ref_high = 8.6

[marker.units]
"mIU/mL" = 1.0

[marker.method_ranges.immunoassay]
low = 1.5
source = "a lab"

[loinc_units]
"10501-5" = { marker = "lh", unit = "IU/L" }
'''


def test_the_shipped_catalogue_is_what_the_matching_runs_on():
    catalogue = read_catalogue()
    assert catalogue.analytes == tuple(analytes.CATALOGUE.values())
    total = analytes.get_analyte("testosterone_total")
    assert (total.unit, total.si_unit, total.si_factor, total.loinc) == \
        ("ng/dL", "nmol/L", 0.03467, "2986-8")
    assert analytes.to_canonical("prolactin", 212.0, "mU/L") == pytest.approx(10.0)
    assert analytes.find_analyte("103227-5")[1] == "calculated"  # a code that names the method
    assert analytes.loinc_unit("14646-4", "hdl") == "mmol/L"
    assert analytes.default_range("testosterone_free", "direct")[:2] == (6.8, 21.5)
    assert analytes.name_index()[1] == []


def test_a_good_entry_reads_with_its_tables():
    catalogue = parse_catalogue(GOOD)
    lh, = catalogue.analytes
    assert (lh.key, lh.si_factor, lh.aliases, lh.decimals, lh.key_marker) == \
        ("lh", 1.0, ("Lutropin",), 1, False)
    assert catalogue.units == {"lh": (("mIU/mL", 1.0),)}
    assert catalogue.method_ranges == {"lh": {"immunoassay": (1.5, None, "a lab")}}
    assert catalogue.loinc_units == {"10501-5": ("lh", "IU/L")}
    assert catalogue.loinc_methods == {}


def broken(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


@pytest.mark.parametrize(("text", "words"), [
    (broken('short = "LH"\n', 'short = "LH"\ncolour = "red"\n'), "marker 1 (lh): unknown field 'colour'"),
    (broken('short = "LH"\n', ''), "the field 'short' is missing"),
    (broken('category = "gonadotropins"', 'category = "hormones"'), "'hormones' is not one of"),
    (broken('si_factor = 1', 'si_factor = 0'), "si_factor: 0.0 is not a positive number"),
    (broken('si_factor = 1', 'si_factor = "1"'), "si_factor: '1' is not a number"),
    (broken('ref_low = 1.7', 'ref_low = 9.0'), "ref_low 9.0 is above ref_high 8.6"),
    (broken('aliases = ["Lutropin"]', 'aliases = "Lutropin"'), "aliases: must be a list of texts"),
    (broken('aliases = ["Lutropin"]', 'aliases = ["Lutropin", " "]'), "must be a list of texts"),
    (broken('loinc = "10501-5"', 'loinc = "LH-1"'), "'LH-1' is not a LOINC code"),
    (broken('key = "lh"', 'key = "LH"'), "'LH' is not a lower-case key"),
    (broken('short = "LH"', 'short = 5'), "short: 5 is not a str"),
    (broken('ref_high = 8.6', 'ref_high = 8.6\ndecimals = 9'), "is not a whole number 0-6"),
    (broken('ref_high = 8.6', 'ref_high = 8.6\nkey_marker = "yes"'), "is not a bool"),
    (broken('"mIU/mL" = 1.0', '"mIU/mL" = -1.0'), "units.'mIU/mL': -1.0 is not a positive"),
    (broken('[marker.method_ranges.immunoassay]', '[marker.method_ranges.dialysis]'),
     "lh lists no method 'dialysis'"),
    (broken('low = 1.5\n', 'low = 1.5\nhigh = 1.0\n'), "low 1.5 is above high 1.0"),
    (broken('source = "a lab"', 'note = "a lab"'), "needs a source and at most a low and a high"),
    (broken('{ marker = "lh", unit = "IU/L" }', '{ marker = "fsh", unit = "IU/L" }'),
     "no marker 'fsh' in the catalogue"),
    (broken('{ marker = "lh", unit = "IU/L" }', '{ marker = "lh" }'), "needs exactly a marker and a unit"),
    (broken('[loinc_units]\n"10501-5"', '[loinc_units]\n"ten"'), "'ten': not a LOINC code"),
    (GOOD + GOOD.split("[loinc_units]")[0], "the key 'lh' is used twice"),
    (GOOD + broken('key = "lh"', 'key = "lh2"').split("[loinc_units]")[0],
     "LOINC 10501-5 also names lh"),
    (GOOD + "\n[colours]\nred = 1\n", "unknown table 'colours'"),
    ("[loinc_units]\n", "no [[marker]] entries"),
    ("[[marker]\n", "not valid TOML"),
])
def test_a_malformed_catalogue_is_refused_naming_the_entry(text, words):
    with pytest.raises(CatalogueError, match=re.escape(words)) as refused:
        parse_catalogue(text, "analytes.toml")
    assert str(refused.value).startswith("analytes.toml")

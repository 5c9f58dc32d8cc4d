"""The protocol drugs of the source documents, with their class and usual way of taking them.

These are defaults for forms, not dosing advice: the user types his own regimen.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Drug:
    """A drug the app knows: its class, route, unit and the phase it usually defines."""
    name: str
    drug_class: str  # testosterone | gonadotropin | serm | aromatase_inhibitor | gnrh
    route: str  # im | subq | oral | transdermal
    unit: str
    phase_kind: str  # the phase kind this drug usually defines
    injectable: bool


DRUGS: tuple[Drug, ...] = (
    Drug("Testosterone cypionate", "testosterone", "im", "mg", "trt", True),
    Drug("Testosterone enanthate", "testosterone", "im", "mg", "trt", True),
    Drug("Testosterone undecanoate", "testosterone", "im", "mg", "trt", True),
    Drug("Testosterone gel", "testosterone", "transdermal", "mg", "trt", False),
    Drug("Testosterone cream", "testosterone", "transdermal", "mg", "trt", False),
    Drug("hCG", "gonadotropin", "subq", "IU", "hcg", True),
    Drug("Clomiphene", "serm", "oral", "mg", "serm_clomiphene", False),
    Drug("Enclomiphene", "serm", "oral", "mg", "serm_clomiphene", False),
    Drug("Tamoxifen", "serm", "oral", "mg", "serm_tamoxifen", False),
    Drug("Anastrozole", "aromatase_inhibitor", "oral", "mg", "aromatase_inhibitor", False),
    Drug("Gonadorelin", "gnrh", "subq", "mcg", "gonadorelin", True),
)

DRUG_CLASSES = {
    "testosterone": "Testosterone",
    "gonadotropin": "Gonadotropin (LH analogue)",
    "serm": "SERM",
    "aromatase_inhibitor": "Aromatase inhibitor",
    "gnrh": "GnRH analogue",
    "other": "Other",
}

ROUTES = {"im": "intramuscular", "subq": "subcutaneous", "oral": "by mouth",
          "transdermal": "on the skin", "other": "other"}


_BY_NAME: dict[str, Drug] = {}
for _drug in DRUGS:  # the first of a name, as a search of the list in order finds
    _BY_NAME.setdefault(_drug.name.casefold(), _drug)


def find_drug(name: str) -> Drug | None:
    return _BY_NAME.get(name.strip().casefold())


def is_testosterone_dose(drug: str, medication: object | None = None) -> bool:
    """Whether a dose (or a medication, given as both) is testosterone: THE rule (issue 20).

    A drug of the list above counts by its class; otherwise the medication the dose belongs to
    counts by the class the user gave it; a dose of neither counts when its name says
    testosterone ("Testosterone propionate" typed by hand). The dose-timing clock, the washout
    anchor and the TRT regimen all use this.
    """
    known = find_drug(drug)
    if known is not None:
        return known.drug_class == "testosterone"
    drug_class = getattr(medication, "drug_class", None)
    if drug_class:
        return drug_class == "testosterone"
    return "testosterone" in drug.casefold()

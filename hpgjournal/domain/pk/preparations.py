"""The testosterone preparations of the dose log, with the published figures the model uses.

Every figure names its source as the project's research notes (``verdicts_pk.md`` section 4.1
and 3.1) name it, carries its range and says how sure it is, in words. The research notes'
strength codes never reach a user: ``strength`` turns them into a phrase.

Two kinds of preparation:

``depot``
    an oil depot (cypionate, enanthate, propionate, undecanoate by injection): one Bateman
    term a dose. The published "half-life" of an ester is the depot's release rate (free
    testosterone clears within about an hour: flip-flop kinetics), the slow rate of the model;
    the fast rate is chosen so that a single dose peaks at the published time to peak.
``steady``
    a gel, pellets or oral undecanoate: each logged dose spreads its absorbed testosterone
    evenly over the days it covers (a gel a day, a pellet implant its months, an oral dose
    half a day), so a regular use gives a flat contribution.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PREPARATIONS", "STRENGTH", "Figure", "Preparation", "preparation_for", "strength"]

# The research notes' strength tags, in words (the tag table at the top of verdicts_pk.md).
STRENGTH = {
    "READ": "read in the source's own text",
    "READ*": "read in what looks like a verbatim copy of the source on another site",
    "2ND": "seen only second-hand (a review, a monograph or a page citing the source); not "
           "checked in the original",
    "MEM": "from the researcher's memory of the literature; not found in a source and not checked",
    "DERIVED": "the project's own arithmetic on published figures",
    "ASSUMPTION": "the app's own assumption; no published figure was found",
}


def strength(tag: str) -> str:
    """How sure a figure is, in words, for its research tag."""
    return STRENGTH.get(tag, "of unknown strength")


@dataclass(frozen=True)
class Figure:
    """One published figure: its value, its range (``low`` to ``high``), who says so and how
    sure it is (``tag``, one of ``STRENGTH``)."""

    value: float
    low: float
    high: float
    unit: str
    source: str
    tag: str
    note: str = ""
    cites: tuple[str, ...] = ()  # the sources' short names ('Behre 1999'), for a list of sources

    @property
    def strength(self) -> str:
        return strength(self.tag)

    def words(self) -> str:
        """'4.5 d (range 4.5 to 8 d; Behre & Nieschlag ...): seen only second-hand ...'"""
        if self.low == self.high:
            shown = f"{self.value:g} {self.unit}".strip()
        else:
            shown = f"{self.value:g} {self.unit} (range {self.low:g} to {self.high:g} {self.unit})"
        text = f"{shown}; {self.source}; {self.strength}"
        return f"{text}. {self.note}" if self.note else f"{text}."


@dataclass(frozen=True)
class Preparation:
    """A testosterone preparation's published figures, each with its source."""
    key: str
    name: str
    kind: str  # "depot" (a Bateman term a dose) or "steady" (a dose spread over cover_days)
    mass_fraction: Figure  # mg of testosterone in a mg of the logged preparation
    bioavailability: Figure  # the fraction of that testosterone that reaches the blood
    half_life_days: Figure | None = None  # depot: the release half-life (the slow rate)
    tmax_days: Figure | None = None  # depot: time to peak of a single dose (sets the fast rate)
    cover_days: Figure | None = None  # steady: the days one dose is spread over
    note: str = ""

    def figures(self) -> tuple[tuple[str, Figure], ...]:
        """The figures in use, named, for a list of sources."""
        named = (("testosterone per mg", self.mass_fraction),
                 ("fraction absorbed", self.bioavailability),
                 ("release half-life", self.half_life_days), ("time to peak", self.tmax_days),
                 ("days one dose covers", self.cover_days))
        return tuple((name, figure) for name, figure in named if figure is not None)


_COMPLETE = Figure(1.0, 1.0, 1.0, "", "an injected depot is taken to be absorbed in full; the "
                   "scale fitted to his draws absorbs any difference", "ASSUMPTION",
                   cites=("the app's assumption",))
_T_ITSELF = Figure(1.0, 1.0, 1.0, "", "testosterone itself (no ester)", "DERIVED")

# Cypionate and enanthate share one set: equimolar doses gave identical serum profiles in a
# cross-over (Schulte-Beerbühl & Nieschlag 1980 [2ND]). The two half-lives on record (4.5 d for
# enanthate, Behre & Nieschlag; "about 8 days" on the cypionate label) are the range; the
# central figure is the shorter, which Nankin 1987 (cypionate 200 mg back to basal by day
# 13-14) supports better than 8 d does, and which gives Snyder & Lawrence 1980's weekly
# enanthate peak a day or two after the injection. His own draws, four or more, choose within
# the range.
_CYP_ENAN_HALF_LIFE = Figure(
    4.5, 4.5, 8.0, "d",
    "4.5 d: Behre & Nieschlag (enanthate, textbook chapter); 8 d: Depo-Testosterone label "
    "(cypionate), both as restated by others; one set for both esters after "
    "Schulte-Beerbühl & Nieschlag 1980", "2ND",
    "Nankin 1987 (Fertil Steril) found the men back to basal by day 13-14 after 200 mg; the "
    "model's tail is slower with either figure (a fifth of the peak left on day 14 with 4.5 d, "
    "more than a third with 8 d), the shorter one less so.",
    ("Behre & Nieschlag", "Depo-Testosterone label", "Schulte-Beerbühl & Nieschlag 1980",
     "Nankin 1987"))
_CYP_ENAN_TMAX = Figure(
    2.0, 1.0, 5.0, "d",
    "1 d: enanthate peak at 8-24 h (Schürmeyer & Nieschlag 1984, as retold by Behre et al.); "
    "2 to 5 d: cypionate 200 mg peak on day 2-5 (Nankin HR, Fertil Steril 1987;47:1004)", "READ*",
    cites=("Schürmeyer & Nieschlag 1984", "Nankin 1987"))

PREPARATIONS: dict[str, Preparation] = {
    "cypionate": Preparation(
        "cypionate", "Testosterone cypionate", "depot",
        Figure(0.699, 0.699, 0.699, "", "molecular weight of testosterone cypionate 412.6 "
               "(label) against testosterone 288.4", "DERIVED",
               cites=("Depo-Testosterone label",)),
        _COMPLETE, _CYP_ENAN_HALF_LIFE, _CYP_ENAN_TMAX),
    "enanthate": Preparation(
        "enanthate", "Testosterone enanthate", "depot",
        Figure(0.720, 0.720, 0.720, "", "molecular weights of the ester and testosterone "
               "(from memory, not checked in a source)", "MEM",
               cites=("molecular weights (unchecked)",)),
        _COMPLETE, _CYP_ENAN_HALF_LIFE, _CYP_ENAN_TMAX,
        note="Under the skin (Xyosted) the week is flatter than in muscle (trough about 0.9 of "
             "the average, Kaminetsky 2015 and the 52-week trial); the model does not tell "
             "the two routes apart."),
    "propionate": Preparation(
        "propionate", "Testosterone propionate", "depot",
        Figure(0.837, 0.837, 0.837, "", "molecular weights of the ester and testosterone "
               "(from memory, not checked in a source)", "MEM",
               cites=("molecular weights (unchecked)",)),
        _COMPLETE,
        Figure(0.8, 0.6, 1.0, "d", "half-life about 0.8 d, dosed every 2-3 days (research "
               "notes, no source found); the range of plus or minus a quarter is the app's",
               "MEM", cites=("research notes, no source found",)),
        Figure(0.5, 0.5, 0.5, "d", "time to peak chosen by the research notes for their "
               "illustration (verdicts_pk 4.3); no published figure", "ASSUMPTION",
               cites=("the app's assumption",))),
    "undecanoate_im": Preparation(
        "undecanoate_im", "Testosterone undecanoate (injection)", "depot",
        Figure(0.6315, 0.6315, 0.6315, "", "1000 mg of undecanoate is 631.5 mg of testosterone "
               "(Nebido SmPC)", "READ*", cites=("Nebido SmPC",)),
        _COMPLETE,
        Figure(33.9, 29.0, 52.0, "d",
               "33.9 ± 4.9 d in castor oil (Behre HM et al., Eur J Endocrinol 1999;140:414); "
               "the upper end, 52 d, is the release half-life that gives the steady-state "
               "peak/trough of the Nebido SmPC (Cmax about 37, Cmin about 16 nmol/L)", "READ",
               "The single-dose 33.9 d overstates the swing at steady state (peak/trough 3.5 "
               "against 2.3 in the SmPC); the upper end is the project's arithmetic.",
               ("Behre 1999", "Nebido SmPC")),
        Figure(7.0, 4.0, 7.0, "d", "7 d: Nebido SmPC (Cmax about 7 days after the first dose); "
               "4 d: Aveed, in a review table (Drug Healthc Patient Saf 2023;15:73)", "READ*",
               cites=("Nebido SmPC", "Drug Healthc Patient Saf 2023 review"))),
    "gel": Preparation(
        "gel", "Testosterone gel", "steady", _T_ITSELF,
        Figure(0.10, 0.07, 0.10, "", "about 10 % of the applied dose absorbed over 24 h (1 % gel "
               "label); about 30 % less from the abdomen than arms and shoulders (1.62 % gel, "
               "second-hand)", "READ*", cites=("1 % gel label", "1.62 % gel label")),
        cover_days=Figure(1.0, 1.0, 1.0, "d", "each application taken to be absorbed evenly "
                          "over the day after it (label: absorbed over 24 h); the daily swing "
                          "(Fortesta peak about 4 h) is left out", "ASSUMPTION",
                          cites=("the app's assumption",)),
        note="How fast a gel's testosterone leaves after the last application was not found "
             "(research notes 3.1); the model lets it go a day after the last application."),
    "pellets": Preparation(
        "pellets", "Testosterone pellets", "steady", _T_ITSELF, _COMPLETE,
        cover_days=Figure(149.0, 149.0, 149.0, "d",
                          "a 200 mg pellet releases about 1.34 mg a day (Kelleher S, Howe C, "
                          "Conway AJ, Handelsman DJ, Clin Endocrinol), so an implant lasts "
                          "200/1.34 days at that rate", "DERIVED",
                          "Pellets release near-evenly for 2-3 months and then tail off to about "
                          "day 300 (Jockenhövel, Clin Endocrinol); the tail is left out.",
                          ("Kelleher et al., Clin Endocrinol", "Jockenhövel et al., Clin Endocrinol")),
        note="Logged as the total mg implanted."),
    "undecanoate_oral": Preparation(
        "undecanoate_oral", "Testosterone undecanoate (by mouth)", "steady",
        Figure(0.6315, 0.6315, 0.6315, "", "1000 mg of undecanoate is 631.5 mg of testosterone "
               "(Nebido SmPC)", "READ*", cites=("Nebido SmPC",)),
        Figure(0.05, 0.03, 0.07, "", "oral bioavailability 3-7 % (an uncited wiki figure)",
               "2ND", cites=("an uncited wiki figure",)),
        cover_days=Figure(0.5, 0.5, 0.5, "d", "taken twice a day with food; each dose spread "
                          "over half a day", "ASSUMPTION", cites=("the app's assumption",))),
}

# The names a dose log uses for each preparation. A name not here has no model: the app never
# guesses a preparation from part of a name.
_NAMES = {
    "cypionate": ("testosterone cypionate", "depo-testosterone", "test cypionate"),
    "enanthate": ("testosterone enanthate", "xyosted", "test enanthate"),
    "propionate": ("testosterone propionate", "test propionate"),
    "undecanoate_im": ("testosterone undecanoate injection", "nebido", "aveed",
                       "testosterone undecanoate (injection)"),
    "undecanoate_oral": ("oral testosterone undecanoate", "testosterone undecanoate (oral)",
                         "testosterone undecanoate (by mouth)", "jatenzo", "tlando", "kyzatrex",
                         "andriol"),
    "gel": ("testosterone gel", "androgel", "testogel", "testim", "fortesta", "tostran"),
    "pellets": ("testosterone pellets", "testosterone pellet", "testopel"),
}
_BY_NAME = {name: key for key, names in _NAMES.items() for name in names}


def preparation_for(drug: str, route: str = "") -> Preparation | None:
    """The preparation a dose record's drug name stands for, or None ("no model for this
    drug"): hCG, the SERMs, a cream or a name the list does not know.

    "Testosterone undecanoate" is the injection unless the route (from the dose's medication)
    says ``oral``.
    """
    name = " ".join(drug.casefold().split())
    if name == "testosterone undecanoate":
        return PREPARATIONS["undecanoate_oral" if route == "oral" else "undecanoate_im"]
    key = _BY_NAME.get(name)
    return PREPARATIONS[key] if key is not None else None

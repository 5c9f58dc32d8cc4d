"""The knowledge base: the bundled files load and cover every phase, and broken files are
rejected with a message that names the file and the key."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest

from hpgjournal.domain import analytes
from hpgjournal.domain.knowledge import (
    DERIVED_MARKERS,
    Knowledge,
    KnowledgeError,
    load_knowledge,
    marker_to_system,
    marker_unit,
)
from hpgjournal.domain.phases import PHASE_KINDS
from hpgjournal.paths import resources_dir

FOLDER = resources_dir() / "knowledge"


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load_knowledge(FOLDER)


# ---------------------------------------------------------------------------------------------
# The bundled knowledge base
# ---------------------------------------------------------------------------------------------


def test_every_phase_kind_has_an_explained_and_sourced_entry(kb: Knowledge) -> None:
    assert set(kb.phases) == set(PHASE_KINDS)
    for kind, phase in kb.phases.items():
        assert phase.file == f"{kind}.toml"
        assert phase.title and phase.summary
        assert phase.mechanism, kind
        # the mechanism comes from the source documents, in every phase
        assert any(s.origin in ("seed", "seed+literature") for s in phase.mechanism), kind
        assert phase.source_ids, kind
        for source_id in phase.source_ids:
            assert source_id in kb.sources, (kind, source_id)


def test_every_statement_has_provenance(kb: Knowledge) -> None:
    for phase in kb.phases.values():
        for item in (*phase.mechanism, *phase.practice, *phase.cautions, *phase.references,
                     *phase.responses):
            assert item.origin in ("seed", "literature", "seed+literature")
            assert item.tag in ("SA", "EXT-P", "EXT-S", "DERIVED", "GAP")
            assert item.sources
            documents = [s for s in item.sources if kb.sources[s].is_source_document]
            if "seed" in item.origin:
                assert documents, (phase.kind, item)


def test_responses_name_catalogue_markers_and_gaps_have_no_band(kb: Knowledge) -> None:
    for phase in kb.phases.values():
        for r in phase.responses:
            assert r.analyte in analytes.CATALOGUE or r.analyte in DERIVED_MARKERS
            if r.is_gap:
                assert not r.has_band and r.size == "none" and r.typical is None
            if r.has_band and r.size in ("relative", "change"):
                assert r.low is not None and r.high is not None and r.low <= r.high
            for window in (r.onset_days, r.plateau_days):
                if window is not None:
                    assert 0 <= window[0] <= window[1]
            if r.onset_days and r.plateau_days:
                assert r.onset_days[0] <= r.plateau_days[0]
                assert r.onset_days[1] <= r.plateau_days[1]


def test_gonadorelin_has_no_band_and_says_why(kb: Knowledge) -> None:
    phase = kb.phases["gonadorelin"]
    assert phase.responses
    assert all(r.is_gap and not r.has_band for r in phase.responses)
    assert any("No human outcome data" in c.text for c in phase.cautions)


def test_bands_per_phase(kb: Knowledge) -> None:
    """The coverage the issue notes describe: bands only where a range is published."""
    banded = {kind: sorted(r.analyte for r in p.responses if r.has_band)
              for kind, p in kb.phases.items()}
    assert banded == {
        "baseline": [],
        "trt": ["fsh", "lh", "testosterone_total"],
        "washout": [],
        "hcg": ["lh"],
        "serm_clomiphene": ["estradiol", "testosterone_total"],
        "serm_tamoxifen": [],
        "aromatase_inhibitor": ["estradiol", "testosterone_bioavailable", "testosterone_total"],
        "gonadorelin": [],
        "recovery": ["fsh", "lh", "t_e2_ratio", "testosterone_total"],
    }


def test_published_figures_are_kept_exactly(kb: Knowledge) -> None:
    lh = kb.response("trt", "lh")
    assert lh is not None and (lh.low, lh.high) == (-100.0, -50.0)
    assert "5 % of its starting value" in lh.evidence  # Coviello: -95 %, not the FSH -97 %
    e2 = kb.response("aromatase_inhibitor", "estradiol")
    assert e2 is not None and (e2.low, e2.high) == (-37.0, -24.0)
    assert e2.direction == "down" and e2.origin == "seed+literature"
    assert kb.response("hcg", "lh").high == 1.0  # absolute band, IU/L  # type: ignore[union-attr]
    clomiphene_t = kb.response("serm_clomiphene", "testosterone_total")
    assert clomiphene_t is not None and clomiphene_t.start_below == 300.0
    assert clomiphene_t.tag == "EXT-S"  # two of its three figures are second-hand
    hct = kb.response("trt", "hematocrit")
    assert hct is not None and hct.size == "change" and hct.typical == 3.0 and not hct.has_band


def test_units_are_converted_to_canonical_on_loading(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "hcg.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('low = 0.0\nhigh = 1.0\nunit = "IU/L"', 'low = 0.0\nhigh = 1.0\nunit = "mIU/mL"')
    path.write_text(text, encoding="utf-8")
    clomiphene = folder / "serm_clomiphene.toml"
    clomiphene.write_text(clomiphene.read_text(encoding="utf-8").replace(
        'start_below = 300.0\nunit = "ng/dL"', 'start_below = 10.4\nunit = "nmol/L"'), encoding="utf-8")
    kb = load_knowledge(folder)
    assert kb.response("hcg", "lh").high == pytest.approx(1.0)  # type: ignore[union-attr]
    below = kb.response("serm_clomiphene", "testosterone_total").start_below  # type: ignore[union-attr]
    assert below == pytest.approx(10.4 / 0.03467)


def test_source_documents_references_are_corrected(kb: Knowledge) -> None:
    by_cited = {r.as_cited.split(" (")[0]: r for r in kb.seed_references}
    coward = by_cited["Coward & Smith"]
    assert coward.status == "corrected" and coward.corrected == "mcbride2016"
    assert "McBride JA, Coward RM" in kb.sources["mcbride2016"].citation
    raman = by_cited["Raman & Schlegel"]
    assert raman.corrected == "raman2002" and "2002;167" in kb.sources["raman2002"].citation
    assert by_cited["Brito & Knoepfelmacher"].status == "not_found"
    assert by_cited["Lykhonosov & Vorokhobina"].status == "closest_match"
    for ref in kb.seed_references:
        assert kb.sources[ref.document].is_source_document


def test_every_source_is_cited_somewhere(kb: Knowledge) -> None:
    cited = {s for p in kb.phases.values() for s in p.source_ids}
    cited |= {s for item in (*kb.medication_classes, *kb.agents, *kb.study_tables,
                             *kb.curves.values()) for s in item.sources}
    cited |= {r.corrected for r in kb.seed_references if r.corrected}
    from hpgjournal.domain.variation import VARIATION

    by_variation = {s for v in VARIATION.values() for s in v.sources}
    assert by_variation <= set(kb.sources)  # each reference change value's study is listed
    cited |= by_variation
    from hpgjournal.domain.alerts import SOURCE_IDS

    by_flags = {s for ids in SOURCE_IDS.values() for s in ids}
    assert by_flags <= set(kb.sources)  # each safety flag's source is listed
    cited |= by_flags
    assert set(kb.sources) - cited == set()


def test_the_source_documents_tables_are_data(kb: Knowledge) -> None:
    assert {c.name for c in kb.medication_classes} == {
        "Gonadotropins (hCG)", "SERMs (clomiphene, tamoxifen)", "Aromatase inhibitors (anastrozole)"}
    assert [c.target for c in kb.medication_classes][1] == "Pituitary gland"
    assert {a.name for a in kb.agents} == {"Gonadorelin", "Clomiphene citrate", "Tamoxifen",
                                           "Anastrozole"}
    (table,) = kb.study_tables
    assert table.verified is False and "could not be traced" in table.caveat
    assert table.phase_kind == "aromatase_inhibitor"
    rows = {r.analyte: (r.before, r.after) for r in table.rows}
    assert rows == {"testosterone_total": (258.4, 509.2),
                    "testosterone_bioavailable": (128.8, 297.5), "estradiol": (40.8, 24.6)}
    assert table.row("testosterone_total").change_percent == pytest.approx(97.06, abs=0.01)  # type: ignore[union-attr]
    # never a band: the AI estradiol band comes from the trials, not from this table
    e2 = kb.response("aromatase_inhibitor", "estradiol")
    assert e2 is not None and e2.low != pytest.approx(table.row("estradiol").change_percent)  # type: ignore[union-attr]


def test_the_recovery_curve_counts_from_the_first_missed_dose(kb: Knowledge) -> None:
    curve = kb.curves["liu2006_sperm"]
    assert curve.anchor == "first_missed_dose" and curve.threshold == 20.0
    published = {p.month: (p.share, p.ci_low, p.ci_high) for p in curve.points}
    assert published[6.0] == (67.0, 61.0, 72.0)
    assert published[12.0] == (90.0, 85.0, 93.0)
    assert published[16.0] == (96.0, 92.0, 98.0)
    assert published[24.0][0] == 100.0
    assert curve.median_months == 3.4 and published[3.4][0] == 50.0
    # straight lines between points: 9 months is half way from 67 % to 90 %
    assert curve.share_at(9 * 30.44) == pytest.approx(78.5)
    assert curve.share_at(0) == 0.0 and curve.share_at(1000) == 100.0
    for phase in ("washout", "recovery"):
        response = kb.response(phase, "sperm_concentration")
        assert response is not None and response.curve == "liu2006_sperm"
        assert response.anchor == "first_missed_dose"


def test_derived_marker_units() -> None:
    assert marker_unit("t_e2_ratio", "us") == "ratio"
    assert marker_to_system("t_e2_ratio", 10.0, "si") == pytest.approx(0.0944, abs=1e-4)
    assert marker_unit("estradiol", "si") == "pmol/L"
    assert marker_to_system("free_t_calculated", 100.0, "si") == pytest.approx(346.7)
    with pytest.raises(ValueError, match="unit system"):
        marker_unit("t_e2_ratio", "metric")


# ---------------------------------------------------------------------------------------------
# Broken knowledge bases are refused with a clear message
# ---------------------------------------------------------------------------------------------


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    shutil.copytree(FOLDER, folder)
    return folder


TRT_LH = '''analyte = "lh"
direction = "down"
size = "relative"
low = -100.0
high = -50.0'''

BROKEN = [
    # (file, text to replace, replacement, words the message must contain)
    ("trt.toml", TRT_LH, TRT_LH + "\nhgih = 3.0",
     ["trt.toml", "response[1] (lh).hgih", "unknown key"]),
    ("trt.toml", 'analyte = "lh"', 'analyte = "luteinising"',
     ["trt.toml", "response[1].analyte", "unknown marker 'luteinising'"]),
    ("trt.toml", 'sources = ["coviello2005", "wallace1993", "matsumoto1990", "mahabadi2009", '
                 '"seed_restart", "seed_atrophy"]', 'sources = ["coviello2005", "nobody2031"]',
     ["trt.toml", "response[1] (lh).sources", "unknown source 'nobody2031'"]),
    ("trt.toml", 'sources = ["coviello2005", "wallace1993", "matsumoto1990", "mahabadi2009", '
                 '"seed_restart", "seed_atrophy"]', 'sources = []',
     ["trt.toml", "response[1] (lh).sources", "must not be empty"]),
    ("trt.toml", TRT_LH + '\nanchor = "phase_start"\nonset_days = [1, 21]',
     TRT_LH + '\nanchor = "phase_start"\nonset_days = [15, 21]',
     ["trt.toml", "response[1] (lh).onset_days", "must not come after plateau"]),
    ("trt.toml", "onset_days = [1, 21]", "onset_days = [21, 1]",
     ["trt.toml", "onset_days", "the earliest day 21 comes after the latest 1"]),
    ("trt.toml", TRT_LH, TRT_LH.replace("low = -100.0", "low = -40.0"),
     ["trt.toml", "response[1] (lh).low", "low -40 is above high -50"]),
    ("trt.toml", TRT_LH, TRT_LH.replace("low = -100.0", "low = nan"),
     ["trt.toml", "response[1] (lh).low", "finite number"]),
    ("trt.toml", TRT_LH, TRT_LH.replace("low = -100.0", "low = -130.0"),
     ["trt.toml", "response[1] (lh).low", "more than 100 %"]),
    ("trt.toml", TRT_LH, TRT_LH.replace("low = -100.0", 'low = "a lot"'),
     ["trt.toml", "response[1] (lh).low", "must be a number"]),
    ("gonadorelin.toml", 'analyte = "lh"\ndirection = "unknown"\nsize = "none"',
     'analyte = "lh"\ndirection = "up"\nsize = "relative"\nlow = 10.0\nhigh = 50.0',
     ["gonadorelin.toml", "response[0] (lh).tag", "a GAP has no figure and no band"]),
    ("hcg.toml", 'unit = "IU/L"\nstart_below = 1.0', 'unit = "ng/dL"\nstart_below = 1.0',
     ["hcg.toml", "response[2] (lh).unit", "does not fit Luteinizing hormone"]),
    ("washout.toml", 'curve = "liu2006_sperm"', 'curve = "liu2099"',
     ["washout.toml", "response[6] (sperm_concentration).curve", "unknown recovery curve"]),
    ("hcg.toml", 'kind = "hcg"', 'kind = "trt"', ["hcg.toml", "kind", "does not match"]),
    ("hcg.toml", '[[mechanism]]\ntext = """hCG binds', '[[mechanism]]\ntext = """hCG binds',
     None),  # unchanged: the control case loads
    ("baseline.toml", 'sources = ["seed_restart", "seed_atrophy"]\n\n[[mechanism]]\ntext = """The '
                      'loop', 'sources = ["travison2017"]\n\n[[mechanism]]\ntext = """The loop',
     ["baseline.toml", "mechanism[0].sources", "needs a source document"]),
    ("curves.toml", "month = 12.0\nshare = 90.0", "month = 5.0\nshare = 90.0",
     ["curves.toml", "recovery_curve[0].point", "must rise", "month 5 after 6"]),
    ("curves.toml", "month = 12.0\nshare = 90.0", "month = 12.0\nshare = 60.0",
     ["curves.toml", "recovery_curve[0].point[3].ci_low", "does not hold 60"]),
    ("tables.toml", "verified = false", "verified = \"no\"",
     ["tables.toml", "study_table[0].verified", "true or false"]),
    ("sources.toml", 'kind = "source_document"', 'kind = "blog"',
     ["sources.toml", "source[0].kind", "'blog' is not one of"]),
    ("aromatase_inhibitor.toml", 'analytes = ["estradiol"]\n\n[[caution]]',
     'analytes = ["estradiol"]\nwhen = ["worse than expected"]\n\n[[caution]]',
     ["aromatase_inhibitor.toml", "caution[0].when", "is not a verdict"]),
    ("serm_tamoxifen.toml", 'tag = "EXT-S"\nsources = ["seed_atrophy", "defy2014"]',
     'tag = "EXT-P"\nsources = ["seed_atrophy", "defy2014"]',
     ["serm_tamoxifen.toml", "practice[0].tag", "a clinic's protocol"]),
    ("washout.toml", 'injections."\ntiming_origin = "literature"',
     'injections."\ntiming_origin = "a hunch"',
     ["washout.toml", "timing_origin", "must be one of literature, assumption"]),
    ("trt.toml", 'title = "On testosterone (TRT)"', 'title = "On testosterone (TRT)',
     ["trt.toml", "is not valid TOML"]),
]


@pytest.mark.parametrize(("name", "old", "new", "expected"), BROKEN,
                         ids=[f"{b[0]}:{(b[3] or ['control'])[-1][:30]}" for b in BROKEN])
def test_broken_files_are_rejected_naming_file_and_key(tmp_path: Path, name: str, old: str,
                                                       new: str, expected: list[str] | None) -> None:
    folder = _copy(tmp_path)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the fixture text is no longer in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    if expected is None:
        assert load_knowledge(folder).phases
        return
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(folder)
    message = str(caught.value)
    for words in expected:
        assert words in message, message
    assert caught.value.file == name


def test_a_missing_phase_file_is_named(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "hcg.toml").unlink()
    with pytest.raises(KnowledgeError, match=r"hcg\.toml: is missing from"):
        load_knowledge(folder)


def test_a_file_for_an_unknown_phase_kind_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    shutil.copy(folder / "hcg.toml", folder / "peptides.toml")
    with pytest.raises(KnowledgeError, match=r"peptides\.toml: names no phase kind"):
        load_knowledge(folder)


def test_a_second_response_for_one_marker_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "trt.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('analyte = "fsh"', 'analyte = "lh"', 1), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"trt\.toml: response\[2\] \(lh\): a second response"):
        load_knowledge(folder)


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="is not a folder"):
        load_knowledge(tmp_path / "nowhere")


def test_bands_never_hold_nan(kb: Knowledge) -> None:
    for phase in kb.phases.values():
        for r in phase.responses:
            for value in (r.low, r.high, r.typical, r.start_below, r.start_above):
                assert value is None or math.isfinite(value)

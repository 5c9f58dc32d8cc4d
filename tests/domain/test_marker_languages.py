"""Marker names in other languages (issue 15): what German, French, Spanish, Italian, Dutch,
Polish and Portuguese labs print reaches the catalogue marker (and its method), not an own
marker; free never reads as total, a wrong unit is not matched, and a German lab file goes in
with its names, decimal commas and day-first dates."""

from __future__ import annotations

import pytest

from hpgjournal.domain import analytes
from hpgjournal.domain.analytes import find_analyte
from hpgjournal.domain.records import LabResult
from hpgjournal.importers import commit_plan, plan_import

TT, FT, BT = "testosterone_total", "testosterone_free", "testosterone_bioavailable"
DE = [
    ("Testosteron gesamt", TT, ""), ("Gesamttestosteron", TT, ""), ("Gesamt-Testosteron", TT, ""),
    ("Freies Testosteron", FT, ""), ("Testosteron, frei", FT, ""), ("Testosteron frei", FT, ""),
    ("Freies Testosteron, berechnet", FT, "calculated"),
    ("Testosteron, frei (berechnet)", FT, "calculated"),
    ("Freies Testosteron (Dialyse)", FT, "measured"),
    ("Bioverfügbares Testosteron", BT, ""), ("Testosteron, bioverfügbar", BT, ""),
    ("Sexualhormon-bindendes Globulin", "shbg", ""), ("Sexualhormonbindendes Globulin", "shbg", ""),
    ("Luteinisierendes Hormon", "lh", ""),
    ("Follikelstimulierendes Hormon", "fsh", ""), ("Follikel-stimulierendes Hormon", "fsh", ""),
    ("Östradiol", "estradiol", ""), ("Oestradiol (E2)", "estradiol", ""),
    ("Prolaktin", "prolactin", ""),
    ("Dihydrotestosteron", "dht", ""),
    ("Hämatokrit", "hematocrit", ""), ("Hkt", "hematocrit", ""),
    ("Hämoglobin", "hemoglobin", ""),
    ("Erythrozyten", "rbc", ""),
    ("PSA gesamt", "psa", ""), ("Prostataspezifisches Antigen", "psa", ""),
    ("Anti-Müller-Hormon", "amh", ""),
    ("Spermienkonzentration", "sperm_concentration", ""),
    ("Ejakulatvolumen", "semen_volume", ""),
    ("Gesamtspermienzahl", "sperm_total_count", ""),
    ("Gesamtmotilität", "sperm_motility", ""),
    ("Progressive Motilität", "sperm_progressive_motility", ""),
    ("Kortisol", "cortisol", ""),
    ("TSH basal", "tsh", ""), ("Thyreotropin", "tsh", ""),
    ("Freies T4", "free_t4", ""), ("Freies Thyroxin", "free_t4", ""),
    ("Hämoglobin A1c", "hba1c", ""),
    ("Cholesterin gesamt", "cholesterol_total", ""), ("Gesamtcholesterin", "cholesterol_total", ""),
    ("Cholesterin", "cholesterol_total", ""),
    ("HDL-Cholesterin", "hdl", ""), ("LDL-Cholesterin", "ldl", ""),
    ("GPT", "alt", ""), ("ALAT", "alt", ""), ("GPT (ALAT)", "alt", ""),
    ("Alanin-Aminotransferase", "alt", ""),
    ("GOT", "ast", ""), ("ASAT", "ast", ""), ("GOT (ASAT)", "ast", ""),
    ("Aspartat-Aminotransferase", "ast", ""),
]
FR = [
    ("Testostérone totale", TT, ""),
    ("Testostérone libre", FT, ""), ("Testostérone libre calculée", FT, "calculated"),
    ("Testostérone libre (dialyse)", FT, "measured"),
    ("Testostérone biodisponible", BT, ""),
    ("Hormone lutéinisante", "lh", ""),
    ("Hormone folliculo-stimulante", "fsh", ""), ("Hormone folliculostimulante", "fsh", ""),
    ("Œstradiol", "estradiol", ""), ("Œstradiol sérique", "estradiol", ""),
    ("Prolactine", "prolactin", ""),
    ("Dihydrotestostérone", "dht", ""),
    ("Hématocrite", "hematocrit", ""),
    ("Hémoglobine", "hemoglobin", ""),
    ("Hématies", "rbc", ""), ("Globules rouges", "rbc", ""),
    ("PSA total", "psa", ""), ("Antigène prostatique spécifique", "psa", ""),
    ("Albumine", "albumin", ""),
    ("Hormone anti-müllérienne", "amh", ""),
    ("Inhibine B", "inhibin_b", ""),
    ("Concentration en spermatozoïdes", "sperm_concentration", ""),
    ("Volume de l'éjaculat", "semen_volume", ""),
    ("Nombre total de spermatozoïdes", "sperm_total_count", ""),
    ("Mobilité totale", "sperm_motility", ""),
    ("Mobilité progressive", "sperm_progressive_motility", ""),
    ("Formes typiques", "sperm_morphology", ""),
    ("Thyréostimuline", "tsh", ""),
    ("T4 libre", "free_t4", ""), ("Thyroxine libre", "free_t4", ""),
    ("Somatomédine C", "igf1", ""),
    ("Hémoglobine glyquée", "hba1c", ""),
    ("Cholestérol total", "cholesterol_total", ""),
    ("Cholestérol HDL", "hdl", ""), ("Cholestérol LDL", "ldl", ""),
    ("Triglycérides", "triglycerides", ""),
    ("ALAT", "alt", ""), ("ASAT", "ast", ""),
]
ES = [
    ("Testosterona total", TT, ""), ("Testosterona", TT, ""),
    ("Testosterona libre", FT, ""), ("Testosterona libre calculada", FT, "calculated"),
    ("Testosterona libre (diálisis)", FT, "measured"),
    ("Testosterona biodisponible", BT, ""),
    ("Globulina fijadora de hormonas sexuales", "shbg", ""),
    ("Globulina transportadora de hormonas sexuales", "shbg", ""),
    ("Hormona luteinizante", "lh", ""),
    ("Hormona folículo estimulante", "fsh", ""), ("Hormona foliculoestimulante", "fsh", ""),
    ("Estradiol", "estradiol", ""),
    ("Prolactina", "prolactin", ""),
    ("Dihidrotestosterona", "dht", ""),
    ("Hematocrito", "hematocrit", ""),
    ("Hemoglobina", "hemoglobin", ""),
    ("Hematíes", "rbc", ""), ("Eritrocitos", "rbc", ""),
    ("PSA total", "psa", ""), ("Antígeno prostático específico", "psa", ""),
    ("Albúmina", "albumin", ""),
    ("Hormona antimülleriana", "amh", ""),
    ("Inhibina B", "inhibin_b", ""),
    ("Concentración espermática", "sperm_concentration", ""),
    ("Volumen seminal", "semen_volume", ""),
    ("Número total de espermatozoides", "sperm_total_count", ""),
    ("Movilidad total", "sperm_motility", ""),
    ("Movilidad progresiva", "sperm_progressive_motility", ""),
    ("Formas normales", "sperm_morphology", ""),
    ("Tirotropina", "tsh", ""),
    ("T4 libre", "free_t4", ""), ("Tiroxina libre", "free_t4", ""),
    ("Somatomedina C", "igf1", ""),
    ("Hemoglobina glicosilada", "hba1c", ""), ("Hemoglobina glicada", "hba1c", ""),
    ("Colesterol total", "cholesterol_total", ""),
    ("Colesterol HDL", "hdl", ""), ("Colesterol LDL", "ldl", ""),
    ("Triglicéridos", "triglycerides", ""),
    ("GPT", "alt", ""), ("Alanina aminotransferasa", "alt", ""),
    ("GOT", "ast", ""), ("Aspartato aminotransferasa", "ast", ""),
]
IT = [
    ("Testosterone totale", TT, ""),
    ("Testosterone libero", FT, ""), ("Testosterone libero calcolato", FT, "calculated"),
    ("Testosterone biodisponibile", BT, ""),
    ("Ormone luteinizzante", "lh", ""),
    ("Ormone follicolo-stimolante", "fsh", ""), ("Ormone follicolostimolante", "fsh", ""),
    ("Estradiolo", "estradiol", ""), ("17-beta-estradiolo", "estradiol", ""),
    ("Prolattina", "prolactin", ""),
    ("Diidrotestosterone", "dht", ""),
    ("Ematocrito", "hematocrit", ""),
    ("Emoglobina", "hemoglobin", ""),
    ("Eritrociti", "rbc", ""), ("Globuli rossi", "rbc", ""),
    ("PSA totale", "psa", ""), ("Antigene prostatico specifico", "psa", ""),
    ("Albumina", "albumin", ""),
    ("Ormone antimülleriano", "amh", ""),
    ("Inibina B", "inhibin_b", ""),
    ("Concentrazione spermatica", "sperm_concentration", ""),
    ("Concentrazione nemaspermica", "sperm_concentration", ""),
    ("Volume dell'eiaculato", "semen_volume", ""),
    ("Numero totale di spermatozoi", "sperm_total_count", ""),
    ("Motilità totale", "sperm_motility", ""),
    ("Motilità progressiva", "sperm_progressive_motility", ""),
    ("Forme normali", "sperm_morphology", ""),
    ("Cortisolo", "cortisol", ""),
    ("Tireotropina", "tsh", ""),
    ("Tiroxina libera", "free_t4", ""),
    ("Somatomedina C", "igf1", ""),
    ("Emoglobina glicata", "hba1c", ""),
    ("Colesterolo totale", "cholesterol_total", ""),
    ("Colesterolo HDL", "hdl", ""), ("Colesterolo LDL", "ldl", ""),
    ("Trigliceridi", "triglycerides", ""),
    ("Alanina aminotransferasi", "alt", ""),
    ("Aspartato aminotransferasi", "ast", ""),
]
NL = [
    ("Testosteron totaal", TT, ""), ("Totaal testosteron", TT, ""),
    ("Vrij testosteron", FT, ""), ("Testosteron vrij", FT, ""),
    ("Vrij testosteron (berekend)", FT, "calculated"),
    ("Luteïniserend hormoon", "lh", ""),
    ("Follikelstimulerend hormoon", "fsh", ""),
    ("Oestradiol", "estradiol", ""),
    ("Prolactine", "prolactin", ""),
    ("Dihydrotestosteron", "dht", ""),
    ("Hematocriet", "hematocrit", ""),
    ("Hemoglobine", "hemoglobin", ""),
    ("Erytrocyten", "rbc", ""),
    ("PSA totaal", "psa", ""), ("Prostaatspecifiek antigeen", "psa", ""),
    ("Albumine", "albumin", ""),
    ("Inhibine B", "inhibin_b", ""),
    ("Vrij T4", "free_t4", ""), ("Vrij thyroxine", "free_t4", ""),
    ("Totaal cholesterol", "cholesterol_total", ""),
    ("HDL-cholesterol", "hdl", ""), ("LDL-cholesterol", "ldl", ""),
    ("Triglyceriden", "triglycerides", ""),
    ("ALAT", "alt", ""), ("ASAT", "ast", ""),
]
PL = [
    ("Testosteron całkowity", TT, ""), ("Testosteron", TT, ""),
    ("Testosteron wolny", FT, ""), ("Wolny testosteron", FT, ""),
    ("Testosteron wolny (wyliczony)", FT, "calculated"),
    ("Testosteron wolny obliczony", FT, "calculated"),
    ("Globulina wiążąca hormony płciowe", "shbg", ""),
    ("Hormon luteinizujący", "lh", ""),
    ("Hormon folikulotropowy", "fsh", ""),
    ("Estradiol", "estradiol", ""),
    ("Prolaktyna", "prolactin", ""),
    ("Dihydrotestosteron", "dht", ""),
    ("Hematokryt", "hematocrit", ""),
    ("Hemoglobina", "hemoglobin", ""),
    ("Erytrocyty", "rbc", ""),
    ("PSA całkowity", "psa", ""),
    ("Albumina", "albumin", ""),
    ("Inhibina B", "inhibin_b", ""),
    ("Koncentracja plemników", "sperm_concentration", ""),
    ("Objętość ejakulatu", "semen_volume", ""),
    ("Całkowita liczba plemników", "sperm_total_count", ""),
    ("Kortyzol", "cortisol", ""),
    ("Tyreotropina", "tsh", ""),
    ("Wolna tyroksyna", "free_t4", ""),
    ("Hemoglobina glikowana", "hba1c", ""),
    ("Cholesterol całkowity", "cholesterol_total", ""),
    ("Triglicerydy", "triglycerides", ""),
    ("Aminotransferaza alaninowa", "alt", ""),
    ("Aminotransferaza asparaginianowa", "ast", ""),
]
PT = [
    ("Testosterona total", TT, ""),
    ("Testosterona livre", FT, ""), ("Testosterona livre calculada", FT, "calculated"),
    ("Testosterona biodisponível", BT, ""),
    ("Globulina ligadora de hormônios sexuais", "shbg", ""),
    ("Hormônio luteinizante", "lh", ""),
    ("Hormônio folículo-estimulante", "fsh", ""),
    ("Estradiol", "estradiol", ""),
    ("Prolactina", "prolactin", ""),
    ("Di-hidrotestosterona", "dht", ""), ("Dihidrotestosterona", "dht", ""),
    ("Hematócrito", "hematocrit", ""),
    ("Hemoglobina", "hemoglobin", ""),
    ("Eritrócitos", "rbc", ""), ("Hemácias", "rbc", ""),
    ("PSA total", "psa", ""), ("Antígeno prostático específico", "psa", ""),
    ("Albumina", "albumin", ""),
    ("Hormônio antimülleriano", "amh", ""),
    ("Inibina B", "inhibin_b", ""),
    ("Concentração espermática", "sperm_concentration", ""),
    ("Volume seminal", "semen_volume", ""),
    ("Número total de espermatozoides", "sperm_total_count", ""),
    ("Motilidade total", "sperm_motility", ""),
    ("Motilidade progressiva", "sperm_progressive_motility", ""),
    ("Formas normais", "sperm_morphology", ""),
    ("T4 livre", "free_t4", ""), ("Tiroxina livre", "free_t4", ""),
    ("Somatomedina C", "igf1", ""),
    ("Hemoglobina glicada", "hba1c", ""),
    ("Colesterol total", "cholesterol_total", ""),
    ("Colesterol HDL", "hdl", ""), ("Colesterol LDL", "ldl", ""),
    ("Triglicerídeos", "triglycerides", ""),
    ("TGP", "alt", ""), ("TGO", "ast", ""),
]
LANGUAGES = {"de": DE, "fr": FR, "es": ES, "it": IT, "nl": NL, "pl": PL, "pt": PT}
CASES = [pytest.param(name, key, method, id=f"{lang}-{name}")
         for lang, rows in LANGUAGES.items() for name, key, method in rows]


@pytest.mark.parametrize(("name", "key", "method"), CASES)
def test_a_name_printed_in_another_language_is_its_marker(name: str, key: str,
                                                          method: str) -> None:
    found = find_analyte(name)
    assert found is not None, name
    assert (found[0].key, found[1]) == (key, method)


def test_no_name_means_two_markers() -> None:
    assert analytes.name_index()[1] == []


@pytest.mark.parametrize(("name", "key"), [
    pytest.param("Testosteron gesamt", "testosterone_total", id="de-total"),
    pytest.param("Freies Testosteron", "testosterone_free", id="de-free"),
    pytest.param("Testosteron frei", "testosterone_free", id="de-frei-makes-it-free"),
    pytest.param("frei Testosteron gesamt", None, id="de-free-and-total-is-nothing"),
    pytest.param("Testostérone libre", "testosterone_free", id="fr-free"),
    pytest.param("Testosterona libre", "testosterone_free", id="es-free"),
    pytest.param("Testosterone libero", "testosterone_free", id="it-free"),
    pytest.param("Vrij testosteron", "testosterone_free", id="nl-free"),
    pytest.param("Testosteron wolny", "testosterone_free", id="pl-free"),
    pytest.param("Testosterona livre", "testosterone_free", id="pt-free"),
    pytest.param("PSA frei", None, id="de-free-psa-is-not-total-psa"),
    pytest.param("PSA libre", None, id="fr-free-psa-is-not-total-psa"),
    pytest.param("Testosteron Speichel", None, id="de-salivary-is-not-serum"),
    pytest.param("Freies Testosteron, direkt berechnet dialyse xyz", None, id="de-unknown-word"),
])
def test_free_and_total_stay_apart(name: str, key: str | None) -> None:
    found = find_analyte(name)
    assert (found[0].key if found else None) == key


@pytest.mark.parametrize("name", [
    pytest.param("Freies Testosteron (%)", id="de-free-percent"),
    pytest.param("Testosteron, frei (%)", id="de-frei-percent"),
    pytest.param("Testostérone libre (%)", id="fr-free-percent"),
    pytest.param("Testosteron gesamt (%)", id="de-total-percent"),
    pytest.param("Hämatokrit (mmol/L)", id="de-hematocrit-mmol"),
    pytest.param("Prolaktin (%)", id="de-prolactin-percent"),
])
def test_a_foreign_name_with_a_wrong_unit_is_not_matched(name: str) -> None:
    english = {"Freies Testosteron": "Free Testosterone", "Testosteron, frei": "Free Testosterone",
               "Testostérone libre": "Free Testosterone", "Testosteron gesamt": "Testosterone",
               "Hämatokrit": "Hematocrit", "Prolaktin": "Prolactin"}
    bare, _, unit = name.rpartition(" ")
    assert find_analyte(f"{english[bare]} {unit}") is None  # the English name is not either
    assert find_analyte(name) is None
    assert find_analyte(bare) is not None  # the name alone is known


@pytest.mark.parametrize(("name", "method"), [
    pytest.param("Testosteron, frei (berechnet)", "calculated", id="de-berechnet"),
    pytest.param("Testostérone libre calculée", "calculated", id="fr-calculee"),
    pytest.param("Testostérone libre (calculé)", "calculated", id="fr-calcule"),
    pytest.param("Testosterona libre calculada", "calculated", id="es-calculada"),
    pytest.param("Testosterona livre (calculado)", "calculated", id="pt-calculado"),
    pytest.param("Testosterone libero calcolato", "calculated", id="it-calcolato"),
    pytest.param("Vrij testosteron berekend", "calculated", id="nl-berekend"),
    pytest.param("Testosteron wolny obliczony", "calculated", id="pl-obliczony"),
    pytest.param("Testosteron wolny (wyliczony)", "calculated", id="pl-wyliczony"),
    pytest.param("Freies Testosteron (Dialyse)", "measured", id="de-dialyse"),
    pytest.param("Testostérone libre, dialyse", "measured", id="fr-dialyse"),
    pytest.param("Testosterona libre (diálisis)", "measured", id="es-dialisis"),
    pytest.param("Testosterone libero (dialisi)", "measured", id="it-dialisi"),
    pytest.param("Testosterona livre (diálise)", "measured", id="pt-dialise"),
    pytest.param("Testosteron wolny (dializa)", "measured", id="pl-dializa"),
    pytest.param("Freies Testosteron LC-MS/MS", "measured", id="de-lcmsms"),
])
def test_method_words_in_other_languages(name: str, method: str) -> None:
    found = find_analyte(name)
    assert found is not None and (found[0].key, found[1]) == ("testosterone_free", method)


def test_estradiol_does_not_take_a_free_testosterone_method_word() -> None:
    assert find_analyte("Östradiol berechnet") is None


@pytest.mark.parametrize(("name", "key"), [
    pytest.param("Testosteron Serum", "testosterone_total", id="de-serum"),
    pytest.param("Testostérone totale sérique", "testosterone_total", id="fr-serique"),
    pytest.param("Testosterone totale sierico", "testosterone_total", id="it-sierico"),
    pytest.param("Testosterona total sérica", "testosterone_total", id="es-serica"),
    pytest.param("Testosterona total (suero)", "testosterone_total", id="es-suero"),
    pytest.param("Testosteron całkowity, surowica", "testosterone_total", id="pl-surowica"),
])
def test_serum_words_in_other_languages_are_ignored(name: str, key: str) -> None:
    found = find_analyte(name)
    assert found is not None and found[0].key == key


@pytest.mark.parametrize(("name", "tokens"), [
    pytest.param("Œstradiol", ["oestradiol"], id="oe-ligature"),
    pytest.param("œstradiol", ["oestradiol"], id="oe-ligature-lower"),
    pytest.param("Testosteron całkowity", ["testosteron", "calkowity"], id="polish-l"),
    pytest.param("CAŁKOWITY", ["calkowity"], id="polish-capital-l"),
    pytest.param("Gesamteiweiß", ["gesamteiweiss"], id="sharp-s"),
    pytest.param("Ætiocholanolone", ["aetiocholanolone"], id="ae-ligature"),
    pytest.param("Ø", ["o"], id="o-stroke"),
])
def test_letters_nfkd_does_not_take_apart_are_folded(name: str, tokens: list[str]) -> None:
    assert analytes._tokens(name) == tokens


GERMAN_FILE = (
    "Datum;Parameter;Wert;Einheit\n"
    "04.03.2026;Testosteron gesamt;18,9;nmol/l\n"
    "04.03.2026;Freies Testosteron;0,35;nmol/l\n"
    "04.03.2026;Sexualhormon-bindendes Globulin;31,2;nmol/l\n"
    "04.03.2026;Hämatokrit;47,5;%\n"
    "13.06.2026;Testosteron gesamt;20,4;nmol/l\n"
)


def test_a_german_lab_file_goes_in_as_catalogue_markers(journal, tmp_path) -> None:
    path = tmp_path / "befund.csv"
    path.write_text(GERMAN_FILE, encoding="utf-8")
    plan = plan_import([path], journal)
    assert plan.unknown_names() == {}
    assert [r.status for r in plan.rows] == ["new"] * 5
    result = commit_plan(plan, journal)
    assert (result.added, result.errors) == (5, 0)
    stored = {(r.taken_at[:10], r.analyte): r for r in journal.all(LabResult)}
    assert set(stored) == {
        ("2026-03-04", "testosterone_total"), ("2026-03-04", "testosterone_free"),
        ("2026-03-04", "shbg"), ("2026-03-04", "hematocrit"),
        ("2026-06-13", "testosterone_total")}
    total = stored[("2026-03-04", "testosterone_total")]
    assert total.value == pytest.approx(18.9 / 0.03467)  # about 545 ng/dL
    assert total.unit == "ng/dL" and total.reported_value == "18,9"
    assert stored[("2026-06-13", "testosterone_total")].value == pytest.approx(20.4 / 0.03467)
    free = stored[("2026-03-04", "testosterone_free")]
    assert free.value == pytest.approx(0.35 / 0.003467)  # about 101 pg/mL
    assert free.unit == "pg/mL"
    assert stored[("2026-03-04", "shbg")].value == pytest.approx(31.2)
    assert stored[("2026-03-04", "hematocrit")].value == pytest.approx(47.5)
    # and they are on the testosterone chart, as a man who imported the file would look
    from hpgjournal.charts.marker import build_marker_chart
    from hpgjournal.services.chartdata import load_chart_data

    chart = build_marker_chart(load_chart_data(journal, [TT]), [TT])
    drawn = sorted((p.taken_at[:10], round(p.y)) for p in chart.points if p.marker == TT)
    assert drawn == [("2026-03-04", round(18.9 / 0.03467)), ("2026-06-13", round(20.4 / 0.03467))]

"""Import benchmark: an Apple Health ``export.zip`` of 200 MB with 5,000 clinical records.

The export is generated in a temporary folder: ``apple_health_export/export.xml`` filled with
step-count records (each with a random sync identifier, as the phone writes, so that it packs
about as badly as a real one) until the zip reaches ``BENCH_ZIP_MB`` (default 200), and
``clinical-records/`` with ``BENCH_RECORDS`` (default 5,000) FHIR resources in Apple's style:
lab Observations (DSTU2 and R4), DiagnosticReports and Conditions.

hpgjournal's import (plan + commit into a fresh journal) is compared with unzipping the file
alone: reading every member of the zip through ``zipfile`` and throwing the bytes away (what
``unzip -t`` does, no disk writes). Each side runs in its own fresh process (several times,
alternating; medians are printed) and reports its wall time, CPU time and peak memory
(``resource.getrusage``). Aims: peak memory of the import under 500 MB; its time is printed
against the unzipping's (the import reads the clinical records and the head of export.xml
only, so it should take a fraction of it).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ZIP_MB = float(os.environ.get("BENCH_ZIP_MB", "200"))
RECORDS = int(os.environ.get("BENCH_RECORDS", "5000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
ROOT = Path(__file__).resolve().parent.parent

LABS = (  # LOINC, name, unit, low, high
    ("2986-8", "TESTOSTERONE, TOTAL", "ng/dL", 250, 1100),
    ("2243-4", "ESTRADIOL", "pg/mL", 8, 60),
    ("4544-3", "HEMATOCRIT", "%", 38, 56),
    ("718-7", "HEMOGLOBIN", "g/dL", 12, 19),
    ("2857-1", "PSA", "ng/mL", 0.1, 4),
    ("13457-7", "LDL CHOLESTEROL", "mg/dL", 60, 190),
    ("1742-6", "ALT", "U/L", 10, 60),
    ("10501-5", "LH", "m[IU]/mL", 0.1, 9),
)

OURS = """
import json, resource, sys, time
from pathlib import Path
from hpgjournal.store.journal import Journal
from hpgjournal.importers.plan import plan_import
from hpgjournal.importers.commit import commit_plan

zip_path, journal_path = Path(sys.argv[1]), Path(sys.argv[2])
with Journal.open(journal_path) as journal:
    start, cpu = time.perf_counter(), time.process_time()
    plan = plan_import([zip_path], journal)
    result = commit_plan(plan, journal)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_kb": peak, "rows": result.added,
                  "contents": plan.files[0].contents}))
"""

UNZIP = """
import json, resource, sys, time, zipfile
from pathlib import Path

zip_path = Path(sys.argv[1])
start, cpu = time.perf_counter(), time.process_time()
total = 0
with zipfile.ZipFile(zip_path) as archive:
    for info in archive.infolist():
        with archive.open(info) as member:
            while chunk := member.read(1 << 20):
                total += len(chunk)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_kb": peak, "bytes": total}))
"""

_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|ClinicalRecord)*)>
<!ATTLIST HealthData locale CDATA #REQUIRED>
]>
<HealthData locale="en_US">
 <ExportDate value="2024-05-01 09:30:00 -0700"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1980-02-03"/>
"""


def _observation(rng: random.Random, i: int) -> dict[str, object]:
    code, name, unit, low, high = LABS[i % len(LABS)]
    day = f"20{10 + i // 2000 % 14:02d}-{1 + i // 200 % 12:02d}-{1 + i // 8 % 28:02d}"
    value = round(rng.uniform(low, high), 1)
    found: dict[str, object] = {
        "resourceType": "Observation", "id": f"obs-{i}", "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": code, "display": name}],
                 "text": name},
        "effectiveDateTime": f"{day}T08:{i % 60:02d}:00Z", "issued": f"{day}T14:00:00Z",
        "valueQuantity": {"value": value, "unit": unit},
        "referenceRange": [{"low": {"value": low, "unit": unit},
                            "high": {"value": high, "unit": unit}, "text": f"{low}-{high}"}],
        "performer": [{"display": "Quest Diagnostics"}],
    }
    if i % 2:  # DSTU2: one category object
        found["category"] = {"coding": [{"system": "http://hl7.org/fhir/observation-category",
                                         "code": "laboratory"}], "text": "Laboratory"}
    else:
        found["category"] = [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/"
                                                    "observation-category",
                                          "code": "laboratory"}]}]
    return found


def write_export(path: Path, records: int, zip_mb: float) -> None:
    rng = random.Random(20240501)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for i in range(records):
            if i % 10 == 8:
                resource: dict[str, object] = {
                    "resourceType": "DiagnosticReport", "id": f"rep-{i}", "status": "final",
                    "effectiveDateTime": "2020-01-01T08:00:00Z",
                    "result": [{"reference": f"Observation/obs-{i - 1}"}]}
            elif i % 10 == 9:
                resource = {"resourceType": "Condition", "id": f"cond-{i}",
                            "code": {"text": "Hypogonadism"}}
            else:
                resource = _observation(rng, i)
            archive.writestr(f"apple_health_export/clinical-records/{resource['resourceType']}-"
                             f"{i:06d}.json", json.dumps(resource, indent=1,
                                                         separators=(",", " : ")))
        limit = zip_mb * 1e6
        with archive.open("apple_health_export/export.xml", "w", force_zip64=True) as xml:
            xml.write(_HEAD.encode())
            written = 0
            while path.stat().st_size < limit:  # the zip grows as the member is packed
                lines = []
                for _ in range(2000):
                    uid = os.urandom(16).hex()
                    lines.append(
                        f' <Record type="HKQuantityTypeIdentifierStepCount" sourceName="iPhone" '
                        f'unit="count" creationDate="2024-04-30 08:10:00 -0700" '
                        f'startDate="2024-04-30 08:00:00 -0700" endDate="2024-04-30 08:10:00 '
                        f'-0700" value="{rng.randint(1, 900)}"><MetadataEntry '
                        f'key="HKMetadataKeySyncIdentifier" value="{uid}"/></Record>\n')
                chunk = "".join(lines).encode()
                xml.write(chunk)
                written += len(chunk)
            xml.write(b"</HealthData>\n")


def run_side(code: str, zip_path: Path, journal: Path) -> dict[str, object]:
    for leftover in journal.parent.glob(journal.name + "*"):
        leftover.unlink()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", code, str(zip_path), str(journal)], env=env,
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark side failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="hpgjournal-bench-") as folder:
        base = Path(folder)
        zip_path = base / "export.zip"
        write_export(zip_path, RECORDS, ZIP_MB)
        size_mb = zip_path.stat().st_size / 1e6
        ours, unzip = [], []
        for _ in range(RUNS):
            ours.append(run_side(OURS, zip_path, base / "ours.hpgjournal"))
            unzip.append(run_side(UNZIP, zip_path, base / "unused.hpgjournal"))
    ours_s = statistics.median(float(r["seconds"]) for r in ours)  # type: ignore[arg-type]
    unzip_s = statistics.median(float(r["seconds"]) for r in unzip)  # type: ignore[arg-type]
    ours_cpu = statistics.median(float(r["cpu"]) for r in ours)  # type: ignore[arg-type]
    unzip_cpu = statistics.median(float(r["cpu"]) for r in unzip)  # type: ignore[arg-type]
    ours_mb = max(int(r["peak_kb"]) for r in ours) / 1024  # type: ignore[call-overload]
    unzip_mb = max(int(r["peak_kb"]) for r in unzip) / 1024  # type: ignore[call-overload]
    unpacked = int(unzip[0]["bytes"]) / 1e6  # type: ignore[call-overload]
    print(f"import of an Apple Health export.zip of {size_mb:.0f} MB ({unpacked:.0f} MB "
          f"unpacked) with {RECORDS:,} clinical records (median of {RUNS} runs each, fresh "
          "process and journal per run)")
    print(f"  {ours[0]['contents']}; {ours[0]['rows']:,} results imported")
    print(f"  hpgjournal import (plan + commit): {ours_s:6.2f} s  (CPU {ours_cpu:5.2f} s)   "
          f"peak memory {ours_mb:5.0f} MB")
    print(f"  unzipping the file alone:          {unzip_s:6.2f} s  (CPU {unzip_cpu:5.2f} s)   "
          f"peak memory {unzip_mb:5.0f} MB")
    print(f"  ratio: {ours_s / unzip_s:.2f} (CPU {ours_cpu / unzip_cpu:.2f})   memory aim: under "
          f"500 MB: {'ok' if ours_mb < 500 else 'ABOVE AIM'}")


if __name__ == "__main__":
    main()

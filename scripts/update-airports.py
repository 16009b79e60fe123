#!/usr/bin/env python3
"""Regenerate shared/data/airports.csv from the MIT-licensed `airportsdata` package.

Usage: pip install airportsdata && python3 scripts/update-airports.py

Keeps only airports with an IATA code (the ones fares are sold for) and the
columns the places module reads, sorted by code so the table can be binary-searched.
"""
import csv
import importlib.resources
import pathlib
import shutil

import airportsdata  # noqa: F401  (located through importlib.resources below)

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "shared" / "data" / "airports.csv"
COLUMNS = ["iata", "name", "city", "subd", "country", "lat", "lon", "tz"]

source = importlib.resources.files("airportsdata") / "airports.csv"
with source.open(encoding="utf-8") as f:
    rows = [r for r in csv.DictReader(f) if len(r["iata"]) == 3 and r["tz"]]
rows.sort(key=lambda r: r["iata"])

with OUT.open("w", encoding="utf-8", newline="") as f:
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow([r[c] for c in COLUMNS])

dist = pathlib.Path(airportsdata.__file__).parent.parent
for lic in dist.glob("airportsdata-*.dist-info/licenses/LICENSE"):
    shutil.copy(lic, OUT.parent / "airportsdata-LICENSE")
print(f"wrote {len(rows)} airports to {OUT.relative_to(ROOT)}")

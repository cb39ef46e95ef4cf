"""Write ``helpdesk_excerpt.csv.gz``: a synthetic stand-in for the Helpdesk event log.

The real Helpdesk log (see ``../shared/data/README.md``) may not be redistributed with cxpath:
its source states no licence, and the project keeps third-party data out of the repository.
So the documentation ships this file instead, for builds where ``../shared/data`` is absent.
Every row is generated here, from a first-order model of the ticket process whose activity
names, routing shares and waiting times are rounded summary figures of the real log (no row,
resource, customer or timestamp of it is copied). The layout is the real file's: the same
16 columns in the same order, including the repeated ``Variant`` header, ``yyyy/m/d H:M:S``
timestamps, anonymised ``Value n`` labels, and a few exact duplicate rows (the real log has
127 in 21,348).

Run ``python docs/_data/make_helpdesk_excerpt.py`` to write it again; the output is the same
for the same seed.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import pathlib
from collections import Counter

import numpy as np

N_CASES = 300
SEED = 2012
HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE / "helpdesk_excerpt.csv.gz"

START, END = "(start)", "(end)"
# next activity: (share, median wait in seconds, spread of log-wait); shares per row sum to 1
ROUTES = {
    START: {"Assign seriousness": (0.957, 0, 0), "Insert ticket": (0.027, 0, 0),
            "Take in charge ticket": (0.016, 0, 0)},
    "Insert ticket": {"Assign seriousness": (0.94, 270, 2.5), "Wait": (0.035, 2_500_000, 0.6),
                      "Take in charge ticket": (0.025, 190, 2.5)},
    "Assign seriousness": {"Take in charge ticket": (0.842, 22_000, 2.5),
                           "Assign seriousness": (0.089, 3_900, 2.5),
                           "Resolve ticket": (0.052, 6_200, 2.5),
                           "Wait": (0.014, 16_000, 2.5),
                           "Require upgrade": (0.002, 1_000_000, 0.9),
                           "Create SW anomaly": (0.001, 860_000, 2.5)},
    "Take in charge ticket": {"Resolve ticket": (0.705, 9_800, 2.5),
                              "Wait": (0.25, 75_000, 2.5),
                              "Take in charge ticket": (0.02, 63_000, 2.5),
                              "Require upgrade": (0.014, 260_000, 2.5),
                              "Create SW anomaly": (0.011, 220, 2.5)},
    "Wait": {"Resolve ticket": (0.53, 780_000, 2.0), "Take in charge ticket": (0.38, 430_000, 2.5),
             "Wait": (0.075, 85_000, 2.5), END: (0.005, 0, 0),
             "Require upgrade": (0.01, 410_000, 2.5)},
    "Require upgrade": {"Resolve ticket": (0.69, 1_300_000, 2.5),
                        "Require upgrade": (0.135, 160_000, 2.5), "Wait": (0.07, 35_000, 2.5),
                        "Take in charge ticket": (0.05, 250_000, 2.5), END: (0.03, 0, 0),
                        "Create SW anomaly": (0.025, 340_000, 1.2)},
    "Create SW anomaly": {"Resolve ticket": (0.73, 1_340_000, 2.5),
                          "Require upgrade": (0.165, 20, 2.5),
                          "Take in charge ticket": (0.045, 82_000, 2.3),
                          "Create SW anomaly": (0.06, 1_950, 2.5)},
    "Resolve ticket": {"Closed": (0.915, 2_590_000, 0.62), "Resolve ticket": (0.051, 1, 2.5),
                       "Take in charge ticket": (0.031, 110_000, 2.5), END: (0.002, 0, 0),
                       "Wait": (0.001, 82_000, 2.5)},
    "Closed": {END: (0.997, 0, 0), "Closed": (0.003, 0, 0)},
}
N_RESOURCES = 22
MAX_WAIT = 40 * 86400  # seconds
DUPLICATE_SHARE = 0.006  # exact duplicate rows, as a share of events
# case attributes: column -> shares of "Value 1", "Value 2", ...
CASE_ATTRIBUTES = {
    "seriousness": [1.0],
    "product": [0.37, 0.366, 0.129, 0.042, 0.093],
    "responsible_section": [0.956, 0.011, 0.016, 0.017],
    "seriousness_2": [0.568, 0.385, 0.002, 0.045],
    "service_level": [0.026, 0.77, 0.202, 0.002],
    "service_type": [0.847, 0.143, 0.009, 0.001],
    "support_section": [0.96, 0.025, 0.006, 0.009],
    "workgroup": [0.848, 0.119, 0.021, 0.012],
}
N_CUSTOMERS = 120
HEADER = ["Case ID", "Activity", "Resource", "Complete Timestamp", "Variant", "Variant index",
          "Variant", *["seriousness", "customer", "product", "responsible_section",
                       "seriousness_2", "service_level", "service_type", "support_section",
                       "workgroup"]]


def _value(rng: np.random.Generator, shares: list[float]) -> str:
    p = np.asarray(shares) / sum(shares)
    return f"Value {rng.choice(len(p), p=p) + 1}"


def _path(rng: np.random.Generator) -> tuple[list[str], list[float]]:
    """One ticket's activities and the waits (seconds) before each."""
    activities, waits, here = [], [], START
    while len(activities) < 30:
        routes = ROUTES[here]
        names = list(routes)
        p = np.array([routes[n][0] for n in names])
        here = names[rng.choice(len(names), p=p / p.sum())]
        if here == END:
            break
        _, median, spread = routes[here] if activities else (0, 0, 0)
        waits.append(0.0 if median == 0 else float(median * np.exp(rng.normal(0, spread))))
        activities.append(here)
    return activities, waits


def _start_time(rng: np.random.Generator) -> dt.datetime:
    first, last = dt.datetime(2010, 1, 13), dt.datetime(2013, 11, 28)
    while True:
        day = first + dt.timedelta(days=int(rng.integers((last - first).days)))
        if day.weekday() < 5:
            return day + dt.timedelta(seconds=float(rng.uniform(8 * 3600, 18 * 3600)))


def generate(n_cases: int = N_CASES, seed: int = SEED) -> list[list[str]]:
    """The rows of the excerpt (header excluded), in case order."""
    rng = np.random.default_rng(seed)
    resource_weights = rng.dirichlet(np.full(N_RESOURCES, 0.6))
    customer_weights = rng.dirichlet(np.full(N_CUSTOMERS, 0.4))
    cases = []
    for number in range(1, n_cases + 1):
        activities, waits = _path(rng)
        t = _start_time(rng)
        times = []
        for k, wait in enumerate(waits):
            # at least a second between events, at most MAX_WAIT (the real log's tail is long
            # but bounded: 90% of tickets close within about two months)
            seconds = 0 if k == 0 else min(max(round(wait), 1), MAX_WAIT)
            t = t + dt.timedelta(seconds=seconds)
            times.append(t)
        attributes = {c: _value(rng, shares) for c, shares in CASE_ATTRIBUTES.items()}
        attributes["customer"] = _value(rng, list(customer_weights))
        cases.append((f"Case {number}", activities, times, attributes))
    ranks = Counter(" > ".join(a) for _, a, _, _ in cases)
    index = {path: k + 1 for k, (path, _) in enumerate(ranks.most_common())}
    rows = []
    for case, activities, times, attributes in cases:
        variant = index[" > ".join(activities)]
        for activity, time in zip(activities, times):
            resource = _value(rng, list(resource_weights))
            stamp = f"{time.year}/{time.month}/{time.day} {time:%H:%M:%S}"
            row = [case, activity, resource, stamp, f"Variant {variant}", str(variant),
                   f"Variant {variant}", attributes["seriousness"], attributes["customer"],
                   *(attributes[c] for c in HEADER[9:])]
            rows.append(row)
            if rng.random() < DUPLICATE_SHARE:
                rows.append(list(row))
    return rows


def main() -> None:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(generate())
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed:
        packed.write(text.getvalue().encode("utf-8"))
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()

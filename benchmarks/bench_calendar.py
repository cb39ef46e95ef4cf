"""Business durations on a calendar, against a vectorised numpy ``busday_count`` baseline.

The baseline counts whole business days between the two dates (numpy ``busday_count`` with
the same holidays) and multiplies by the hours of a day: it ignores the time of day, the
lunch break, the time zone and daylight saving time, so it is only an approximation — the
fastest vectorised thing numpy offers, not an equal. cxpath's durations are exact.
"""

from __future__ import annotations

import numpy as np
from _harness import first_call_time, median_time, peak_memory_mb, row

HOLIDAYS = ["2025-01-01", "2025-04-18", "2025-04-21", "2025-05-01", "2025-05-29",
            "2025-06-09", "2025-10-03", "2025-12-25", "2025-12-26", "2026-01-01",
            "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-14", "2026-05-25",
            "2026-10-03", "2026-12-25", "2026-12-26"]


def run(quick: bool = False) -> list[dict]:
    from cxpath.calendar import BusinessCalendar

    n = 1_000_000 if quick else 10_000_000
    rng = np.random.default_rng(0)
    t0 = 1735689600.0  # 2025-01-01 UTC; intervals over two years
    start = np.floor(t0 + rng.uniform(0, 2 * 365 * 86400, n))
    end = start + np.floor(rng.exponential(3 * 86400, n))
    cal = BusinessCalendar("Europe/Berlin",
                           hours={"weekdays": [("08:00", "12:00"), ("12:30", "17:00")]},
                           holidays=HOLIDAYS)
    build = first_call_time(lambda: cal._table(t0, t0 + 2 * 365 * 86400))
    first = first_call_time(lambda: cal.business_duration(start[:1000], end[:1000]))
    t_cx = median_time(lambda: cal.business_duration(start, end), repeat=5)
    holidays = np.array(HOLIDAYS, dtype="datetime64[D]")
    hours_per_day = 8.5

    def baseline():
        days_a = start.astype("datetime64[s]").astype("datetime64[D]")
        days_b = end.astype("datetime64[s]").astype("datetime64[D]")
        return np.busday_count(days_a, days_b, holidays=holidays) * hours_per_day * 3600.0

    t_np = median_time(baseline, repeat=5)
    exact = cal.business_duration(start[:100_000], end[:100_000])
    approx = baseline()[:100_000]
    err_h = float(np.median(np.abs(exact - approx))) / 3600
    return [
        row("calendar: open intervals of 2 years to UTC (zoneinfo, once per calendar)",
            cxpath_s=build),
        row("calendar: first business_duration call (compile or cache load)",
            cxpath_s=first),
        row(f"business durations, {n:,} intervals, 2 years, Berlin, lunch break + holidays",
            cxpath_s=t_cx, peer="numpy busday_count x 8.5 h (approximate)", peer_s=t_np,
            throughput=f"{n / t_cx / 1e6:.1f}M intervals/s",
            peak_mb=peak_memory_mb(lambda: cal.business_duration(start, end)),
            note=f"target >= 20M/s; baseline median error {err_h:.1f} h per interval"),
    ]


if __name__ == "__main__":
    from _harness import format_rows

    print(format_rows(run()))

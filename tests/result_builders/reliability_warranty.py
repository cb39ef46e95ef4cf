"""Instances of the warranty and supplier-comparison results (cxpath.reliability.warranty,
cxpath.reliability.compare)."""

from __future__ import annotations

from cxpath import reliability as rel


def build(sample, tmp) -> dict:
    w = rel.nevada([[2, 3, 1], [4, 2, 0], [1, 0, 0]], sales=[100, 120, 90],
                   cost=[[20, 30, 10], [40, 20, 0], [10, 0, 0]], start="2025-01")
    return {"warranty_data": w, "claim_rates": w.claim_rates(),
            "claim_forecast": rel.forecast_claims(w, horizon=2, future_sales=50, n_sims=200,
                                                  seed=1),
            "warranty_dashboard": rel.warranty_dashboard(w),
            "life_comparison": rel.compare_lifetimes(
                [16, 34, 53, 75, 93, 120, 5, 11, 19, 30, 44, 60], ["A"] * 6 + ["B"] * 6),
            "rate_ratios": rel.rate_ratios([30, 12, 10], [1000, 1100, 950],
                                           ["S1", "S2", "S3"])}

"""Result instances of cxpath.text sentiment and complaint-reason classification."""

from __future__ import annotations


def build(sample, tmp) -> dict:
    from cxpath.text import (
        aspect_sentiment,
        classify_reasons,
        lexicon_sentiment,
        train_sentiment,
    )

    r = classify_reasons(["refund not paid", "engineer late"] * 10 + ["refund not paid"],
                         ["billing", "field"] * 10 + ["field"], range(21), n_folds=2,
                         min_df=1)
    return {
        "text.Sentiment": lexicon_sentiment(["very good", "not good", "服务很好"]),
        "text.AspectSentiment": aspect_sentiment(["价格便宜，快递很慢"], {"价格": "price",
                                                                   "快递": "delivery"}),
        "text.TextModel": train_sentiment(["good", "bad"] * 4, [1, 0] * 4, cv=2, min_df=1),
        "text.ReasonClassification": r,
        "text.Misrouted": r.misrouted(0.6),
    }

"""Hostile-suite entries for cxpath.text: sentiment, text models, complaint reasons."""

from __future__ import annotations

from ..registry import E

_TOK = {"tokenize": "mapping"}
_MODEL = (">>> from cxpath.text import train_sentiment\n"
          ">>> m = train_sentiment(['good', 'bad'] * 4, [1, 0] * 4, cv=2, min_df=1)\n")
_REASONS = (">>> from cxpath.text import classify_reasons\n"
            ">>> r = classify_reasons(['refund', 'engineer'] * 5, ['billing', 'field'] * 5, "
            "range(10), n_folds=2, min_df=1)\n")

REGISTRY: dict[str, E] = {
    "cxpath.text.lexicon_sentiment": E({"docs": "labels", "lexicon": "mapping",
                                        "negations": "labels", "degrees": "mapping",
                                        "negation_window": "count", **_TOK}),
    "cxpath.text.aspect_sentiment": E({"docs": "labels", "aspects": "labels", "window": "count",
                                       "lexicon": "mapping", "negations": "labels",
                                       "degrees": "mapping", "negation_window": "count",
                                       **_TOK}),
    "cxpath.text.train_sentiment": E({"docs": "labels", "labels": "labels", "C": "real",
                                      "calibration": "option", "cv": "count", "min_df": "count",
                                      "ngrams": "count", "sublinear_tf": "bool", **_TOK}),
    "cxpath.text.TextModel.transform": E({"docs": "labels"},
                                         example=_MODEL + ">>> m.transform(['good'])"),
    "cxpath.text.TextModel.predict_proba": E({"docs": "labels"},
                                             example=_MODEL + ">>> m.predict_proba(['good'])"),
    "cxpath.text.TextModel.predict": E({"docs": "labels"},
                                       example=_MODEL + ">>> m.predict(['good'])"),
    "cxpath.text.time_folds": E({"timestamps": "array", "n_folds": "count"}),
    "cxpath.text.classify_reasons": E({"docs": "labels", "reasons": "labels",
                                       "timestamps": "array", "n_folds": "count",
                                       "estimator": "any", "min_df": "count", "ngrams": "count",
                                       "sublinear_tf": "bool", "seed": "seed", **_TOK}),
    "cxpath.text.ReasonClassification.misrouted": E(
        {"min_confidence": "probability", "top": "count"},
        example=_REASONS + ">>> r.misrouted(0.5)"),
}

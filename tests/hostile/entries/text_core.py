"""Hostile-suite entries for cxpath.text: tokens, terms, keywords, distinctive terms, themes."""

from __future__ import annotations

from ..registry import E

_TOK = {"tokenize": "mapping"}
_THEME = {"method": "option", "top": "count", "seed": "seed", "max_iter": "count",
          "n_init": "count", "measure": "option", **_TOK}
_FIT = (">>> from cxpath.text import themes\n"
        ">>> t = themes(['refund invoice'] * 3 + ['engineer visit'] * 3, 2)\n")

REGISTRY: dict[str, E] = {
    "cxpath.text.tokenize": E({"texts": "labels", "language": "option", "user_words": "labels",
                               "synonyms": "mapping", "stop_words": "labels",
                               "extra_stop_words": "labels", "traditional": "mapping",
                               "order_ids": "text", "numbers": "bool", "keep_masked": "bool",
                               "lowercase": "bool", "fold_plurals": "bool",
                               "min_length": "count", "progress": "bool"}),
    "cxpath.text.document_terms": E({"docs": "labels", "min_df": "count", "max_df": "probability",
                                     "max_terms": "count", **_TOK}),
    "cxpath.text.tfidf": E({"docs": "labels", "norm": "option", "smooth_idf": "bool",
                            "sublinear_tf": "bool", **_TOK}),
    "cxpath.text.keywords": E({"docs": "labels", "by": "labels", "method": "option",
                               "top": "count", "window": "count", "damping": "probability",
                               **_TOK}),
    "cxpath.text.Keywords.top": E({"segment": "any"}),
    "cxpath.text.distinctive_terms": E({"docs": "labels", "by": "labels", "target": "any",
                                        "prior_size": "real", "top": "count",
                                        "min_count": "count", **_TOK}),
    "cxpath.text.coherence": E({"docs": "labels", "terms": "labels", "measure": "option",
                                **_TOK}),
    "cxpath.text.themes": E({"docs": "labels", "n_themes": "count", "progress": "bool",
                             **_THEME}),
    "cxpath.text.choose_themes": E({"docs": "labels", "ks": "labels",
                                    "min_explained": "probability", **_THEME}),
    "cxpath.text.Themes.representative": E({"n": "count"},
                                           example=_FIT + ">>> t.representative(1)"),
    "cxpath.text.Themes.shares": E({"by": "labels"},
                                   example=_FIT + ">>> t.shares(['a'] * 3 + ['b'] * 3)"),
}

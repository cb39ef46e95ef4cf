"""Result instances of cxpath.text (tokens, terms, keywords, distinctive terms, themes)."""

from __future__ import annotations


def build(sample, tmp) -> dict:
    from cxpath.text import (
        choose_themes,
        distinctive_terms,
        document_terms,
        keywords,
        tfidf,
        themes,
    )

    docs = ["engineer late again", "engineer visit late", "refund invoice wrong",
            "refund still missing", "app login crash", "app crash after update"]
    by = ["field", "field", "billing", "billing", "app", "app"]
    t = themes(docs, 3, top=3)
    return {
        "text.DocumentTerms": document_terms(docs),
        "text.TfIdf": tfidf(docs),
        "text.Keywords": keywords(docs, by=by, top=2),
        "text.Keywords (tfidf)": keywords(docs, method="tfidf", top=2),
        "text.DistinctiveTerms": distinctive_terms(docs, by, top=2),
        "text.Themes": t,
        "text.ThemeDocuments": t.representative(1),
        "text.ThemeShares": t.shares(by),
        "text.ThemeChoice": choose_themes(docs, [2, 3], top=3),
    }

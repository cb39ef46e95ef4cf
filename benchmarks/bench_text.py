"""Text pipeline against scikit-learn on the same tokens (short generated service documents).

Stages per corpus size: tokenising English and Chinese documents (jieba), TF-IDF against
``TfidfVectorizer`` given the same token lists, and 20 NMF themes against ``TfidfVectorizer``
+ ``NMF`` (same initialisation, 200 iterations). Documents per second from one timed run
per stage (the large sizes take minutes); peak memory of the end-to-end run (tokenise, TF-IDF,
NMF) measured in a forked child. ``python benchmarks/run.py text`` runs 10k and 100k documents;
``python benchmarks/bench_text.py 1000000`` adds a size.
"""

from __future__ import annotations

import sys
import time

import numpy as np
from _harness import peak_memory_mb, row

_ZH = ["退款", "发票", "工程师", "上门", "维修", "备件", "快递", "物流", "登录", "密码",
       "客服", "态度", "排队", "转接", "账单", "扣费", "包裹", "签收", "更新", "闪退",
       "质量", "安装", "预约", "投诉"]


def _corpora(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """``n`` English-like documents of 5-15 Zipf-distributed words, ``n`` Chinese ones."""
    rng = np.random.default_rng(seed)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    vocab = sorted({"".join(rng.choice(letters, rng.integers(3, 9))) for _ in range(2500)})[:2000]
    p = 1.0 / np.arange(1, len(vocab) + 1)
    lengths = rng.integers(5, 16, n)
    words = rng.choice(len(vocab), lengths.sum(), p=p / p.sum())
    ends = np.cumsum(lengths)
    en = [" ".join(vocab[i] for i in words[e - m:e]) for e, m in zip(ends, lengths)]
    picks = rng.integers(0, len(_ZH), (n, 9))
    zh = ["，".join("".join(_ZH[j] for j in r[3 * s:3 * s + 3]) for s in range(3)) for r in picks]
    return en, zh


def _once(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _identity(doc):
    return doc


def run(quick: bool = False, sizes: tuple[int, ...] | None = None) -> list[dict]:
    from cxpath.text import document_terms, tfidf, themes, tokenize

    try:
        from sklearn.decomposition import NMF
        from sklearn.feature_extraction.text import TfidfVectorizer
    except ImportError:
        return [row("text", note="scikit-learn not installed (the 'text' extra)")]
    sizes = sizes or ((2_000,) if quick else (10_000, 100_000))
    import warnings

    warnings.filterwarnings("ignore", message="Maximum number of iterations")  # sklearn NMF
    tokenize(["warm 工单"])  # jieba's dictionary loads once per process (1-2 s)
    rows = []
    for n in sizes:
        en, zh = _corpora(n)
        tokens = tokenize(en)
        t_en = _once(lambda en=en: tokenize(en))
        t_zh = _once(lambda zh=zh: tokenize(zh))
        rows.append(row(f"tokenize en {n:,} docs", cxpath_s=t_en,
                        throughput=f"{n / t_en:,.0f} docs/s"))
        rows.append(row(f"tokenize zh {n:,} docs (jieba)", cxpath_s=t_zh,
                        throughput=f"{n / t_zh:,.0f} docs/s"))
        t_tf = _once(lambda tokens=tokens: tfidf(tokens))
        p_tf = _once(lambda tokens=tokens: TfidfVectorizer(analyzer=_identity)
                     .fit_transform(tokens))
        rows.append(row(f"tfidf {n:,} docs", cxpath_s=t_tf, peer="sklearn TfidfVectorizer",
                        peer_s=p_tf, throughput=f"{n / t_tf:,.0f} docs/s"))
        dt = document_terms(tokens)

        def sk_nmf(tokens=tokens):
            x = TfidfVectorizer(analyzer=_identity).fit_transform(tokens)
            return NMF(20, init="nndsvda", random_state=0, max_iter=200).fit_transform(x)

        t_nmf = _once(lambda dt=dt: themes(dt, 20))
        p_nmf = _once(sk_nmf)
        rows.append(row(f"themes NMF-20 {n:,} docs", cxpath_s=t_nmf,
                        peer="sklearn TfidfVectorizer+NMF", peer_s=p_nmf,
                        throughput=f"{n / t_nmf:,.0f} docs/s",
                        note="cxpath adds top terms, coherence, shares"))

        def end_to_end(en=en):
            return themes(en, 20)

        t_all = _once(end_to_end)
        rows.append(row(f"end to end en {n:,} docs (tokenize+tfidf+NMF-20)", cxpath_s=t_all,
                        throughput=f"{n / t_all:,.0f} docs/s",
                        peak_mb=peak_memory_mb(end_to_end)))
    return rows


if __name__ == "__main__":
    from _harness import format_rows

    chosen = tuple(int(a) for a in sys.argv[1:]) or None
    print(format_rows(run(sizes=chosen)))

"""A Zipf-like mix of facet, count and search requests over the database's real values.

Popular filters are asked far more often than rare ones, as on a public
service: the value of rank r (most claims first) is drawn with weight
1 / r^s. Each request is a facet (`/v1/facets?source=...`), an exact count
(`/v1/claims?...&count=exact&limit=1`) or a search (`/v1/claims?q=<word>`)
with the words of actor and topic names as terms. The sequence is drawn once
from a fixed seed, so every server gets the same requests in the same order.
"""

from __future__ import annotations

import random
from urllib.parse import urlencode

from bench.scenarios import (
    Picks,
    Request,
    Workload,
    canned_count,
    canned_facets,
    canned_page,
    query_of,
)

__all__ = ["MIX_SHARES", "zipf_mix"]

# Of every 10 requests: 4 facets, 3 counts, 3 searches.
MIX_SHARES = {"facets": 0.4, "count": 0.3, "search": 0.3}
_PARAMS = ("source", "actor", "topic")


def _zipf(rng: random.Random, values: int, exponent: float) -> int:
    weights = [1 / (rank + 1) ** exponent for rank in range(values)]
    return rng.choices(range(values), weights=weights)[0]


def zipf_mix(picks: Picks, *, size: int, exponent: float = 1.1, seed: int = 16) -> Workload:
    """`size` requests drawn from the mix."""
    rng = random.Random(seed)
    values = {"source": picks.sources, "actor": picks.actors, "topic": picks.topics}
    workload = Workload(
        "mix",
        f"Zipf mix (s={exponent}): 40% facets, 30% exact counts, 30% searches",
    )
    kinds = list(MIX_SHARES)
    for _ in range(size):
        kind = rng.choices(kinds, weights=[MIX_SHARES[k] for k in kinds])[0]
        if kind == "search":
            word = picks.words[_zipf(rng, len(picks.words), exponent)]
            sql, params = canned_page(query_of({}, word), None)
            workload.canned.setdefault("search", sql)
            workload.requests.append(
                Request(
                    service="/v1/claims?" + urlencode({"q": word, "limit": 50}),
                    canned="search",
                    params=params,
                    ceiling="/v1/claims?" + urlencode({"q": word, "limit": 50}),
                )
            )
            continue
        param = rng.choice(_PARAMS)
        slug, id_ = values[param][_zipf(rng, len(values[param]), exponent)]
        query = query_of({param: [(slug, id_)]})
        if kind == "facets":
            sql, params = canned_facets(query)
            path = "/v1/facets?" + urlencode({param: slug})
            ceiling: str | None = path
        else:
            sql, params = canned_count(query)
            path = "/v1/claims?" + urlencode({param: slug, "count": "exact", "limit": 1})
            ceiling = None
        canned = f"{kind}_{param}"
        workload.canned.setdefault(canned, sql)
        workload.requests.append(
            Request(service=path, canned=canned, params=params, ceiling=ceiling)
        )
    return workload

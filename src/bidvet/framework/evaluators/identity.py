"""Who the bidder is: an identity that could not be settled is a finding, never a silent pick."""

from __future__ import annotations

from bidvet.framework.context import EvalContext
from bidvet.framework.evaluators.registry import Params, evaluator
from bidvet.framework.findings import Evidence, Hit


class IdentityParams(Params):
    #: also report weaker name matches of an unresolved bidder (``possible``) for a person to check
    include_possible: bool = True


@evaluator("identity_unresolved", IdentityParams)
def identity_unresolved(ctx: EvalContext, params: IdentityParams) -> list[Hit]:
    """The bidder could not be tied to one record of the knowledge store.

    The resolver (:mod:`bidvet.resolution`) takes a record only on unambiguous evidence: the
    tender's ``entity_id``, an identifier, or one name match clearly ahead of every other. When
    two or more records score within the ambiguity margin of the best, none is picked: this
    finding names every candidate with its score and the lists it is on, so a person can decide
    (record the ``entity_id`` in the tender). An unresolved bidder with near names is reported
    the same way. Until a person decides, the bidder is assessed as unidentified.
    """
    res = ctx.resolution
    candidates = res.candidates if res.status == "ambiguous" else ()
    if not candidates and res.status == "unresolved" and params.include_possible:
        candidates = res.possible
    if not candidates:
        return []
    evidence = []
    for cand in candidates:
        listed = ctx.listings(cand.entity_id)
        lists = (
            "on " + ", ".join(sorted({lst.list_name for lst in listed})) if listed else "on no list"
        )
        evidence.append(
            Evidence(
                "screening",
                f"candidate {cand.name} ({cand.entity_id}), score {cand.score:.2f}, {lists}",
                ctx.data_source,
                None,
                (cand.entity_id,),
            )
        )
    if res.status == "ambiguous":
        what = f"{len(candidates)} records match equally well"
    else:  # the resolver says why no record was taken (a score too low, countries apart)
        why = f" ({res.explanation})" if res.explanation else ""
        what = f"no record taken{why}; {len(candidates)} near name(s) to check"
    text = (
        f"{ctx.bidder_name}: identity not settled — {what}. A person must decide which record "
        "is the bidder (give its entity_id in the tender) before the bidder can be cleared"
    )
    return [Hit(text, tuple(evidence))]

"""Missing information and unanswered questions: gaps are findings, never passes."""

from __future__ import annotations

from bidvet.framework.context import EvalContext
from bidvet.framework.evaluators.registry import Params, evaluator
from bidvet.framework.findings import Evidence, Hit


class MissingParams(Params):
    #: entity schemata that need no owners (a state is not owned by anyone)
    ownerless_schemata: tuple[str, ...] = ("State", "PublicBody", "Person")


@evaluator("missing_information", MissingParams)
def missing_information(ctx: EvalContext, params: MissingParams) -> list[Hit]:
    """What bidvet could not establish about the bidder.

    A bidder that cannot be matched to any entity in the knowledge store cannot be screened,
    so the assessment says so instead of passing it. A matched bidder with no ownership record
    in force on the as-of date has unknown owners: that is a finding to resolve (ask for the
    beneficial-ownership declaration), not evidence of independence.
    """
    if ctx.entity is None:
        text = (
            f"{ctx.bidder_name} was not found in the knowledge store "
            f"({ctx.resolution.explanation or 'no identifier or name match'})"
        )
        return [Hit(text, (Evidence("missing", text, ctx.data_source),))]
    if ctx.entity.schema in params.ownerless_schemata:
        return []
    if ctx.has_owners(ctx.entity.id):
        return []
    text = f"no ownership or control record for {ctx.entity.caption} on {ctx.as_of.isoformat()}"
    return [Hit(text, (Evidence("missing", text, ctx.data_source, None, (ctx.entity.id,)),))]


@evaluator("unanswered_questions")
def unanswered_questions(ctx: EvalContext, params: Params) -> list[Hit]:
    """Required questionnaire questions the bidder has not answered.

    The questions come from the technology profile of the tender's items (what the equipment
    stores, sends, and who maintains it). A required question without an answer in the tender
    file leaves the data risk unassessed.
    """
    missing = [q for q in ctx.questions if q.required and not q.answer]
    if not missing:
        return []
    evidence = tuple(
        Evidence("answer", f"{q.id} ({q.topic}) unanswered: {q.text}", ctx.tender_source)
        for q in missing
    )
    return [Hit(f"{len(missing)} required question(s) unanswered by {ctx.bidder_name}", evidence)]


@evaluator("stated_controls")
def stated_controls(ctx: EvalContext, params: Params) -> list[Hit]:
    """Controls the bidder states in its questionnaire answers that lower the data risk.

    When answers such as "no data leaves the device", "USB ports disabled and sealed" or
    "drives destroyed on site" lower an item's data-risk tier, the lower tier holds only if the
    bidder is bound to those statements: each becomes a contract condition to verify at
    acceptance. Reported whenever the answers lowered a risk.
    """
    evidence = []
    for change in ctx.answer_effects:
        for effect in change.get("lowered", []):
            evidence.append(
                Evidence(
                    "answer",
                    f"item {change.get('item')}: {effect.get('question')}: "
                    f'{effect.get("explanation")} ("{effect.get("evidence")}")',
                    ctx.tender_source,
                )
            )
    if not evidence:
        return []
    return [
        Hit(
            f"{ctx.bidder_name}'s answers state {len(evidence)} control(s) that lower the data "
            "risk; they must become contract conditions",
            tuple(evidence),
        )
    ]

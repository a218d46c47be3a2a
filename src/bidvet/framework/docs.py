"""Documentation of a framework, generated from its YAML and its evaluators' docstrings.

One generator for both readers: ``bidvet framework show`` prints :func:`describe` (``--json``)
or :func:`describe_markdown`, and ``python -m bidvet.docs_build`` writes :func:`pages` under
``docs/criteria``. Every criterion's text comes from :func:`criterion_page`, so the two cannot
drift apart. A test checks that every criterion has both a YAML entry and an evaluator
docstring, so the documentation cannot silently go missing.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

from pydantic import BaseModel

from bidvet.framework.evaluators.registry import evaluators
from bidvet.framework.loader import LoadedFramework
from bidvet.framework.models import SEVERITY_ORDER, Criterion, Rule
from bidvet.mdtext import cell, code, is_simple, table, yaml_block

#: the file name of the page listing every criterion
INDEX = "README.md"


def describe(lf: LoadedFramework) -> dict[str, Any]:
    """Every criterion with its question, evaluator explanation, parameters and outcome role."""
    fw = lf.framework
    specs = evaluators()
    refs = {r.id: r for r in fw.references}
    criteria = []
    for crit in fw.criteria:
        spec = specs[crit.evaluator]
        criteria.append(
            {
                "id": crit.id,
                "title": crit.title,
                "question": crit.question,
                "category": crit.category,
                "severity": crit.severity,
                "forces": crit.forces,
                "evaluator": crit.evaluator,
                "explanation": spec.doc,
                "documentation": crit.documentation,
                "params": lf.params[crit.id].model_dump(mode="json"),
                "mitigations": [{"id": m, "text": fw.mitigation(m).text} for m in crit.mitigations],
                "references": [
                    {"id": r, "title": refs[r].title, "url": refs[r].url} for r in crit.references
                ],
            }
        )
    return {
        **lf.to_json(),
        "description": fw.description,
        "criteria": criteria,
        "outcome": {
            "default": fw.outcome.default,
            "rules": [
                {
                    "id": r.id,
                    "text": r.text,
                    "outcome": r.outcome,
                    "when": r.when.model_dump(mode="json", exclude_defaults=True),
                }
                for r in fw.outcome.rules
            ],
        },
    }


_COMMENT = re.compile(r"^\s*#:\s?(.*)$")
_FIELD = re.compile(r"^\s*([A-Za-z_]\w*)\s*:")


def field_comments(model: type[BaseModel]) -> dict[str, str]:
    """The ``#:`` comments above the fields of a parameter model (and its bases), by field."""
    out: dict[str, str] = {}
    for cls in reversed(model.__mro__):
        if not cls.__module__.startswith("bidvet."):
            continue
        try:
            lines = inspect.getsource(cls).splitlines()
        except (OSError, TypeError):
            continue
        pending: list[str] = []
        for line in lines:
            comment = _COMMENT.match(line)
            if comment:
                pending.append(comment.group(1).strip())
                continue
            fld = _FIELD.match(line)
            if fld and pending:
                out[fld.group(1)] = " ".join(pending)
            pending = []
    return out


def conditions(rule: Rule) -> str:
    """An outcome rule's ``when`` in words."""
    when = rule.when
    parts = []
    if when.forces_any:
        parts.append("a finding that can force " + " or ".join(when.forces_any))
    if when.criteria_all:
        parts.append("findings on all of " + ", ".join(f"`{c}`" for c in when.criteria_all))
    if when.criteria_any:
        parts.append("a finding on any of " + ", ".join(f"`{c}`" for c in when.criteria_any))
    if when.severity_at_least:
        parts.append(f"a finding of severity {when.severity_at_least} or above")
    tiers = ", ".join(when.tiers) if when.tiers else "any"
    return " and ".join(parts) + f"; tier: {tiers}"


def graded(params: dict[str, Any]) -> dict[str, str] | None:
    """The per-tier severities of an evaluator that grades its findings itself (a ``severity``
    parameter mapping tiers to severities, as ``data_risk_tier`` has), else ``None``."""
    grades = params.get("severity")
    if isinstance(grades, dict) and grades and set(grades.values()) <= set(SEVERITY_ORDER):
        return {str(k): str(v) for k, v in grades.items()}
    return None


def _at_least(severity: str, floor: str) -> bool:
    return SEVERITY_ORDER.index(severity) <= SEVERITY_ORDER.index(floor)


def rule_reason(rule: Rule, crit: Criterion, params: dict[str, Any]) -> str | None:
    """Why ``rule`` can apply to a finding on ``crit``, or ``None`` when it cannot."""
    when = rule.when
    if crit.id in when.criteria_all:
        others = [c for c in when.criteria_all if c != crit.id]
        together = ", ".join(f"`{c}`" for c in others)
        return "names it" + (f", together with {together}" if together else "")
    if crit.id in when.criteria_any:
        return "names it"
    if crit.forces is not None and crit.forces in when.forces_any:
        return f"it can force {crit.forces}"
    floor = when.severity_at_least
    if floor is None:
        return None
    grades = graded(params)
    if grades is not None:
        tiers = [tier for tier, sev in grades.items() if _at_least(sev, floor)]
        if not tiers:
            return None
        return f"its finding is graded {floor} or above at tier {', '.join(tiers)}"
    if _at_least(crit.severity, floor):
        return f"its severity ({crit.severity}) is {floor} or above"
    return None


def _parameters(lf: LoadedFramework, crit: Criterion, params: dict[str, Any]) -> list[str]:
    if not params:
        return ["None: the evaluator takes no parameters."]
    meaning = field_comments(evaluators()[crit.evaluator].params)
    rows, blocks = [], []
    for key, value in params.items():
        shown = code(value) if is_simple(value) else "see below"
        origin = f"`{lf.path.name}`" if key in crit.params else "default"
        rows.append([f"`{key}`", shown, origin, cell(meaning.get(key, ""))])
        if not is_simple(value):
            blocks += ["", f"`{key}`:", "", *yaml_block(value)]
    return [*table(["parameter", "value", "set in", "meaning"], rows), *blocks]


def _severity(crit: Criterion, params: dict[str, Any]) -> str:
    grades = graded(params)
    if grades is None:
        return f"**{crit.severity}**"
    by_tier = ", ".join(f"{tier}: {sev}" for tier, sev in grades.items())
    return (
        f"**{crit.severity}** in the framework; the evaluator grades each finding by the "
        f"purchase's tier instead (parameter `severity`: {by_tier})"
    )


def criterion_page(
    lf: LoadedFramework, crit_doc: dict[str, Any], *, level: int = 1, index: str | None = INDEX
) -> str:
    """The Markdown page of one criterion (``crit_doc`` is its entry in ``describe(lf)``): its
    title at heading ``level``, a link to ``index`` (the page listing every criterion) when
    given, the question, how it is decided, parameters, mitigations, references and the outcome
    rules that use it."""
    fw = lf.framework
    crit = fw.criterion(crit_doc["id"])
    spec = evaluators()[crit.evaluator]
    module = spec.func.__module__
    forces = crit_doc["forces"]
    h1, h2 = "#" * level, "#" * (level + 1)
    link = f" · [all criteria]({index})" if index else ""
    out = [
        f"{h1} `{crit.id}` — {crit.title}",
        "",
        f"Criterion of framework `{fw.id}` version {fw.version}{link}",
        "",
        f"**Question.** {crit.question}",
        "",
        *table(
            ["", ""],
            [
                ["Category", f"`{crit.category}`"],
                ["Severity", _severity(crit, crit_doc["params"])],
                [
                    "Can force",
                    f"**{forces}**: the rules below with `forces_any: [{forces}]` say what that "
                    "gives at each tier"
                    if forces
                    else "nothing",
                ],
                ["Evaluator", f"`{crit.evaluator}` (`{module}.{spec.func.__name__}`)"],
            ],
        ),
        "",
        f"{h2} How it is decided",
        "",
        crit_doc["explanation"] or "(the evaluator has no docstring)",
        "",
    ]
    if crit_doc["documentation"]:
        out += [crit_doc["documentation"].strip(), ""]
    out += [f"{h2} Parameters", "", *_parameters(lf, crit, crit_doc["params"]), ""]
    out += [f"{h2} Mitigations it suggests", ""]
    out += [f"- `{m['id']}`: {m['text']}" for m in crit_doc["mitigations"]] or ["None."]
    out += ["", f"{h2} References", ""]
    notes = {r.id: r.note for r in fw.references}
    for ref in crit_doc["references"]:
        title = f"[{ref['title']}]({ref['url']})" if ref["url"] else ref["title"]
        note = f" Note: {notes[ref['id']]}." if notes.get(ref["id"]) else ""
        out.append(f"- `{ref['id']}`: {title}.{note}")
    if not crit_doc["references"]:
        out.append("None.")
    out += ["", f"{h2} Outcome rules that use it", ""]
    rows = []
    for rule in fw.outcome.rules:
        reason = rule_reason(rule, crit, crit_doc["params"])
        if reason is not None:
            rows.append(
                [f"`{rule.id}`", f"**{rule.outcome}**", conditions(rule), reason, cell(rule.text)]
            )
    if rows:
        out += table(["rule", "outcome", "when", "applies because", "rule text"], rows)
    else:
        out.append(
            f"None: a finding on it alone leaves the default outcome ({fw.outcome.default})."
        )
    out += [
        "",
        "The strictest outcome any rule gives wins (exclude > restrict > mitigate > accept); "
        f"with no rule, the outcome is **{fw.outcome.default}**.",
    ]
    return "\n".join(out) + "\n"


def _criteria_table(lf: LoadedFramework, link: str | None) -> list[str]:
    """Every criterion in a table; ``link`` (``{id}``: the criterion) makes the ids links."""
    rows = [
        [
            f"[`{c.id}`]({link.format(id=c.id)})" if link else f"`{c.id}`",
            cell(c.title),
            f"`{c.category}`",
            c.severity,
            c.forces or "",
            f"`{c.evaluator}`",
        ]
        for c in lf.framework.criteria
    ]
    return table(["criterion", "title", "category", "severity", "can force", "evaluator"], rows)


def _outcome_rules(lf: LoadedFramework, level: int) -> list[str]:
    """The outcome rules under a heading at ``level``."""
    fw = lf.framework
    out = [
        f"{'#' * level} Outcome rules",
        "",
        "Every rule whose conditions hold gives an outcome; the strictest wins "
        f"(exclude > restrict > mitigate > accept). Default: **{fw.outcome.default}**.",
        "",
    ]
    rows = [
        [f"`{r.id}`", f"**{r.outcome}**", conditions(r), cell(r.text)] for r in fw.outcome.rules
    ]
    return out + table(["rule", "outcome", "when", "text"], rows)


def index_page(lf: LoadedFramework) -> str:
    """The index of the criterion pages: every criterion in a table, then the outcome rules."""
    fw = lf.framework
    out = [f"# Criteria of `{fw.id}` (version {fw.version})", "", fw.title + ".", ""]
    if fw.description:
        out += [fw.description.strip(), ""]
    out += [
        "One page per criterion: the question, how the evaluator decides it, its parameters, the "
        "mitigations it suggests, where it comes from and the outcome rules that use it. "
        "`bidvet framework show` prints the same from the installed package.",
        "",
        *_criteria_table(lf, "{id}.md"),
        "",
        *_outcome_rules(lf, 2),
    ]
    return "\n".join(out) + "\n"


def pages(lf: LoadedFramework) -> dict[str, str]:
    """The index (``README.md``) and one page per criterion (``<id>.md``), by file name."""
    out = {INDEX: index_page(lf)}
    for crit_doc in describe(lf)["criteria"]:
        out[f"{crit_doc['id']}.md"] = criterion_page(lf, crit_doc)
    return out


def describe_markdown(lf: LoadedFramework) -> str:
    """The framework as one Markdown document: the criteria table, the outcome rules, then each
    criterion as on its documentation page."""
    doc = describe(lf)
    out = [
        f"# {doc['title']}",
        "",
        f"Framework `{doc['id']}` version {doc['version']} (sha256 `{doc['sha256'][:16]}…`)",
        "",
    ]
    if doc["description"]:
        out += [doc["description"].strip(), ""]
    out += ["## Criteria", "", *_criteria_table(lf, None), "", *_outcome_rules(lf, 2)]
    text = "\n".join(out) + "\n"
    for crit_doc in doc["criteria"]:
        text += "\n" + criterion_page(lf, crit_doc, level=2, index=None)
    return text

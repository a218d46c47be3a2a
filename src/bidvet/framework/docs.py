"""Documentation of a framework, generated from its YAML and its evaluators' docstrings.

``bidvet framework show`` prints this; a test checks that every criterion has both a YAML entry
and an evaluator docstring, so the documentation cannot silently go missing.
"""

from __future__ import annotations

from typing import Any

from bidvet.framework.evaluators.registry import evaluators
from bidvet.framework.loader import LoadedFramework


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


def _when(when: dict[str, Any]) -> str:
    parts = []
    for key, value in when.items():
        shown = ", ".join(value) if isinstance(value, list) else str(value)
        parts.append(f"{key.replace('_', ' ')}: {shown}")
    return "; ".join(parts)


def describe_markdown(lf: LoadedFramework) -> str:
    """The framework as a Markdown page: one section per criterion, then the outcome rule."""
    doc = describe(lf)
    out = [
        f"# {doc['title']}",
        "",
        f"Framework `{doc['id']}` version {doc['version']} (sha256 `{doc['sha256'][:16]}…`)",
        "",
    ]
    if doc["description"]:
        out += [doc["description"], ""]
    out += ["## Criteria", ""]
    for c in doc["criteria"]:
        out += [
            f"### `{c['id']}` — {c['title']}",
            "",
            f"**Question.** {c['question']}",
            "",
            f"**How it is decided** (evaluator `{c['evaluator']}`). {c['explanation']}",
            "",
        ]
        if c["documentation"]:
            out += [c["documentation"], ""]
        forces = f", can force **{c['forces']}**" if c["forces"] else ""
        out += [f"Category `{c['category']}`, severity **{c['severity']}**{forces}.", ""]
        if c["params"]:
            out.append("Parameters:")
            out += [f"- `{k}`: `{v}`" for k, v in c["params"].items()]
            out.append("")
        if c["mitigations"]:
            out.append("Mitigations it suggests:")
            out += [f"- {m['text']}" for m in c["mitigations"]]
            out.append("")
        if c["references"]:
            out.append("Derived from: " + "; ".join(r["title"] for r in c["references"]))
            out.append("")
    out += [
        "## Outcome rule",
        "",
        "Every rule whose conditions hold gives an outcome; the strictest wins "
        f"(exclude > restrict > mitigate > accept). Default: **{doc['outcome']['default']}**.",
        "",
    ]
    for r in doc["outcome"]["rules"]:
        out.append(f"- `{r['id']}` → **{r['outcome']}** when {_when(r['when'])}: {r['text']}")
    return "\n".join(out) + "\n"

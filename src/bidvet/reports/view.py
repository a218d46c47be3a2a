"""Turn an assessment report dict into the plain, fully populated values the templates print.

The templates stay simple because this module does the thinking: it checks the schema, fills
absent optional fields with explicit empties (the templates run with ``StrictUndefined``, so a
typo in a template fails loudly instead of printing nothing), resolves entity ids in evidence
paths to names, keeps only ``http``/``https``/``mailto`` links clickable (anything else is printed
as text), and collects every cited source once for the sources appendix. Nothing here reorders
findings or changes outcomes: the report is rendered as the assessment wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from bidvet.errors import InputError
from bidvet.reports.svg import listed_owner_ids, share_text, state_linked_ids

SCHEMA = "bidvet-assessment/1"
OUTCOMES = ("exclude", "restrict", "mitigate", "accept")
SEVERITIES = ("critical", "high", "medium", "low", "info")
OUTCOME_MEANING: Mapping[str, str] = MappingProxyType(
    {
        "exclude": "Do not award.",
        "restrict": "Award only within the restrictions listed for the bidder (scope, sites, "
        "access, maintenance, data).",
        "mitigate": "Award possible once the listed mitigations are in place.",
        "accept": "No supplier risk found that needs action.",
    }
)
SAFE_SCHEMES = ("http", "https", "mailto")


def safe_url(url: Any) -> str | None:
    """``url`` if it is a web or mail link; None for anything else (e.g. ``javascript:``)."""
    if not isinstance(url, str) or not url.strip():
        return None
    scheme = urlsplit(url.strip()).scheme.lower()
    return url.strip() if scheme in SAFE_SCHEMES else None


def money(value: Any) -> str:
    """``{"amount": 412000, "currency": "CAD"}`` → ``"412,000 CAD"``; empty string for none."""
    if not isinstance(value, Mapping) or value.get("amount") is None:
        return ""
    amount = value["amount"]
    if isinstance(amount, int | float) and not isinstance(amount, bool):
        text = f"{amount:,.2f}".removesuffix(".00")
    else:
        text = str(amount)
    currency = value.get("currency")
    return f"{text} {currency}" if currency else text


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def check_report(report: Any) -> Mapping[str, Any]:
    """Refuse anything that is not a ``bidvet-assessment/1`` report with a bidders list."""
    if not isinstance(report, Mapping):
        raise InputError(
            None, "report is not a JSON object", record="$", fix="pass the assessment report dict"
        )
    schema = report.get("schema")
    if schema != SCHEMA:
        raise InputError(
            None,
            f"report schema {schema!r} is not supported",
            record="schema",
            fix=f"render a report whose schema is {SCHEMA!r} (re-run `bidvet assess`)",
        )
    if not isinstance(report.get("bidders"), list):
        raise InputError(
            None,
            "report has no bidders list",
            record="bidders",
            fix="the assessment must write `bidders: [...]`, even when empty",
        )
    return report


def source_view(source: Any) -> dict[str, str | None]:
    """A citation as the templates print it: title, clickable url (or None), raw url, date."""
    src = _map(source)
    raw = _text(src.get("url"))
    return {
        "title": _text(src.get("title")) or raw or "(untitled source)",
        "url": safe_url(raw),
        "raw_url": raw,
        "published": _text(src.get("published")),
    }


def entity_names(bidder: Mapping[str, Any]) -> dict[str, str]:
    """Entity id → name for everything the bidder's ownership block names."""
    names: dict[str, str] = {}
    for owner in _list(_map(bidder.get("ownership")).get("owners")):
        if isinstance(owner, Mapping) and owner.get("id") and owner.get("name"):
            names[str(owner["id"])] = str(owner["name"])
    if bidder.get("entity_id"):
        names[str(bidder["entity_id"])] = _text(bidder.get("name"))
    return names


def path_text(path: Any, names: Mapping[str, str]) -> str:
    """An evidence path of entity ids as "Owner → Intermediate → Bidder" (ids kept if unknown)."""
    return " → ".join(names.get(str(eid), str(eid)) for eid in _list(path))


def _country(code: Any) -> str:
    """``gb`` → ``United Kingdom``; anything else as given."""
    text = _text(code)
    if len(text) == 2 and text.isalpha():
        from bidvet.model.countries import country_name

        return country_name(text)
    return text


def _decision_view(data: Mapping[str, Any]) -> dict[str, Any]:
    """The decision page of one bidder (empty when the report predates it)."""
    decided = []
    for item in _list(data.get("decided_by")):
        d = _map(item)
        decided.append(
            {
                "title": _text(d.get("title")),
                "summary": _text(d.get("summary")),
                "date": _text(d.get("date")),
                "source": source_view(d.get("source")),
            }
        )
    more = data.get("more_findings")
    return {
        "action": _text(data.get("action")),
        "decided_by": decided,
        "more": int(more) if isinstance(more, int) else 0,
        "would_change": [_text(w) for w in _list(data.get("would_change"))],
    }


def _leads_to(value: Any) -> str:
    """``restrict (rule restricted-list-high)``: the outcome a finding led to, or empty."""
    led = _map(value) if isinstance(value, Mapping) else {}
    outcome, rule = _text(led.get("outcome")), _text(led.get("rule"))
    if not outcome:
        return ""
    return f"{outcome} (rule {rule})" if rule else outcome


def _finding(finding: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    evidence = []
    for item in _list(finding.get("evidence")):
        ev = _map(item)
        evidence.append(
            {
                "kind": _text(ev.get("kind")),
                "text": _text(ev.get("text")),
                "date": _text(ev.get("date")),
                "path": path_text(ev.get("path"), names),
                "source": source_view(ev.get("source")),
            }
        )
    severity = _text(finding.get("severity")).lower()
    return {
        "criterion": _text(finding.get("criterion")),
        "title": _text(finding.get("title")) or _text(finding.get("criterion")),
        "category": _text(finding.get("category")),
        "severity": severity if severity in SEVERITIES else "info",
        "forces": _text(finding.get("forces")),
        "leads_to": _leads_to(finding.get("leads_to")),
        "summary": _text(finding.get("summary")),
        "evidence": evidence,
    }


def _owners(ownership: Mapping[str, Any], names: Mapping[str, str]) -> list[dict[str, Any]]:
    listed = listed_owner_ids(ownership)
    state = state_linked_ids(ownership)
    rows = []
    for owner in _list(ownership.get("owners")):
        if not isinstance(owner, Mapping) or not owner.get("id"):
            continue
        oid = str(owner["id"])
        rows.append(
            {
                "id": oid,
                "name": _text(owner.get("name")) or oid,
                "share": share_text(
                    owner.get("effective_share"), owner.get("min_share"), owner.get("max_share")
                )
                or "unknown",
                "path": path_text(owner.get("path"), names),
                "flags": _flags(oid, listed, state),
            }
        )
    return rows


def _flags(oid: str, listed: set[str], state: set[str]) -> list[str]:
    return [flag for flag, on in (("listed", oid in listed), ("state-linked", oid in state)) if on]


def _listed_text(status: Mapping[str, Any]) -> str:
    """ "yes, directly" / "yes, through owners" / "no" for one regime's status block."""
    if status.get("listed") is not True:
        return "no"
    if status.get("direct") is True:
        return "yes, directly"
    if status.get("by_control") is True:
        return "yes, through control"
    return "yes, through owners"


def _status(ownership: Mapping[str, Any], names: Mapping[str, str]) -> list[dict[str, Any]]:
    rows = []
    for regime, block in sorted(_map(ownership.get("status")).items()):
        status = _map(block)
        share = status.get("aggregate_listed_share")
        rows.append(
            {
                "regime": str(regime),
                "listed": _listed_text(status),
                "share": share_text(share) if share is not None else "",
                "via": ", ".join(names.get(str(v), str(v)) for v in _list(status.get("via"))),
                "in_force": status.get("rule_in_force") is not False,
                "rule": _text(status.get("rule")),
            }
        )
    return rows


def _bidder(index: int, bidder: Mapping[str, Any], with_svg: bool) -> dict[str, Any]:
    names = entity_names(bidder)
    findings = [_finding(_map(f), names) for f in _list(bidder.get("findings"))]
    ownership = _map(bidder.get("ownership"))
    outcome = _text(bidder.get("outcome")).lower()
    listing_heads = {
        str(ev_path[0])
        for f in _list(bidder.get("findings"))
        for ev in _list(_map(f).get("evidence"))
        if _map(ev).get("kind") == "listing"
        for ev_path in [_list(_map(ev).get("path"))]
        if ev_path
    }
    svg = None
    if with_svg and ownership:
        from bidvet.reports.svg import ownership_svg

        svg = ownership_svg(
            ownership,
            subject_id=_text(bidder.get("entity_id")) or None,
            subject_name=_text(bidder.get("name")),
            listed_ids=listing_heads,
        )
    resolution = _map(bidder.get("resolution"))
    score = resolution.get("score")
    return {
        "anchor": f"bidder-{index}",
        "number": index,
        "id": _text(bidder.get("id")),
        "name": _text(bidder.get("name")) or f"Bidder {index}",
        "country": _country(bidder.get("country")),
        "price": money(bidder.get("price")),
        "entity_id": _text(bidder.get("entity_id")),
        "resolution": {
            "method": _text(resolution.get("method")) or "none",
            "score": f"{score:.2f}" if isinstance(score, int | float) else "",
            "matched_name": _text(resolution.get("matched_name")),
            "explanation": _text(resolution.get("explanation")),
        },
        "outcome": outcome if outcome in OUTCOMES else outcome or "unknown",
        "outcome_meaning": OUTCOME_MEANING.get(outcome, ""),
        "rationale": [_text(r) for r in _list(bidder.get("rationale"))],
        "findings": findings,
        "severity_counts": [
            (sev, n) for sev in SEVERITIES if (n := sum(f["severity"] == sev for f in findings))
        ],
        "mitigations": [
            {
                "id": _text(_map(m).get("id")),
                "text": _text(_map(m).get("text")),
                "because": ", ".join(_text(c) for c in _list(_map(m).get("because"))),
            }
            for m in _list(bidder.get("mitigations"))
        ],
        "fictional": [_text(n) for n in _list(bidder.get("fictional"))],
        "other_names": [
            _text(n)
            for n in _list(bidder.get("entity_names"))
            if _text(n) and _text(n) != _text(bidder.get("name"))
        ],
        "decision": _decision_view(_map(bidder.get("decision"))),
        "known_later": [
            {
                "kind": _text(_map(k).get("kind")),
                "text": _text(_map(k).get("text")),
                "public_from": _text(_map(k).get("public_from")),
                "source": source_view(_map(k).get("source")),
            }
            for k in _list(bidder.get("known_later"))
        ],
        "restrictions": [
            {
                "aspect": _text(_map(r).get("aspect")),
                "text": _text(_map(r).get("text")),
                "because": ", ".join(_text(c) for c in _list(_map(r).get("because"))),
                "items": ", ".join(_text(i) for i in _list(_map(r).get("items"))),
            }
            for r in _list(bidder.get("restrictions"))
        ],
        "questions": [question_view(q) for q in _list(bidder.get("questions"))],
        "answered": [
            q for q in (question_view(x) for x in _list(bidder.get("questions"))) if q["answer"]
        ],
        "unanswered": [
            q["id"]
            for q in (question_view(x) for x in _list(bidder.get("questions")))
            if q["required"] and not q["answer"]
        ],
        "has_ownership": bool(ownership),
        "owners": _owners(ownership, names),
        "status": _status(ownership, names),
        "svg": svg,
        "price_flags": [price_flag_view(p) for p in _list(bidder.get("price_flags"))],
    }


def question_view(question: Any) -> dict[str, Any]:
    """A questionnaire entry with every field present (``answer`` empty when unanswered)."""
    q = _map(question) if isinstance(question, Mapping) else {"text": question}
    return {
        "id": _text(q.get("id")),
        "topic": _text(q.get("topic")),
        "text": _text(q.get("text")),
        "evidence": _text(q.get("evidence")),
        "required": q.get("required") is True,
        "answer": _text(q.get("answer")),
    }


def price_flag_view(flag: Any) -> str:
    """One line for a price red flag, whatever fields the price module chose to give it."""
    if not isinstance(flag, Mapping):
        return _text(flag)
    head = _text(flag.get("indicator") or flag.get("kind") or flag.get("flag"))
    status = _text(flag.get("status"))
    if status and status != "raised":
        head = f"{head} ({status})" if head else status
    body = _text(
        flag.get("summary") or flag.get("message") or flag.get("explanation") or flag.get("text")
    )
    if not body:
        body = "; ".join(f"{k}: {flag[k]}" for k in sorted(flag) if k not in {"indicator"})
    reference = _text(flag.get("reference") or flag.get("citation"))
    line = f"{head}: {body}" if head else body
    return f"{line} ({reference})" if reference else line


def _sources(report: Mapping[str, Any]) -> list[dict[str, str | None]]:
    seen: dict[tuple[str, str], dict[str, str | None]] = {}
    for bidder in _list(report.get("bidders")):
        for finding in _list(_map(bidder).get("findings")):
            for ev in _list(_map(finding).get("evidence")):
                view = source_view(_map(ev).get("source"))
                seen.setdefault((_text(view["title"]), _text(view["raw_url"])), view)
    return [seen[key] for key in sorted(seen, key=lambda k: (k[0].casefold(), k[1]))]


def _label(kind: str, value: Any) -> str:
    """The taxonomy's human label of a feature, channel or control id (the id when unknown)."""
    from bidvet.technology.taxonomy import load_taxonomy

    text = _text(value)
    entry = getattr(load_taxonomy(), kind).get(text)
    return _text(getattr(entry, "label", None)) or text


def _tender(tender: Mapping[str, Any]) -> dict[str, Any]:
    site = _map(tender.get("site"))
    items = []
    for item in _list(tender.get("items")):
        it = _map(item)
        profile = _map(it.get("profile"))
        items.append(
            {
                "id": _text(it.get("id")),
                "description": _text(it.get("description")),
                "codes": ", ".join(_text(c) for c in _list(it.get("codes"))),
                "tier": _text(profile.get("tier")),
                "features": ", ".join(
                    _label("features", _map(f).get("feature"))
                    for f in _list(profile.get("features"))
                ),
                "channels": ", ".join(
                    _label("channels", c) for c in _list(profile.get("channels"))
                ),
                "controls": ", ".join(
                    _label("controls", c) for c in _list(profile.get("controls"))
                ),
            }
        )
    return {
        "id": _text(tender.get("id")),
        "title": _text(tender.get("title")) or "Untitled tender",
        "buyer": _text(tender.get("buyer")),
        "country": _text(tender.get("country")),
        "site": _text(site.get("label") or site.get("type")),
        "site_type": _text(site.get("type")),
        "sensitivity": _text(site.get("sensitivity")),
        "estimate": money(tender.get("estimate")),
        "tier": _text(tender.get("tier")),
        "lots": items,
    }


def _questions_once(bidders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every question put to the bidders, once (the same items give the same questions; each
    bidder's section shows only its answers)."""
    seen: dict[str, dict[str, Any]] = {}
    for b in bidders:
        for q in b["questions"]:
            key = q["id"] or q["text"]
            if key not in seen:
                seen[key] = {k: v for k, v in q.items() if k != "answer"}
    return list(seen.values())


def _lists_checked(data: Mapping[str, Any]) -> dict[str, Any]:
    """Page 1: the buyer's jurisdiction, the lists it expects, which were loaded and when."""
    rows = []
    for row in _list(data.get("lists")):
        r = _map(row)
        published = _text(r.get("published"))
        later = _text(r.get("later_publication"))
        rows.append(
            {
                "name": _text(r.get("name")) or _text(r.get("list_id")),
                "list_id": _text(r.get("list_id")),
                "binding": "legal bar" if r.get("binding") is True else "risk signal",
                "status": _text(r.get("status")),
                "published": published or (f"only later ({later})" if later else ""),
                "entries": _text(r.get("entries")),
            }
        )
    return {
        "jurisdiction": _text(data.get("jurisdiction_name")) or _text(data.get("jurisdiction")),
        "lists": rows,
        "warnings": [_text(w) for w in _list(data.get("warnings"))],
        "max_age": _text(data.get("max_list_age_days")),
    }


def report_view(report: Any, *, with_svg: bool) -> dict[str, Any]:
    """Everything the report templates need, computed once (see the module docstring)."""
    checked = check_report(report)
    bidders = [
        _bidder(index, _map(b), with_svg)
        for index, b in enumerate(_list(checked.get("bidders")), start=1)
    ]
    by_name = {b["name"]: b for b in bidders}
    summary = []
    for index, row in enumerate(_list(checked.get("summary"))):
        entry = _map(row)
        name = _text(entry.get("bidder"))
        match = by_name.get(name) or (bidders[index] if index < len(bidders) else None)
        outcome = _text(entry.get("outcome")).lower()
        summary.append(
            {
                "bidder": name,
                "anchor": match["anchor"] if match else "",
                "outcome": outcome,
                "headline": _text(entry.get("headline")),
                "price": match["price"] if match else "",
                "findings": len(match["findings"]) if match else 0,
            }
        )
    if not summary:
        summary = [
            {
                "bidder": b["name"],
                "anchor": b["anchor"],
                "outcome": b["outcome"],
                "headline": b["rationale"][0] if b["rationale"] else "",
                "price": b["price"],
                "findings": len(b["findings"]),
            }
            for b in bidders
        ]
    framework = _map(checked.get("framework"))
    return {
        "tender": _tender(_map(checked.get("tender"))),
        "as_of": _text(checked.get("as_of")),
        "bidvet_version": _text(checked.get("bidvet_version")),
        "framework": {
            "id": _text(framework.get("id")),
            "version": _text(framework.get("version")),
            "title": _text(framework.get("title")),
            "sha256": _text(framework.get("sha256")),
        },
        "data_snapshot": _text(checked.get("data_snapshot")),
        "snapshots": [
            {k: _text(_map(s).get(k)) for k in ("dataset", "file_name", "published", "sha256")}
            for s in _list(checked.get("snapshots"))
        ],
        "summary": summary,
        "questions": _questions_once(bidders),
        "lists_checked": _lists_checked(_map(checked.get("lists_checked"))),
        "outcome_meaning": OUTCOME_MEANING,
        "bidders": bidders,
        "data_quality": [
            {
                k: _text(_map(q).get(k))
                for k in ("file_name", "record", "field", "value", "action", "reason")
            }
            for q in _list(checked.get("data_quality"))
        ],
        "sources": _sources(checked),
    }


def questionnaire_view(data: Any) -> dict[str, Any]:
    """Normalise questionnaire input: ``{tender, bidders: [{name, questions}]}`` or a list.

    A bare list of questions becomes one unnamed group, so both shapes render the same way.
    """
    if isinstance(data, Sequence) and not isinstance(data, str | bytes):
        groups: list[Any] = [{"name": "", "questions": list(data)}]
        tender: Mapping[str, Any] = {}
    elif isinstance(data, Mapping) and isinstance(data.get("bidders"), list):
        groups = list(data["bidders"])
        tender = _map(data.get("tender"))
    elif isinstance(data, Mapping) and isinstance(data.get("questions"), list):
        groups = [{"name": data.get("name") or "", "questions": data["questions"]}]
        tender = _map(data.get("tender"))
    else:
        raise InputError(
            None,
            "questionnaire data has neither a bidders list nor a questions list",
            record="$",
            fix="pass {tender: {...}, bidders: [{name, questions: [...]}]} or a list of questions",
        )
    return {
        "tender": _tender(tender) if tender else None,
        "groups": [
            {
                "name": _text(_map(g).get("name")),
                "anchor": f"bidder-{index}",
                "questions": [question_view(q) for q in _list(_map(g).get("questions"))],
            }
            for index, g in enumerate(groups, start=1)
        ],
    }

"""The tender file (``bidvet: tender/1``): buyer, site, items, bidders, optional answers.

Parsed strictly like every policy file: an unknown key, a wrong type, a bad date or a missing
``bidders:`` list is an error naming the file, the key and the fix. Paths inside the file
(``knowledge:``, a framework given as a path) are relative to the tender file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field

from bidvet.assessment.answers import check_answers, read_answer_file
from bidvet.errors import ConfigError, InputError
from bidvet.framework.loader import DEFAULT_FRAMEWORK
from bidvet.model.tiers import TierName
from bidvet.technology.questionnaire import (
    ANSWER_KEY,
    AnswerEntry,
    TenderAnswer,
    split_answers,
)
from bidvet.yamlconfig import StrictModel as _Strict
from bidvet.yamlconfig import check_unique_ids, read_yaml, validate_data

_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


class Money(_Strict):
    amount: float = Field(ge=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"amount": self.amount, "currency": self.currency}


class Source(_Strict):
    title: str = Field(min_length=3)
    url: str | None = None
    published: dt.date | None = None
    note: str | None = None


class Buyer(_Strict):
    name: str = Field(min_length=2)
    country: str = Field(pattern=r"^[a-z]{2}$")


class Site(_Strict):
    type: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    label: str
    #: the buyer's own classification of the site; raises every item to at least this tier
    sensitivity: TierName | None = None


class Code(_Strict):
    scheme: Literal["UNSPSC", "CPV"]
    code: str = Field(pattern=r"^[0-9]{6,8}(-[0-9])?$")
    label: str | None = None


class Item(_Strict):
    id: str = Field(pattern=_ID)
    description: str = Field(min_length=3)
    quantity: int | None = Field(default=None, ge=1)
    codes: list[Code] = []
    #: explicit technology facts (e.g. local storage, ports, operating system, maintenance),
    #: passed to the technology profiler, which checks them against its taxonomy
    technology: dict[str, Any] = {}
    #: a tier fixed by the buyer instead of the profiler's
    tier: TierName | None = None


class Identifier(_Strict):
    scheme: str = Field(min_length=2)
    value: str = Field(min_length=1)


class Bidder(_Strict):
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=2)
    country: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    entity_id: str | None = None
    #: records a person judged not to be this bidder (none of the candidates of an ambiguous name)
    not_entity_ids: list[str] = []
    identifiers: list[Identifier] = []
    price: Money | None = None
    #: questionnaire answers by question id (D1.1 ...): ``no`` or ``{answer, evidence,
    #: attachments}``; free text under a topic id (D1..D14) is quoted and never read
    answers: dict[Annotated[str, Field(pattern=ANSWER_KEY)], TenderAnswer] = {}
    note: str | None = None


class Tender(_Strict):
    bidvet: Literal["tender/1"]
    id: str = Field(pattern=_ID)
    title: str = Field(min_length=3)
    description: str | None = None
    fictional: bool = False
    date: dt.date | None = None
    buyer: Buyer
    site: Site
    estimate: Money | None = None
    framework: str = DEFAULT_FRAMEWORK
    knowledge: list[str] = []
    #: bidder answer files (``bidvet: answers/1``), relative to the tender file, in its folder
    answers_file: str | list[str] | None = None
    based_on: list[Source] = []
    items: list[Item] = Field(min_length=1)
    bidders: list[Bidder] = Field(min_length=1)


@dataclass(frozen=True)
class LoadedTender:
    tender: Tender
    path: Path
    sha256: str
    #: the answer files the tender names, resolved
    answer_files: tuple[Path, ...] = ()

    def knowledge_paths(self) -> list[Path]:
        return [(self.path.parent / k).resolve() for k in self.tender.knowledge]

    def framework_ref(self) -> str | Path:
        ref = self.tender.framework
        if ref.endswith((".yaml", ".yml")):
            return (self.path.parent / ref).resolve()
        return ref


def load_tender(path: str | Path, *, knowledge_anywhere: bool = False) -> LoadedTender:
    """Read and validate a tender file, including that its knowledge files exist.

    Knowledge files must lie in the tender's folder or below it (a tender received from
    elsewhere cannot make ``assess`` read ``../../etc`` or an absolute path); set
    ``knowledge_anywhere`` (``assess --knowledge-anywhere``) to allow other places."""
    path = Path(path)
    data = read_yaml(path)
    tender = validate_data(path, data, Tender, fix_top="start the file with `bidvet: tender/1`")
    check_unique_ids(path, [i.id for i in tender.items], "items")
    check_unique_ids(path, [b.id for b in tender.bidders], "bidders")
    tender, answer_files = _with_answers(path, tender)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    loaded = LoadedTender(tender, path, digest, answer_files)
    folder = path.parent.resolve()
    for i, knowledge in enumerate(loaded.knowledge_paths()):
        if not knowledge_anywhere and not knowledge.is_relative_to(folder):
            raise ConfigError(
                path,
                f"knowledge file {tender.knowledge[i]!r} is outside the tender's folder",
                record=f"knowledge[{i}]",
                fix="copy the file next to the tender, or pass --knowledge-anywhere",
            )
        if not knowledge.is_file():
            raise ConfigError(
                path,
                f"knowledge file {tender.knowledge[i]!r} not found",
                record=f"knowledge[{i}]",
                fix="give a path relative to the tender file",
            )
    return loaded


def _answer_paths(path: Path, tender: Tender) -> tuple[Path, ...]:
    """The tender's answer files, each inside the tender's folder."""
    refs = tender.answers_file
    names = [refs] if isinstance(refs, str) else list(refs or [])
    folder = path.parent.resolve()
    out = []
    for i, name in enumerate(names):
        record = "answers_file" + (f"[{i}]" if isinstance(refs, list) else "")
        target = (path.parent / name).resolve()
        if not target.is_relative_to(folder):
            raise ConfigError(
                path,
                f"answer file {name!r} is outside the tender's folder",
                record=record,
                fix="copy it next to the tender and give a relative path",
            )
        if not target.is_file():
            raise ConfigError(
                path,
                f"answer file {name!r} not found",
                record=record,
                fix="give a path relative to the tender file (`bidvet answers import` writes one)",
            )
        out.append(target)
    return tuple(out)


def _with_answers(path: Path, tender: Tender) -> tuple[Tender, tuple[Path, ...]]:
    """The tender with its answer files' answers added to its bidders, every answer checked.

    A question answered both in the tender and in an answer file, or in two answer files, is
    an error: nothing decides silently which one counts.
    """
    files = _answer_paths(path, tender)
    ids = [b.id for b in tender.bidders]
    merged: dict[str, dict[str, TenderAnswer]] = {b.id: dict(b.answers) for b in tender.bidders}
    origin: dict[tuple[str, str], str] = {
        (b.id, q): path.name for b in tender.bidders for q in b.answers
    }
    for file in files:
        checked = check_answers(read_answer_file(file), tender_id=tender.id, bidder_ids=ids)
        checked.raise_first()
        for bid, given in checked.answers.items():
            for qid, ans in given.items():
                if (bid, qid) in origin:
                    raise ConfigError(
                        file,
                        f"{qid} is already answered in {origin[(bid, qid)]}",
                        record=f"bidder {bid}, question {qid}",
                        fix="keep one answer",
                    )
                origin[(bid, qid)] = file.name
                merged[bid][qid] = AnswerEntry(
                    answer=ans.answer, evidence=ans.evidence or None, attachments=ans.attachments
                )
    for i, b in enumerate(tender.bidders):
        try:
            split_answers(merged[b.id])
        except InputError as exc:
            if exc.path is not None:
                raise
            raise ConfigError(
                path,
                exc.message.removeprefix(f"<input>: {exc.record}: "),
                record=f"bidders[{i}] (id={b.id}).{exc.record}",
                fix=exc.fix,
            ) from None
    if not files:
        return tender, files
    bidders = [b.model_copy(update={"answers": merged[b.id]}) for b in tender.bidders]
    return tender.model_copy(update={"bidders": bidders}), files

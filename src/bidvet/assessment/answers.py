"""Bidder answer files (``bidvet: answers/1``): the fillable form, the reader and its checks.

One format in two spellings. YAML::

    bidvet: answers/1
    tender: embassy-scanners-example        # the tender's id
    bidders:
      - bidder: borealis                    # the bidder's id in the tender
        answers:
          - id: D4.1                        # a question id of the questionnaire
            answer: 'no'                    # yes / no, an option id, or free text
            evidence: There is no modem ... # free text, quoted, never read for keywords
            attachments: [service-manual.pdf]   # references, not contents

CSV: a first row ``bidvet: answers/1`` (and ``tender: ID`` in the second cell), then a header
with ``bidder``, ``id``, ``answer`` and optionally ``evidence`` and ``attachments`` (several
separated by ``;``). The form bidvet writes also has ``name``, ``topic``, ``question``,
``type``, ``allowed``, ``options`` and ``required``: read and ignored.

:func:`check_answers` finds every problem (unknown question, answer not among the allowed
ones, bidder not in the tender, an answer given twice, a required answer left blank) and names
the file, the line or row, the bidder and the question. :func:`normalised_yaml` writes the
checked answers as the YAML a tender names under ``answers_file:``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field

from bidvet.errors import InputError
from bidvet.model.quality import QualityLog
from bidvet.technology.questionnaire import (
    AnswerEntry,
    GivenAnswer,
    LoadedQuestionnaire,
    check_answer,
    load_questionnaire,
)
from bidvet.yamlconfig import StrictModel as _Strict
from bidvet.yamlconfig import read_yaml, validate_data

FORMAT = "answers/1"
CSV_COLUMNS = ("bidder", "id", "answer", "evidence", "attachments")
#: columns and keys of the form that help whoever fills it in; ignored when it is read
FORM_ONLY = ("name", "topic", "question", "type", "allowed", "options", "required")

Scalar = str | bool | int | float


class _FileAnswer(_Strict):
    id: Scalar
    answer: Scalar | None = None
    evidence: Scalar | None = None
    attachments: tuple[str, ...] | str | None = None
    topic: str | None = None
    question: str | None = None
    type: str | None = None
    allowed: tuple[Scalar, ...] = ()
    options: dict[str, str] = {}
    required: bool | None = None


class _FileBidder(_Strict):
    bidder: Scalar
    name: str | None = None
    answers: tuple[_FileAnswer, ...] = ()


class _AnswersDoc(_Strict):
    bidvet: Literal["answers/1"]
    tender: str | None = None
    questionnaire: str | None = None
    bidders: tuple[_FileBidder, ...] = Field(min_length=1)


@dataclass(frozen=True)
class AnswerRow:
    """One answer as read, with the place in the file (``line 12`` or ``row 7``)."""

    where: str
    bidder: str
    id: str
    answer: Scalar | None
    evidence: str
    attachments: tuple[str, ...]


@dataclass(frozen=True)
class AnswerFile:
    path: Path
    tender: str | None
    rows: tuple[AnswerRow, ...]


def _text(value: Scalar | None) -> str:
    return "" if value is None else str(value).strip()


def _attachments(value: tuple[str, ...] | str | None) -> tuple[str, ...]:
    items = value.replace("\n", ";").split(";") if isinstance(value, str) else (value or ())
    return tuple(a.strip() for a in items if a and a.strip())


def _answer_lines(text: str) -> list[list[int]]:
    """Line numbers of ``bidders[i].answers[j]`` (1-based), read from the YAML node tree."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    out: list[list[int]] = []
    if not isinstance(root, yaml.MappingNode):
        return out
    for key, value in root.value:
        if key.value != "bidders" or not isinstance(value, yaml.SequenceNode):
            continue
        for bidder in value.value:
            lines: list[int] = []
            if isinstance(bidder, yaml.MappingNode):
                for bkey, bval in bidder.value:
                    if bkey.value == "answers" and isinstance(bval, yaml.SequenceNode):
                        lines = [n.start_mark.line + 1 for n in bval.value]
            out.append(lines)
    return out


def _read_yaml(path: Path) -> AnswerFile:
    data = read_yaml(path)
    doc = validate_data(path, data, _AnswersDoc, fix_top=f"start the file with `bidvet: {FORMAT}`")
    lines = _answer_lines(path.read_text(encoding="utf-8"))
    rows = []
    for i, b in enumerate(doc.bidders):
        for j, a in enumerate(b.answers):
            line = lines[i][j] if i < len(lines) and j < len(lines[i]) else None
            where = f"line {line}" if line else f"bidders[{i}].answers[{j}]"
            rows.append(
                AnswerRow(
                    where,
                    _text(b.bidder),
                    _text(a.id),
                    a.answer,
                    _text(a.evidence),
                    _attachments(a.attachments),
                )
            )
    return AnswerFile(path, doc.tender, tuple(rows))


def _marker(path: Path, first: Sequence[str]) -> str | None:
    """The tender id of a CSV answer file's first row, after checking its format marker."""
    cells = [c.strip() for c in first]
    if not cells or cells[0].replace(" ", "") != f"bidvet:{FORMAT}":
        raise InputError(
            path,
            "not a bidvet answer file",
            record="row 1",
            fix=f"make the first row `bidvet: {FORMAT}` (and `tender: ID` in the next cell)",
        )
    for cell in cells[1:]:
        if cell.startswith("tender:"):
            return cell.removeprefix("tender:").strip() or None
    return None


def _read_csv(path: Path) -> AnswerFile:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror})", fix="check the path") from None
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text", fix="save the file as UTF-8 CSV") from None
    table = list(csv.reader(io.StringIO(text, newline="")))
    if len(table) < 2:
        raise InputError(path, "no header row", fix="keep the header row of the form")
    tender = _marker(path, table[0])
    header = [h.strip().lower() for h in table[1]]
    unknown = [h for h in header if h and h not in CSV_COLUMNS and h not in FORM_ONLY]
    missing = [h for h in ("bidder", "id", "answer") if h not in header]
    if unknown or missing:
        raise InputError(
            path,
            f"unknown columns {unknown}" if unknown else f"missing columns {missing}",
            record="row 2",
            fix="use the columns " + ", ".join(CSV_COLUMNS),
        )
    rows = []
    for n, cells in enumerate(table[2:], start=3):
        if not any(c.strip() for c in cells):
            continue
        rec = dict(zip(header, cells, strict=False))
        rows.append(
            AnswerRow(
                f"row {n}",
                rec.get("bidder", "").strip(),
                rec.get("id", "").strip(),
                rec.get("answer"),
                rec.get("evidence", "").strip(),
                _attachments(rec.get("attachments")),
            )
        )
    return AnswerFile(path, tender, tuple(rows))


def read_answer_file(path: str | Path) -> AnswerFile:
    """Read a YAML or CSV answer file (by its suffix); the rows are not checked yet."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such file", fix="check the path")
    if path.suffix.lower() == ".csv":
        return _read_csv(path)
    return _read_yaml(path)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an answer file, with its place and its fix."""

    path: Path
    record: str
    message: str
    fix: str

    def error(self, more: int = 0) -> InputError:
        extra = f" (and {more} more problems)" if more else ""
        return InputError(self.path, self.message + extra, record=self.record, fix=self.fix)


@dataclass(frozen=True)
class CheckedAnswers:
    """The answers that passed, by bidder and question id, and every problem found."""

    answers: dict[str, dict[str, GivenAnswer]]
    problems: tuple[Problem, ...]

    def raise_first(self) -> None:
        """Raise the first problem as an :class:`InputError`, saying how many more there are."""
        if self.problems:
            raise self.problems[0].error(len(self.problems) - 1)


def check_answers(
    af: AnswerFile,
    *,
    tender_id: str,
    bidder_ids: Sequence[str],
    required: Mapping[str, set[str]] | None = None,
    log: QualityLog | None = None,
    book: LoadedQuestionnaire | None = None,
) -> CheckedAnswers:
    """Check every row of ``af`` against the questionnaire and the tender.

    ``required`` (bidder id -> required question ids) makes a blank required answer a problem;
    without it a blank answer is simply no answer. Blank rows and answers whose spelling was
    normalised go to ``log``.
    """
    book = book or load_questionnaire()
    problems: list[Problem] = []
    if af.tender is not None and af.tender != tender_id:
        problems.append(
            Problem(
                af.path,
                "tender",
                f"the file answers tender {af.tender!r}, not {tender_id!r}",
                "check that this is the answer file for this tender",
            )
        )
    out: dict[str, dict[str, GivenAnswer]] = {}
    seen: dict[tuple[str, str], str] = {}
    for row in af.rows:
        record = f"{row.where} (bidder {row.bidder or '?'}, question {row.id or '?'})"

        def problem(message: str, fix: str, record: str = record) -> None:
            problems.append(Problem(af.path, record, message, fix))

        if row.bidder not in bidder_ids:
            problem(
                f"bidder {row.bidder!r} is not in the tender",
                "use a bidder id of the tender: " + ", ".join(bidder_ids),
            )
            continue
        if row.id in book.topics:
            problem(
                f"{row.id} is a topic, not a question",
                "answer its questions " + ", ".join(q.id for q in book.topics[row.id].questions),
            )
            continue
        if row.id not in book.questions:
            problem(f"unknown question {row.id!r}", "use the question ids of the form (D1.1 …)")
            continue
        key = (row.bidder, row.id)
        if key in seen:
            problem("answered twice", f"keep one of the answers at {seen[key]} and {row.where}")
            continue
        seen[key] = row.where
        entry = AnswerEntry(answer=row.answer, evidence=row.evidence, attachments=row.attachments)
        try:
            given = check_answer(row.id, entry, book=book)
        except InputError as exc:
            problem(exc.message.removeprefix(f"<input>: {exc.record}: "), exc.fix or "correct it")
            continue
        if given is None:
            if required is not None and row.id in required.get(row.bidder, set()):
                problem(
                    "a required question is left blank",
                    "answer it, or delete the row to leave it unanswered (an unanswered "
                    "required question is itself a finding)",
                )
            elif log is not None:
                log.skipped(record, "left blank: no answer", field="answer")
            continue
        if log is not None and isinstance(row.answer, str) and row.answer.strip() != given.answer:
            log.normalised(record, "answer", row.answer, f"read as {given.answer!r}")
        out.setdefault(row.bidder, {})[row.id] = given
    return CheckedAnswers(out, tuple(problems))


def _order(qid: str) -> tuple[int, ...]:
    return tuple(int(p) for p in qid[1:].split("."))


def normalised_yaml(
    answers: Mapping[str, Mapping[str, GivenAnswer]],
    *,
    tender_id: str,
    bidder_ids: Sequence[str],
    book: LoadedQuestionnaire | None = None,
) -> str:
    """The checked answers as a ``bidvet: answers/1`` YAML file: bidders in tender order,
    questions in D-id order, empty fields left out."""
    book = book or load_questionnaire()
    bidders = []
    for bid in bidder_ids:
        given = answers.get(bid)
        if not given:
            continue
        rows: list[dict[str, Any]] = []
        for qid in sorted(given, key=_order):
            a = given[qid]
            row: dict[str, Any] = {"id": qid, "answer": a.answer}
            if a.evidence:
                row["evidence"] = a.evidence
            if a.attachments:
                row["attachments"] = list(a.attachments)
            rows.append(row)
        bidders.append({"bidder": bid, "answers": rows})
    doc = {
        "bidvet": FORMAT,
        "tender": tender_id,
        "questionnaire": book.spec.id,
        "bidders": bidders,
    }
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


# -- the fillable form -------------------------------------------------------------------------


def _form_rows(question: Mapping[str, Any]) -> dict[str, Any]:
    allowed = [str(a) for a in question.get("allowed") or []]
    row: dict[str, Any] = {
        "id": question["id"],
        "topic": question.get("topic", ""),
        "question": question.get("text", ""),
        "type": question.get("type", "text"),
        "required": bool(question.get("required")),
    }
    if allowed:
        row["allowed"] = allowed
    options = question.get("options") or {}
    if options:
        row["options"] = dict(options)
    row.update({"answer": "", "evidence": "", "attachments": []})
    return row


FORM_HEADER = """\
# bidvet answer form. For every question, fill in `answer` (one of `allowed` when the
# question lists them, else free text), and where you can `evidence` (free text) and
# `attachments` (file names or URLs of the documents you send with this form).
# Only yes/no and listed answers can lower a risk; free text is read by a person.
# Leave a question blank or delete it to leave it unanswered.
"""


def form_yaml(doc: Mapping[str, Any]) -> str:
    """The fillable YAML form for a questionnaire document (``bidvet-questionnaire/1``)."""
    tender = doc.get("tender") or {}
    body = {
        "bidvet": FORMAT,
        "tender": tender.get("id"),
        "bidders": [
            {
                "bidder": b.get("id"),
                "name": b.get("name"),
                "answers": [_form_rows(q) for q in b.get("questions") or []],
            }
            for b in doc.get("bidders") or []
        ],
    }
    return FORM_HEADER + yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=100)


def form_csv(doc: Mapping[str, Any]) -> str:
    """The fillable CSV form: one row per bidder and question, answer columns blank."""
    tender = doc.get("tender") or {}
    buf = io.StringIO(newline="")
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow([f"bidvet: {FORMAT}", f"tender: {tender.get('id') or ''}"])
    columns = ("bidder", "name", "id", "topic", "question", "type", "allowed", "required")
    out.writerow([*columns, "answer", "evidence", "attachments"])
    for b in doc.get("bidders") or []:
        for q in b.get("questions") or []:
            row = _form_rows(q)
            options = row.get("options") or {}
            allowed = " | ".join(
                f"{a} ({options[a]})" if a in options else a for a in row.get("allowed", [])
            )
            out.writerow(
                [
                    b.get("id"),
                    b.get("name"),
                    row["id"],
                    row["topic"],
                    row["question"],
                    row["type"],
                    allowed,
                    "yes" if row["required"] else "no",
                    "",
                    "",
                    "",
                ]
            )
    return buf.getvalue()

from __future__ import annotations

import pytest

from bidvet.screening.config import default_policy
from bidvet.screening.normalize import fold, normalize


def _norm(text: str):  # type: ignore[no-untyped-def]
    return normalize(text, default_policy().generic_org_words)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("NUCTECH CO., LTD.", "Nuctech Company Limited"),
        ("Tarn Holdings Ltd", "TARN HOLDINGS LIMITED"),
        ("ООО Тарнис", "Tarnis LLC"),
        (
            "Quillon Border Systems GmbH",
            "Quillon Border Systems Gesellschaft mit beschränkter Haftung",
        ),
    ],
)
def test_legal_forms_and_scripts_reduce_to_the_same_core(a: str, b: str) -> None:
    na, nb = _norm(a), _norm(b)
    assert na.core == nb.core, (na, nb)


def test_original_is_kept_for_display() -> None:
    n = _norm("ООО Тарнис")
    assert n.original == "ООО Тарнис"
    assert n.core == "tarnis"
    assert n.forms == {"llc"}


def test_chinese_is_transliterated() -> None:
    n = _norm("北极光探测技术有限公司")
    assert n.core.isascii() and "bei ji guang" in n.core, n


def test_fold_joins_dotted_initials_and_drops_punctuation() -> None:
    assert fold("I.R.G.C.") == "irgc"
    assert fold("Al-Qa'ida  (AQ)") == "al qaida aq"


def test_a_name_that_is_only_a_legal_form_keeps_a_core() -> None:
    assert _norm("Company Limited").core

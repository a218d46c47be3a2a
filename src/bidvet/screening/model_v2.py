"""The fitted scoring model of matcher v2: logistic regression over :data:`FEATURES_V2`.

``score = logistic(intercept + Σ coefficient_f · feature_f)``: the fitted probability that the
two names are one organisation. The coefficients are data, in ``name_model_v2.yaml``, written
by ``bench/train_name_model.py`` (which documents the training set and the regularisation, and
regenerates the file byte for byte); the file records the training set's hash, size and date.

Parsing the YAML file takes longer than a screening of one name, so its content is also kept as
JSON in the user's cache folder (``settings.cache_dir``), named by the SHA-256 of the file: a
changed model file is a new name, and a missing or unreadable copy is made again from the YAML.
Reading the bundled model also gives :mod:`~bidvet.screening.features_v2` its word-frequency
table, so the file is not parsed a second time for it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bidvet.errors import ConfigError
from bidvet.file_copies import through_copy
from bidvet.screening import features_v2
from bidvet.screening.features_v2 import FEATURES_V2, PairV2

MODEL_FILE = Path(__file__).parent / "name_model_v2.yaml"
ALGORITHM = "bidvet-name-v2"
_REGENERATE = "regenerate it with bench/train_name_model.py"


@dataclass(frozen=True)
class NameModel:
    """Intercept and one coefficient per feature, with what the fit was made on."""

    algorithm: str
    intercept: float
    coefficients: dict[str, float]
    training: dict[str, Any]

    def logit(self, values: dict[str, float]) -> float:
        return self.intercept + sum(c * values[f] for f, c in self.coefficients.items())


def logistic(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def load_model(path: Path = MODEL_FILE) -> NameModel:
    """Read a model file; unknown or missing features are errors naming the file."""
    try:
        data = _parsed(path)
    except (OSError, ValueError) as exc:  # unreadable, not UTF-8, not YAML
        raise ConfigError(path, f"cannot read the name model ({exc})", fix=_REGENERATE) from None
    if not isinstance(data, dict) or not isinstance(data.get("coefficients"), dict):
        raise ConfigError(path, "no coefficients", fix=_REGENERATE)
    coefs = {str(k): float(v) for k, v in data["coefficients"].items()}
    if set(coefs) != set(FEATURES_V2):
        raise ConfigError(
            path,
            f"features {sorted(set(coefs) ^ set(FEATURES_V2))} do not match the code",
            record="coefficients",
            fix=_REGENERATE,
        )
    return NameModel(
        algorithm=str(data.get("algorithm", ALGORITHM)),
        intercept=float(data["intercept"]),
        coefficients=coefs,
        training=dict(data.get("training") or {}),
    )


def _parsed(path: Path) -> Any:
    """The model file's content: from its JSON copy in the cache folder when there is one, else
    parsed from the YAML (and the copy written, when the content is plain JSON data)."""
    data = through_copy(path, _parse_yaml, folder="models")
    if isinstance(data, dict) and path == MODEL_FILE:
        _share_word_frequencies(data)
    return data


def _parse_yaml(raw: bytes) -> Any:
    """The YAML text, parsed (a YAML problem is a ``ValueError``)."""
    import yaml

    try:
        return yaml.load(raw.decode("utf-8"), Loader=yaml.CSafeLoader)
    except yaml.YAMLError as exc:
        raise ValueError(str(exc)) from None


def _share_word_frequencies(data: dict[str, Any]) -> None:
    """Give features_v2 the bundled file's word-frequency table, read here already (unless a
    table is in use: the training script sets its own)."""
    if features_v2._FREQUENCIES:
        return
    section = data.get("word_frequencies")
    table = (
        features_v2.parse_word_frequencies(section)
        if section is not None
        else features_v2.WordFrequencies(1, 1, {})
    )
    features_v2.use_word_frequencies(table)


@lru_cache(maxsize=1)
def default_model() -> NameModel:
    """The bundled model, read once."""
    return load_model()


def feature_values(pair: PairV2) -> dict[str, float]:
    return {name: f(pair) for name, f in FEATURES_V2.items()}

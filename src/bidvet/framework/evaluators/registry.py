"""Evaluators register themselves by decorator; the framework YAML names them.

Every module in :mod:`bidvet.framework.evaluators` is imported on first use, so there is no
hand-kept list. An evaluator is ``func(ctx, params) -> list[Hit]``; its docstring is the
explanation ``bidvet framework show`` prints, and ``params`` is a strict pydantic model the
framework loader validates the criterion's ``params:`` against.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

from bidvet.framework.context import EvalContext
from bidvet.framework.findings import Hit
from bidvet.plugins import import_submodules


class NoParams(BaseModel):
    """An evaluator that takes no parameters."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Params(BaseModel):
    """Base of evaluator parameter models: strict, frozen, finite numbers only."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


EvaluatorFunc = Callable[[EvalContext, Any], list[Hit]]
_F = TypeVar("_F", bound=EvaluatorFunc)


@dataclass(frozen=True)
class EvaluatorSpec:
    name: str
    func: EvaluatorFunc
    params: type[BaseModel]

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.func.__doc__ or "")


_REGISTRY: dict[str, EvaluatorSpec] = {}


def evaluator(name: str, params: type[BaseModel] = NoParams) -> Callable[[_F], _F]:
    """Register ``func`` as the evaluator called ``name`` in framework files."""

    def deco(func: _F) -> _F:
        known = _REGISTRY.get(name)
        if known is not None and known.func is not func:
            raise RuntimeError(f"two evaluators claim the name {name!r}")
        _REGISTRY[name] = EvaluatorSpec(name, func, params)
        return func

    return deco


def evaluators() -> dict[str, EvaluatorSpec]:
    """Every registered evaluator by name, sorted."""
    import_submodules("bidvet.framework.evaluators")
    return {name: _REGISTRY[name] for name in sorted(_REGISTRY)}

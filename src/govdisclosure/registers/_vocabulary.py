"""What a register's columns are called, and the names their values may take.

Headers and values are compared by the lexicon's key (:func:`norm`), and also
without numbering and bracketed notes (:func:`bare`), so that ``（二）部分公开``,
``部分公开`` and ``partially_granted`` name one outcome. The accepted names come
from the lexicon (``model/labels.py``) and from each enum's own label, value and
name; the ``*_CHOICES`` say, in English and in Chinese, what a column expects.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

import attrs

from .._methods import fields_eq, fields_hash, fields_repr
from ..model._normalise import strip_enumerator
from ..model.labels import (
    APPLICANTS,
    REGISTER_APPEAL_KINDS,
    REGISTER_APPEAL_OUTCOMES,
    REGISTER_APPLICANTS,
    REGISTER_INTAKES,
    REGISTER_OPEN,
    REGISTER_OUTCOMES,
    key,
)
from ..model.schema import form
from ._cases import AppealKind, AppealOutcome, ApplicantType, Intake, Outcome

_NUMBERING = re.compile(r"^(?:[（(][一二三四五六七八九十]+[)）])?(?:\d+[.、．,]?)?")
_PAREN = re.compile(r"[（(][^（()）]*[)）]")
_QUOTES = str.maketrans("", "", "\"'")  # key() folds curly quotes to these


def norm(text: str) -> str:
    """A register value or header as compared: the lexicon's key, without
    quotes, in lower case."""
    return key(text).translate(_QUOTES)


def bare(label: str) -> str:
    """A label without its numbering and bracketed notes (``部分公开``)."""
    return _PAREN.sub("", _NUMBERING.sub("", norm(label)))


E = TypeVar("E", bound=enum.Enum)


def _aliases(pairs: Iterable[tuple[E, Iterable[str]]]) -> dict[str, E]:
    out: dict[str, E] = {}
    for member, names in pairs:
        for name in names:
            for form_ in {norm(name), bare(name)}:
                if form_:
                    out[form_] = member
    return out


APPLICANT_NAMES = _aliases(
    (t, (t.label, t.value, t.name, *REGISTER_APPLICANTS.get(t.value, ())))
    for t in ApplicantType
)
INTAKE_NAMES = _aliases((i, REGISTER_INTAKES[i.value]) for i in Intake)
OUTCOME_NAMES = _aliases(
    (o, (o.label, o.value, o.value.rsplit(".", 1)[-1], o.name,
         *REGISTER_OUTCOMES.get(o.value, ()),
         # the 2019 edition's one row of other handling names the third kind
         *(REGISTER_OUTCOMES["other_handling"] if o is Outcome.OTHER_HANDLING else ())))
    for o in Outcome
)
OPEN_NAMES = {norm(t) for t in REGISTER_OPEN}
KIND_NAMES = _aliases((k, REGISTER_APPEAL_KINDS[k.value]) for k in AppealKind)
APPEAL_OUTCOME_NAMES = _aliases(
    (o, REGISTER_APPEAL_OUTCOMES[o.value]) for o in AppealOutcome
)


@attrs.frozen(slots=True)
class Column:
    """A register column: key, Chinese and English header, and other accepted headers."""

    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    key: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {norm(n) for n in (self.zh, self.en, self.key, *self.aliases)}


#: The columns of an application register: (key, Chinese header, English header).
APPLICATION_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("id", "编号", "id"),
    ("applicant", "申请人类型", "applicant_type"),
    ("intake", "收案类别", "intake"),
    ("outcome", "办理结果", "outcome"),
)
#: The columns of a review and litigation register.
APPEAL_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("id", "编号", "id"),
    ("kind", "案件类型", "case_type"),
    ("outcome", "审理结果", "outcome"),
)
APPLICATION_ALIASES = {
    "id": ("序号", "登记编号", "申请编号", "case_id", "no"),
    "applicant": ("申请人类别", APPLICANTS, "applicant"),
    "intake": ("来源", "收案情况"),
    "outcome": ("处理结果", "答复结果", "result"),
}
APPEAL_ALIASES = {
    "id": ("序号", "案号", "case_id", "no"),
    "kind": ("类型", "案件类别", "kind"),
    "outcome": ("结果", "办理结果", "案件结果", "result"),
}


def register_columns(
    spec: tuple[tuple[str, str, str], ...], aliases: Mapping[str, tuple[str, ...]]
) -> tuple[Column, ...]:
    return tuple(Column(k, zh, en, aliases.get(k, ())) for k, zh, en in spec)


def _choices(
    members: Iterable[enum.Enum], labels: Callable[[enum.Enum], str]
) -> tuple[str, str]:
    """The values a column takes, said in English and in Chinese."""
    members = list(members)
    zh = "、".join(labels(m) for m in members)
    en = ", ".join(str(m.value) for m in members)
    return f"{zh} (or {en})", f"{zh}（或 {en}）"


def _label(member: enum.Enum) -> str:
    label: str = getattr(member, "label")  # noqa: B009  # every register enum has one
    return label


APPLICANT_CHOICES = _choices(ApplicantType, _label)
INTAKE_CHOICES = _choices(Intake, _label)


def _outcome_name(row: str) -> str:
    """An outcome row's label without its enumerator and its note (``部分公开``)."""
    label = strip_enumerator(key(form("2019").row("applications", row).label))
    return label.split("(", 1)[0]


_OUTCOME_EXAMPLES = tuple(map(_outcome_name, (
    "granted", "partially_granted", "withheld.state_secret", "unavailable.not_held",
    "not_processed.duplicate", "other_handling")))
OUTCOME_CHOICES = (
    "the label of an outcome row of table 三 (" + ", ".join(_OUTCOME_EXAMPLES) + "…) or its key "
    "(granted, withheld.state_secret, …), or empty while the application is open",
    "表三某一办理结果行的名称（" + "、".join(_OUTCOME_EXAMPLES) + "……）或其键"
    "（granted、withheld.state_secret……），尚在办理的留空",
)
KIND_CHOICES = (
    "行政复议、未经复议直接起诉、复议后起诉 (or review, litigation_direct, "
    "litigation_after_review)",
    "行政复议、未经复议直接起诉、复议后起诉（或 review、litigation_direct、"
    "litigation_after_review）",
)
APPEAL_OUTCOME_CHOICES = (_choices(AppealOutcome, _label)[0] + " or empty while pending",
                           _choices(AppealOutcome, _label)[1] + "，案件未结的留空")

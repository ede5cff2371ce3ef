"""The quality model of seed 000: five areas of "our own ability to ...", each with flags, as data."""
from __future__ import annotations

from pathlib import Path
from typing import Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field, model_validator

from survey.questionnaires.files import DataFileError, problem, read_yaml, validation_problems

MODEL_FILE = "quality_model.yaml"
Id = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
GREEN, YELLOW, RED = "green", "yellow", "red"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Thresholds(_Frozen):
    """Positive share (percent) from which a flag is green, or yellow; below yellow it is red."""

    green: float = Field(default=80, ge=0, le=100)
    yellow: float = Field(default=60, ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self):
        if self.yellow > self.green:
            raise ValueError("yellow must not be above green")
        return self

    def colour(self, share: float) -> str:
        """Return green, yellow or red for a positive share between 0 and 1."""
        percent = share * 100
        return GREEN if percent >= self.green else YELLOW if percent >= self.yellow else RED


class Flag(_Frozen):
    """A signal of the organisation's ability to create value in its area."""

    id: str = Id
    name: dict[str, str]
    description: dict[str, str] = {}
    evidence: dict[str, str] = {}
    collected_by: dict[str, str] = {}
    thresholds: Thresholds | None = None
    retired: bool = False


class Area(_Frozen):
    """A quality area and its flags."""

    id: str = Id
    name: dict[str, str]
    description: dict[str, str] = {}
    flags: tuple[Flag, ...] = Field(min_length=1)


class Indicator(_Frozen):
    """A measure from another source than the questionnaires (a record review, waiting times): a count of a
    denominator about the unit's work, never about a person, feeding one or more flags."""

    id: str = Id
    name: dict[str, str]
    flags: tuple[str, ...] = Field(min_length=1)
    kind: Literal["count"] = "count"  # a count with its denominator: "14 of 20"
    better: Literal["higher", "lower"] = "higher"  # whether a higher share is the good direction
    source: dict[str, str]  # where it comes from: "journalgranskning"
    measured_by: dict[str, str]  # who measures it, by role: the måleansvarig
    thresholds: Thresholds | None = None  # on the good-direction share, as for a flag

    def good_share(self, count: int, denominator: int) -> float:
        """Return the share in the good direction (for "lower is better", the share not counted)."""
        share = count / denominator
        return share if self.better == "higher" else 1 - share


class QualityModel(_Frozen):
    """All areas; flag ids are unique across the whole model; indicators feed flags by id."""

    thresholds: Thresholds = Thresholds()
    areas: tuple[Area, ...] = Field(min_length=1)
    indicators: tuple[Indicator, ...] = ()

    def flag_ids(self) -> set[str]:
        """Return the id of every flag in every area, retired ones included (old rounds still name them)."""
        return {flag.id for area in self.areas for flag in area.flags}

    def flags(self) -> list[tuple[Area, Flag]]:
        """Return every flag that is in use, with its area, in the model's order."""
        return [(area, flag) for area in self.areas for flag in area.flags if not flag.retired]

    def thresholds_for(self, flag: Flag | Indicator) -> Thresholds:
        return flag.thresholds or self.thresholds

    def indicators_for(self, flag_id: str) -> list[Indicator]:
        """Return the indicators that feed a flag, in the model's order."""
        return [indicator for indicator in self.indicators if flag_id in indicator.flags]

    def indicator(self, indicator_id: str) -> Indicator | None:
        """Return the indicator with this id, or None."""
        return next((indicator for indicator in self.indicators if indicator.id == indicator_id), None)


def load_quality_model(questionnaire_dir: Path) -> QualityModel:
    """Parse and check questionnaires/quality_model.yaml."""
    path = questionnaire_dir / MODEL_FILE
    raw = read_yaml(path)
    try:
        model = QualityModel.model_validate(raw)
    except pydantic.ValidationError as err:
        raise DataFileError(validation_problems(path.name, raw, err)) from None
    seen: set[str] = set()
    problems = []
    for a, area in enumerate(model.areas):
        for f, flag in enumerate(area.flags):
            if flag.id in seen:
                problems.append(problem(path.name, raw, ("areas", a, "flags", f, "id"),
                                        f"flag id '{flag.id}' is used twice"))
            seen.add(flag.id)
    indicator_ids: set[str] = set()
    for i, indicator in enumerate(model.indicators):
        if indicator.id in indicator_ids:
            problems.append(problem(path.name, raw, ("indicators", i, "id"),
                                    f"indicator id '{indicator.id}' is used twice"))
        indicator_ids.add(indicator.id)
        for f, flag_id in enumerate(indicator.flags):
            if flag_id not in seen:
                problems.append(problem(path.name, raw, ("indicators", i, "flags", f),
                                        f"indicator '{indicator.id}' feeds an unknown flag '{flag_id}'"))
    if problems:
        raise DataFileError(problems)
    return model


def flags_without_survey_evidence(model: QualityModel, questionnaires) -> list[str]:
    """Return the ids of flags in use that no question informs (the seed expects other evidence for them)."""
    informed = {flag for q in questionnaires for question in q.questions for flag in question.flags}
    return [flag.id for _, flag in model.flags() if flag.id not in informed]

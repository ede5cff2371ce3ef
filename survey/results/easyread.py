"""Easy-read results (pure): an answer said as "7 of 10 said yes" and drawn as people, never a percentage, and a
change said only where the run chart shows one.

Lättläst: a number of people is easier to grasp than a share, and ten people are easy to see at once. Where ten or
fewer answered, the real people are drawn; where more did, the answer is said as "about 7 of 10" and ten people are
drawn, with how many answered in words.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from survey.cycle import spc

DRAWN = 10  # people drawn when more than this answered


@dataclass(frozen=True)
class Answer:
    """How many of those who answered a question gave its positive answer, ready to say and draw."""

    said: int         # answered positively
    answered: int     # answered at all ("don't know" not counted)

    @property
    def exact(self) -> bool:
        """Whether the real people are drawn (ten or fewer answered)."""
        return self.answered <= DRAWN

    @property
    def out_of(self) -> tuple[int, int]:
        """Return (people who said it, people drawn): the real numbers, or the nearest "n of 10"."""
        if self.exact:
            return self.said, self.answered
        return int(self.said * DRAWN / self.answered + 0.5), DRAWN

    @property
    def people(self) -> list[bool]:
        """Return the people drawn, those who said it first (True)."""
        said, drawn = self.out_of
        return [True] * said + [False] * (drawn - said)


def change(shares: Sequence[float | None]) -> str | None:
    """Return "more", "fewer" or "same" as the run chart of these shares (oldest first, the newest last) shows it,
    or None when it cannot tell: "more" or "fewer" only where the newest point is part of a run longer than chance
    allows (the Anhøj rules' shift), "same" only where the chart has enough points to signal and does not."""
    chart = spc.run_chart(list(shares))
    last = chart.points[-1] if chart.points else None
    if last is None or last.value is None or not spc.can_signal(chart.phases[-1].runs.useful):
        return None
    if last.long_run and last.side:
        return "more" if last.side > 0 else "fewer"
    return None if chart.signal else "same"

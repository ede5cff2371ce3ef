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


FINAL_RUN = 3  # the newest points on one side of the median that a few-crossings signal must end with


def change(shares: Sequence[float | None]) -> str | None:
    """Return "more", "fewer" or "same" as the run chart of these shares (oldest first, the newest last) shows it,
    or None when it cannot tell. "More" or "fewer" only where the chart signals a shift that the newest point is
    part of: in a run longer than chance allows, or after too few crossings of the median, in a final run of at
    least FINAL_RUN points. "Same" only where the chart has enough points to signal and does not."""
    chart = spc.run_chart(list(shares))
    sides = [point.side for point in chart.points if point.value is not None and point.side]
    last = chart.points[-1] if chart.points else None
    if last is None or last.value is None or not spc.can_signal(chart.phases[-1].runs.useful):
        return None
    final = next((i for i, side in enumerate(reversed(sides)) if side != sides[-1]), len(sides)) \
        if sides and last.side else 0  # the newest points on the newest point's side of the median
    shifted = last.long_run or (chart.phases[-1].runs.few_crossings and final >= FINAL_RUN)
    if shifted and last.side:
        return "more" if last.side > 0 else "fewer"
    return None if chart.signal else "same"

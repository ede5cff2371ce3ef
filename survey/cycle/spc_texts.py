"""What a chart shows, in plain words in Swedish, Norwegian (bokmål) and English: one small catalogue per language.

Counts are written as digits before a colon ("Crossings of the median: 3."), so no text needs a plural form.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from survey.cycle.spc import Chart, Phase

TEXTS: dict[str, dict[str, str]] = {
    "sv": {
        "above": "över", "below": "under", "median": "medianen", "centre": "centrallinjen", "phase": "Fas {number}: ",
        "long_run": "{run} punkter i rad {side} {line}: fler än {limit} i rad händer sällan av en slump.",
        "few_crossings": "Korsningar av {line}: {crossings}. Färre än {minimum} händer sällan av en slump.",
        "counts": "Längsta serien: {run} (en signal kräver fler än {limit} punkter i rad). Korsningar av {line}: "
                  "{crossings} (en signal kräver färre än {minimum}).",
        "random": "Ingen signal: variationen ser slumpmässig ut.",
        "too_few": "Punkter som inte ligger på {line}: {useful}. Reglerna behöver minst {needed} för att kunna visa "
                   "en signal.",
        "no_baseline": "Ingen punkt att räkna {line} från.",
        "outside": "Punkter utanför styrgränserna: {count}. Så stora avvikelser händer sällan av en slump.",
        "missing": "Perioder som utelämnats (för få svar): {missing}.",
        "p": "p-diagram: styrgränser från binomialfördelningen.",
        "p_prime": "Laneys p′-diagram: styrgränserna vidgade för variationen mellan perioder.",
    },
    "nb": {
        "above": "over", "below": "under", "median": "medianen", "centre": "senterlinjen", "phase": "Fase {number}: ",
        "long_run": "{run} punkter på rad {side} {line}: flere enn {limit} på rad skjer sjelden tilfeldig.",
        "few_crossings": "Kryssinger av {line}: {crossings}. Færre enn {minimum} skjer sjelden tilfeldig.",
        "counts": "Lengste serie: {run} (et signal krever flere enn {limit} punkter på rad). Kryssinger av {line}: "
                  "{crossings} (et signal krever færre enn {minimum}).",
        "random": "Ikke noe signal: variasjonen ser tilfeldig ut.",
        "too_few": "Punkter som ikke ligger på {line}: {useful}. Reglene trenger minst {needed} for å kunne vise et "
                   "signal.",
        "no_baseline": "Ingen punkter å regne {line} fra.",
        "outside": "Punkter utenfor kontrollgrensene: {count}. Så store avvik skjer sjelden tilfeldig.",
        "missing": "Perioder som er utelatt (for få svar): {missing}.",
        "p": "p-diagram: kontrollgrenser fra binomialfordelingen.",
        "p_prime": "Laneys p′-diagram: kontrollgrensene utvidet for variasjonen mellom perioder.",
    },
    "en": {
        "above": "above", "below": "below", "median": "the median", "centre": "the centre line",
        "phase": "Phase {number}: ",
        "long_run": "{run} points in a row {side} {line}: more than {limit} would rarely happen by chance.",
        "few_crossings": "Crossings of {line}: {crossings}. Fewer than {minimum} would rarely happen by chance.",
        "counts": "Longest run: {run} (a signal needs more than {limit} points in a row). Crossings of {line}: "
                  "{crossings} (a signal needs fewer than {minimum}).",
        "random": "No signal: the variation looks random.",
        "too_few": "Points not on {line}: {useful}. The rules need at least {needed} before they can show a signal.",
        "no_baseline": "No point to work out {line} from.",
        "outside": "Points outside the control limits: {count}. Deviations that large rarely happen by chance.",
        "missing": "Periods left out (too few answers): {missing}.",
        "p": "p-chart: control limits from the binomial distribution.",
        "p_prime": "Laney's p′ chart: control limits widened for the variation between periods.",
    },
}


def explain(chart: Chart, lang: str) -> tuple[str, ...]:
    """Say what a chart shows: the method of a p-chart, one line per phase, then how many periods were left out."""
    texts = TEXTS[lang]
    lines = [texts[chart.kind]] if chart.kind in ("p", "p_prime") else []
    line = texts["median" if chart.kind == "run" else "centre"]
    for phase in chart.phases:
        prefix = texts["phase"].format(number=phase.number) if len(chart.phases) > 1 else ""
        outside = sum(point.outside for point in chart.points if point.phase == phase.number)
        first, *rest = phase_sentences(phase, outside, line, texts)
        lines += [prefix + first, *rest]
    if chart.missing:
        lines.append(texts["missing"].format(missing=chart.missing))
    return tuple(lines)


def phase_sentences(phase: Phase, outside: int, line: str, texts: dict[str, str]) -> list[str]:
    """Return the sentences for one phase: its signals, or why there is none."""
    runs = phase.runs
    if phase.centre is None:
        return [texts["no_baseline"].format(line=line)]
    sentences = [texts["outside"].format(count=outside)] if outside else []
    if not runs.enough_points:
        return [*sentences, texts["too_few"].format(line=line, useful=runs.useful, needed=runs.points_needed)]
    if runs.long_run:
        side = texts["above" if runs.longest_run_side > 0 else "below"]
        sentences.append(texts["long_run"].format(run=runs.longest_run, side=side, line=line, limit=runs.run_limit))
    if runs.few_crossings:
        sentences.append(texts["few_crossings"].format(line=line, crossings=runs.crossings,
                                                       minimum=runs.crossings_min))
    if not runs.signal:
        sentences.append(texts["counts"].format(run=runs.longest_run, limit=runs.run_limit, line=line,
                                                crossings=runs.crossings, minimum=runs.crossings_min))
        if not outside:
            sentences.append(texts["random"])
    return sentences

"""The quality cycle: evidence per flag, valuations, actions, and measurement over time.

Layers, for now: `spc` (run charts judged by the Anhøj rules, phases and frozen baselines; pure),
`spc_proportions` (p- and Laney's p′ charts, funnel plots; pure), `spc_texts` (what a chart shows, in plain
words in sv, nb and en), `spc_charts` (the charts as SVG, and the same figures as table rows).
"""

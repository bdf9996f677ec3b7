"""Which optional columns the PDF's activity table prints: those at least one activity fills.

A landscape page of columns empty for every activity says nothing and squeezes the columns that do
(issue 19): seed 000 gives its activities no area, effect goal or LIKA indicators, seed 003 gives
them all. "whole_municipality" stands for the asterisk and its footnote, printed only when used.
"""

FILLED_BY = {
    "area": lambda activity: activity.area,
    "content": lambda activity: activity.content or activity.benefit,
    "effect_goal": lambda activity: activity.effect_goal,
    "owner": lambda activity: activity.owner,
    "effort": lambda activity: activity.effort_display,
    "period": lambda activity: activity.period,
    "regional_support": lambda activity: activity.regional_support,
    "lika": lambda activity: activity.lika_indicators.all(),
    "whole_municipality": lambda activity: activity.whole_municipality,
}


def filled_columns(activities) -> set[str]:
    """The names (``FILLED_BY``'s) of the optional columns some of ``activities`` fill."""
    activities = list(activities)
    return {name for name, filled in FILLED_BY.items() if any(filled(activity) for activity in activities)}

"""Sweden's 21 counties ("län") by SCB's two-digit county code; a municipality's code begins with its county's."""

COUNTIES = {
    "01": "Stockholms län",
    "03": "Uppsala län",
    "04": "Södermanlands län",
    "05": "Östergötlands län",
    "06": "Jönköpings län",
    "07": "Kronobergs län",
    "08": "Kalmar län",
    "09": "Gotlands län",
    "10": "Blekinge län",
    "12": "Skåne län",
    "13": "Hallands län",
    "14": "Västra Götalands län",
    "17": "Värmlands län",
    "18": "Örebro län",
    "19": "Västmanlands län",
    "20": "Dalarnas län",
    "21": "Gävleborgs län",
    "22": "Västernorrlands län",
    "23": "Jämtlands län",
    "24": "Västerbottens län",
    "25": "Norrbottens län",
}
CODE_OF_COUNTY = {name: code for code, name in COUNTIES.items()}


def county_choices(blank_label: str = "") -> list[tuple[str, str]]:
    """The counties by name, for a choice field (a blank first when ``blank_label`` is given)."""
    choices = [(name, name) for name in sorted(COUNTIES.values())]
    return [("", blank_label), *choices] if blank_label else choices

"""Steps the browser tests share."""

PASSWORD = "ehalsa-demo-2026"  # every demo account's (README)
# How long a test waits for a PDF: a worker or a request renders a large plan in tens of seconds on a
# loaded machine. Never less than the work takes: a wait that runs out is a failure, not a slow pass.
PDF_TIMEOUT = 300_000  # ms


def log_in(page, username: str) -> None:
    """Sign in from the start page, as a person would: the link, the form, the button."""
    page.goto("/")
    page.get_by_role("link", name="Logga in").click()
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("button", name="Logga ut").wait_for()


def add_cost(page, *, year: str, description: str, amount: str) -> None:
    """Fill in and save the open "Ny budgetrad" form: a cost shared by the cost-sharing key."""
    page.get_by_role("textbox", name="År (obligatoriskt)").fill(year)
    page.get_by_label("Typ").select_option("cost")
    page.get_by_role("textbox", name="Beskrivning (obligatoriskt)").fill(description)
    page.get_by_label("Belopp (kr)").fill(amount)
    page.get_by_label("Part", exact=True).select_option(value="")  # shared by the key
    page.get_by_role("button", name="Spara").click()

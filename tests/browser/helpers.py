"""Steps the browser tests share."""

PASSWORD = "ehalsa-demo-2026"  # every demo account's (README)


def log_in(page, username: str) -> None:
    """Sign in from the start page, as a person would: the link, the form, the button."""
    page.goto("/")
    page.get_by_role("link", name="Logga in").click()
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("button", name="Logga ut").wait_for()

"""The open-data API's documentation (Swagger UI) as a developer reads it, with production settings:
served from the site's own static files under its strict CSP, no request refused, no script error."""

import json

from playwright.sync_api import expect


def test_the_api_documentation_lists_every_operation_and_tries_one(page):
    page.goto("/api/v1/docs/")
    expect(page.get_by_role("heading", name="Handlingsplaner för e-hälsa – öppna data")).to_be_visible()
    operations = page.locator(".opblock-summary-path")
    expect(operations.first).to_be_visible()
    paths = operations.all_inner_texts()
    assert any("/api/v1/activities/" in path for path in paths)
    assert any("/api/v1/dcat/" in path for path in paths)
    page.locator("#operations-entry-root_retrieve").click()  # the API's entry
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    body = page.locator("#operations-entry-root_retrieve .live-responses-table .microlight").first
    expect(body).to_contain_text('"lists"')
    assert "/api/v1/plans/" in json.loads(body.inner_text())["lists"]["plans"]
    assert page.problems == []

"""The appendix stamp's form refuses bad input with a Swedish message, never an error page (issue 14,
bad input: a stamp with a 10 000-character body name)."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import translation

from plans.models import StoredPdf
from plans.pdf_views import AppendixForm

pytestmark = pytest.mark.django_db


def test_a_body_name_of_10000_characters_is_refused_by_the_form_in_swedish(plan_2016):
    with translation.override("sv"):
        form = AppendixForm({"body": "K" * 10_000, "date": "2016-03-14", "dnr": "D" * 1_000}, plan=plan_2016)
        assert not form.is_valid()
        assert form.errors["body"] == ["Säkerställ att detta värde har som mest 200 tecken (den har 10000)."]
        assert form.errors["dnr"] == ["Säkerställ att detta värde har som mest 60 tecken (den har 1000)."]


def test_a_long_body_name_in_the_address_gets_the_form_back_with_the_message(client, plan_2016, secretary):
    client.force_login(secretary)
    url = reverse("plans:actionplan_pdf", args=[plan_2016.pk])
    response = client.get(url, {"body": "K" * 3_000, "date": "2016-03-14"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "Säkerställ att detta värde har som mest 200 tecken (den har 3000)." in response.content.decode()
    too_long = client.get(f"{url}?{urlencode({'body': 'K' * 10_000, 'date': '2016-03-14'})}")
    assert too_long.status_code == 414 and "Adressen är för lång" in too_long.content.decode()  # not a 500
    assert not StoredPdf.objects.exists()


def test_the_appendix_page_shows_the_stamps_placeholders(client, plan_2016):
    """ "Bilaga till <organ> <datum> § <n>, Dnr <x>": the placeholders are text, not swallowed as tags."""
    page = client.get(reverse("plans:actionplan_appendix", args=[plan_2016.pk])).content.decode()
    assert "”Bilaga till &lt;organ&gt; &lt;datum&gt; § &lt;n&gt;, Dnr &lt;x&gt;”" in page

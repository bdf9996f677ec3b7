"""PDF downloads: the plan (stored once when adopted), its appendix for a protocol, the excerpt.

Every download only reads: the stored file of an adopted version, or a PDF rendered for this
one answer (drafts, versions adopted before PDFs were stored). An appendix stamp is laid onto
that PDF, in a fraction of a render's time. Nothing is stored by a GET, so no visitor can fill the
disk or the database by asking.
"""

from django import forms
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.generic import View

from ehalsa.dates import check_date, end_of_next_year
from ehalsa.forms import PlainTextMixin
from ehalsa.pdf import render_pdf, stamped
from governance.models import Decision

from .access import plans_visible_to
from .pdf import appendix_stamp, plan_pdf_bytes, stored_plan_pdf


class AppendixForm(PlainTextMixin, forms.Form):
    """The stamp "Bilaga till <organ> <datum> § <n>, Dnr <x>": from a recorded decision, or typed in."""

    decision = forms.ModelChoiceField(queryset=Decision.objects.none(), required=False, label=_("A recorded decision"))
    body = forms.CharField(required=False, max_length=200, label=_("Body"))
    date = forms.DateField(required=False, label=_("Meeting date"), widget=forms.DateInput(attrs={"type": "date"}))
    paragraph = forms.IntegerField(
        required=False,
        min_value=1,
        label=_("Paragraph (§)"),
        error_messages={"invalid": _("The paragraph (§) is a number, e.g. 17.")},
    )
    dnr = forms.CharField(required=False, max_length=60, label=_("Diary number"))

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = Decision.objects.filter(plan=plan).select_related(
            "body", "body__organisation"
        )
        self.fields["decision"].label_from_instance = lambda d: (
            f"{d.body.name} {d.meeting_date:%Y-%m-%d}" + (f" § {d.paragraph}" if d.paragraph else "")
        )

    def clean_date(self):
        date = self.cleaned_data["date"]
        check_date(date, latest=end_of_next_year())  # an appendix may be made before the meeting
        return date

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") or self.errors:
            return cleaned
        if cleaned.get("body") or cleaned.get("date"):
            if not cleaned.get("body"):
                self.add_error("body", _("Name the body."))
            if not cleaned.get("date"):
                self.add_error("date", _("Give the meeting date."))
        return cleaned

    def is_typed(self) -> bool:
        """A stamp typed in rather than taken from a recorded decision (only signed-in users print those)."""
        return not self.cleaned_data.get("decision") and bool(self.cleaned_data.get("body"))

    def stamp(self) -> str:
        data = self.cleaned_data
        decision = data.get("decision")
        if decision:
            return appendix_stamp(
                body_name=decision.body.name,
                meeting_date=decision.meeting_date,
                paragraph=decision.paragraph,
                diary_number=decision.diary_number,
            )
        if data.get("body") and data.get("date"):
            return appendix_stamp(
                body_name=data["body"],
                meeting_date=data["date"],
                paragraph=data.get("paragraph"),
                diary_number=data.get("dnr") or "",
            )
        return ""


def pdf_response(content_or_file, filename: str, sha256: str = "") -> HttpResponse:
    if isinstance(content_or_file, bytes):
        response = HttpResponse(content_or_file, content_type="application/pdf")
    else:
        response = FileResponse(content_or_file, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if sha256:
        response["X-Content-SHA256"] = sha256
    return response


class ActionPlanPdfView(View):
    """The plan as PDF. An adopted version: its stored file (same bytes every time).

    Before the version's file is stored (and for drafts) it is rendered for this download and not
    kept. An appendix stamp is laid onto the stored or rendered PDF and not kept either. A typed
    stamp is for signed-in users (the committee secretary); anyone may print the stamp of a
    recorded decision.
    """

    def get(self, request, pk):
        plan = get_object_or_404(plans_visible_to(request.user).select_related("cooperation"), pk=pk)
        form = AppendixForm(request.GET or None, plan=plan)
        if form.is_bound and not form.is_valid():
            return appendix_page(request, plan, form)
        if form.is_bound and form.is_typed() and not request.user.is_authenticated:
            return appendix_page(request, plan, form, sign_in_to_type=True, status=403)
        stamp = form.stamp() if form.is_bound else ""
        filename = f"handlingsplan-{plan.pk}{'-bilaga' if stamp else ''}.pdf"
        stored = stored_plan_pdf(plan)
        if stored is not None and default_storage.exists(stored.path):
            if not stamp:
                return pdf_response(default_storage.open(stored.path, "rb"), filename, stored.sha256)
            with default_storage.open(stored.path, "rb") as file:
                return pdf_response(stamped(file.read(), stamp), filename)
        content = plan_pdf_bytes(plan)
        return pdf_response(stamped(content, stamp) if stamp else content, filename)


class AppendixFormView(View):
    """The secretary's page: the plan as an appendix to a protocol."""

    def get(self, request, pk):
        plan = get_object_or_404(plans_visible_to(request.user).select_related("cooperation"), pk=pk)
        return appendix_page(request, plan, AppendixForm(plan=plan))


def appendix_page(request, plan, form, *, sign_in_to_type=False, status=200):
    context = {"plan": plan, "form": form, "sign_in_to_type": sign_in_to_type}
    return render(request, "plans/appendix_form.html", context, status=status)


class DecisionExcerptPdfView(View):
    def get(self, request, pk):
        decision = get_object_or_404(
            Decision.objects.filter(plan__in=plans_visible_to(request.user)).select_related(
                "plan", "body", "body__organisation", "body__cooperation", "forwarded_to"
            ),
            pk=pk,
        )
        with translation.override("sv"):
            html = render_to_string("governance/pdf/decision_excerpt.html", {"decision": decision})
        return pdf_response(render_pdf(html), f"protokollsutdrag-{decision.pk}.pdf")

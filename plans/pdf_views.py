"""PDF downloads: the plan (made by a worker), its appendix for a protocol, the excerpt.

Every download only reads: the stored file of an adopted version or of a draft's current content,
made by a worker (``plans.tasks``). An appendix stamp is laid onto that file, in a fraction of a
render's time, and not kept. While a plan's file is not ready, its download leads to a page that
says how far the work is. Nothing is stored or queued by a GET, so no visitor can fill the disk or
the database by asking; a draft's reader asks for its PDF with a POST.
"""

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.generic import View

from ehalsa.dates import check_date, end_of_next_year
from ehalsa.forms import PlainTextMixin
from ehalsa.pdf import render_pdf, stamped
from governance.models import Decision

from .access import plans_visible_to
from .download_names import (
    appendix_name,
    as_attachment,
    decision_slug,
    excerpt_name,
    meeting_slug,
    plan_pdf_name,
    plan_slug,
)
from .pdf import appendix_stamp
from .pdf_jobs import may_request_pdf, pdf_state
from .tasks import pdf_request


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

    def meeting(self) -> str:
        """The stamp's meeting in a file name: "ssvo-2015-11-27-p12"."""
        data = self.cleaned_data
        if data.get("decision"):
            return decision_slug(data["decision"])
        return meeting_slug(body_name=data["body"], meeting_date=data["date"], paragraph=data.get("paragraph"))


def pdf_response(content_or_file, filename: str, sha256: str = "") -> HttpResponse:
    if isinstance(content_or_file, bytes):
        response = HttpResponse(content_or_file, content_type="application/pdf")
    else:
        response = FileResponse(content_or_file, content_type="application/pdf")
    as_attachment(response, filename)
    if sha256:
        response["X-Content-SHA256"] = sha256
    return response


class ActionPlanPdfView(View):
    """The plan as PDF: the adopted version's stored file (same bytes every time), or the file made
    of the draft's current content; before it is made, the page that says how far the work is.

    An appendix stamp is laid onto the file and not kept. A typed stamp is for signed-in users
    (the committee secretary); anyone may print the stamp of a recorded decision. Before the file
    is made, the status page says how far it is.
    """

    def get(self, request, pk):
        plan = get_object_or_404(plans_visible_to(request.user).select_related("cooperation"), pk=pk)
        form = AppendixForm(request.GET or None, plan=plan)
        if form.is_bound and not form.is_valid():
            return appendix_page(request, plan, form)
        if form.is_bound and form.is_typed() and not request.user.is_authenticated:
            return appendix_page(request, plan, form, sign_in_to_type=True, status=403)
        stamp = form.stamp() if form.is_bound else ""
        state = pdf_state(plan)
        path = state.stored.path if state.stored else (state.job.path if state.ready else "")
        if path and default_storage.exists(path):
            if stamp:
                with default_storage.open(path, "rb") as file:
                    filename = appendix_name(form.meeting(), plan_slug(plan) + ("" if plan.is_public else "-utkast"))
                    return pdf_response(stamped(file.read(), stamp), filename)
            filename = plan_pdf_name(plan, draft=not plan.is_public)
            return pdf_response(default_storage.open(path, "rb"), filename, state.sha256)
        return redirect("plans:actionplan_pdf_status", pk=plan.pk)


class PdfStatusView(View):
    """How far the plan's PDF is: being made (the page reloads itself, no script needed), ready to
    download, or failed and why (to those who may ask again). Reads only."""

    def get(self, request, pk):
        plan = get_object_or_404(plans_visible_to(request.user).select_related("cooperation"), pk=pk)
        state = pdf_state(plan)
        context = {"plan": plan, "pdf": state, "may_request": may_request_pdf(request.user, plan)}
        response = render(request, "plans/pdf_status.html", context, status=202 if state.pending else 200)
        add_never_cache_headers(response)
        return response


class PdfRequestView(View):
    """ "Skapa PDF" (POST): queue the PDF of the draft's current content, or of the adopted version
    when making it failed; then the status page. The same content asked for twice is made once."""

    http_method_names = ["post"]

    def dispatch(self, request, pk):
        if not request.user.is_authenticated:
            return redirect_to_login(reverse("plans:actionplan_pdf_status", args=[pk]))
        self.plan = get_object_or_404(plans_visible_to(request.user).select_related("cooperation"), pk=pk)
        if not may_request_pdf(request.user, self.plan):
            raise PermissionDenied
        return super().dispatch(request, pk)

    def post(self, request, pk):
        pdf_request(plan=self.plan)
        return redirect("plans:actionplan_pdf_status", pk=pk)


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
        return pdf_response(render_pdf(html), excerpt_name(decision))

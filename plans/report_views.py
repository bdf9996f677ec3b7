"""Pages of the yearly follow-up report: a plan's reports, compiling one, the report, its summary,
sending it, the bodies' decisions and its PDF.

Who may do what is decided here and in the services, nowhere else: readers of the plan read its
frozen reports (public documents), the cooperation's members also those under way; the plan's
coordinators compile, write and send; those who may record decisions for a body the report was sent
to record that body's decision (``governance.access``). GET never writes.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, UpdateView, View

from ehalsa import once
from ehalsa.editing import KeepInputMixin
from ehalsa.forms import add_errors
from ehalsa.pdf import stamped
from governance.access import bodies_user_may_record_for

from . import reports as services
from .access import can_edit_plan
from .adoption_views import ReadablePlanView
from .download_names import appendix_name, decision_slug, report_slug
from .edit_views import FormPageMixin, PlanEditMixin, VersionedSaveMixin
from .pdf import appendix_stamp
from .pdf_views import pdf_response
from .report_document import proposed_recipients, report_document, reports_visible_to, years_to_report
from .report_forms import ReportCreateForm, ReportDecisionForm, ReportSendForm, ReportTextForm
from .report_models import FollowUpReport, ReportDecision, ReportPdf, ReportVersion
from .report_pdf import is_stalled, report_pdf_request
from .report_tables import ReportDecisionTable, ReportTable


def readable_report(request, pk) -> FollowUpReport:
    return get_object_or_404(reports_visible_to(request.user).select_related("plan__cooperation"), pk=pk)


def bodies_deciding_on_report(report, user):
    """The bodies the report was sent to that ``user`` may record decisions for."""
    return bodies_user_may_record_for(user).filter(pk__in=report.sendings.values("body")).distinct()


class ReportListView(ReadablePlanView):
    """A plan's follow-up reports ("Uppföljningar"), and for its coordinators the way to compile one."""

    template_name = "plans/report_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        reports = (
            reports_visible_to(self.request.user)
            .filter(plan=plan)
            .select_related("frozen_version")
            .prefetch_related("sendings__body")
        )
        can_compile = can_edit_plan(self.request.user, plan)
        context.update(
            table=ReportTable(reports),
            can_compile=can_compile and plan.status in services.REPORTED_STATUSES,
            years_left=years_to_report(plan),
        )
        return context


class ReportCreateView(PlanEditMixin, FormPageMixin, FormView):
    """Compile the report of a year: the coordinator names the year; the sections compile themselves."""

    require_draft = False
    form_class = ReportCreateForm

    def get(self, request, *args, **kwargs):
        if self.plan.status not in services.REPORTED_STATUSES:
            messages.error(request, _("Only an adopted plan is followed up in a yearly report."))
            return redirect("plans:report_list", plan_pk=self.plan.pk)
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        left = years_to_report(self.plan)
        return {"year": left[0]} if left else {}

    def get_success_url(self):
        return self.request.path

    def get_context_data(self, **kwargs):
        heading = _("Compile the yearly follow-up of %(plan)s") % {"plan": self.plan.title}
        return super().get_context_data(
            heading=heading,
            submit_label=_("Compile the report"),
            cancel_url=self.plan.get_absolute_url(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            with transaction.atomic():
                earlier = once.claim(form, self.request.user)
                if earlier is not None:
                    return once.where_it_went(self.request, earlier, self.plan.get_absolute_url())
                report = services.report_compile(plan=self.plan, year=form.cleaned_data["year"], user=self.request.user)
                once.record_result(form, report.get_absolute_url())
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The report was compiled. Write its summary, then send it."))
        return redirect(report)


class ReportDetailView(DetailView):
    """The report: a draft compiled from the rows as they are, a frozen one from its snapshot; its
    decisions and its PDF."""

    template_name = "plans/report_detail.html"
    context_object_name = "report"

    def get_queryset(self):
        return reports_visible_to(self.request.user).select_related("plan__cooperation")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        user = self.request.user
        pdf = ReportPdf.objects.filter(report=report).first()
        decisions = report.decisions.select_related("body")
        context.update(report_document(report))
        context.update(
            plan=report.plan,
            sendings=report.sendings.select_related("body"),
            decision_table=ReportDecisionTable(decisions, pdf_ready=bool(pdf and pdf.ready)),
            pdf=pdf,
            pdf_stalled=bool(pdf and is_stalled(pdf)),
            can_coordinate=can_edit_plan(user, report.plan),
            can_decide=bodies_deciding_on_report(report, user).exists(),
        )
        return context


class ReportEditMixin(KeepInputMixin):
    """The report's coordinators only, and only until it is frozen: a form posted after that comes
    back with its input and the reason."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.report = readable_report(request, kwargs["pk"])
        if not can_edit_plan(request.user, self.report.plan):
            raise PermissionDenied
        if self.report.is_frozen:
            frozen = _("The report has been frozen by a decision and can no longer be changed.")
            if request.method != "POST":
                messages.error(request, frozen)
                return redirect(self.report)
            self.refusal = " ".join(
                [frozen, _("Nothing was saved; what you typed is still in the form, so you can copy it.")]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.report.plan, cancel_url=self.report.get_absolute_url(), **kwargs)


class ReportUpdateView(ReportEditMixin, FormPageMixin, VersionedSaveMixin, UpdateView):
    """The coordinator's summary and evaluation; the sections compile themselves."""

    model = FollowUpReport
    form_class = ReportTextForm

    def get_object(self, queryset=None):
        return self.report

    def get_success_url(self):
        return self.report.get_absolute_url()

    def get_context_data(self, **kwargs):
        heading = _("Write the follow-up %(year)s") % {"year": self.report.year}
        return super().get_context_data(heading=heading, **kwargs)

    @property
    def success_text(self):
        return _("The report was saved.")


class ReportSendView(ReportEditMixin, FormPageMixin, FormView):
    """Send the report to the bodies that receive reports, as proposed or as the coordinator chooses."""

    form_class = ReportSendForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "report": self.report, "proposed": proposed_recipients(self.report)}

    def get_success_url(self):
        return self.report.get_absolute_url()

    def get_context_data(self, **kwargs):
        heading = _("Send the follow-up %(year)s") % {"year": self.report.year}
        return super().get_context_data(heading=heading, submit_label=_("Send the report"), **kwargs)

    def form_valid(self, form):
        try:
            services.report_send(
                report=self.report, bodies=list(form.cleaned_data["bodies"]), sent_on=form.cleaned_data["sent_on"]
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        names = ", ".join(body.display_name for body in form.cleaned_data["bodies"])
        messages.success(self.request, _("The report is sent to %(bodies)s.") % {"bodies": names})
        return redirect(self.report)


class ReportDecisionCreateView(KeepInputMixin, FormPageMixin, FormView):
    """Record the decision of a body the report was sent to, by those who record that body's decisions."""

    form_class = ReportDecisionForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.report = readable_report(request, kwargs["pk"])
        self.bodies = bodies_deciding_on_report(self.report, request.user)
        if not self.bodies.exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "bodies": self.bodies}

    def get_initial(self):
        return {"kind": ReportDecision.Kind.NOTED}

    def get_success_url(self):
        return self.report.get_absolute_url()

    def get_context_data(self, **kwargs):
        heading = _("Record a decision on the follow-up %(year)s") % {"year": self.report.year}
        return super().get_context_data(
            heading=heading,
            submit_label=_("Record the decision"),
            plan=self.report.plan,
            cancel_url=self.report.get_absolute_url(),
            **kwargs,
        )

    def form_valid(self, form):
        fields = {name: form.cleaned_data.get(name) for name in form.Meta.fields}
        fields["diary_number"] = fields["diary_number"] or ""
        try:
            decision, created = services.report_decision_record(report=self.report, user=self.request.user, **fields)
        except (ValidationError, IntegrityError) as error:
            add_errors(form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
            return self.form_invalid(form)
        if not created:
            messages.info(self.request, _("This decision was already recorded; it is stored once."))
        elif ReportVersion.objects.filter(report=self.report, decision=decision).exists():
            messages.success(self.request, _("The decision was recorded. It froze the report; its PDF is being made."))
        else:
            messages.success(self.request, _("The decision was recorded."))
        return redirect(self.report)


class ReportPdfView(View):
    """The frozen report's PDF: the stored file, with a recorded decision's appendix stamp laid on
    (``?beslut=<id>``) and not kept; before it is made, a page that says how far it is and reloads
    itself. Its coordinators ask again (POST) when making it failed."""

    def get(self, request, pk):
        report = readable_report(request, pk)
        pdf = ReportPdf.objects.filter(report=report).first()
        if pdf is not None and pdf.ready and default_storage.exists(pdf.path):
            decision = None
            if "beslut" in request.GET:
                chosen = request.GET["beslut"]
                decision = (
                    report.decisions.select_related("body").filter(pk=chosen).first() if chosen.isdigit() else None
                )
                if decision is None:
                    return self.status_page(request, report, pdf, unknown_decision=True, status=404)
            name = report_slug(report)
            if decision is not None:
                stamp = appendix_stamp(
                    body_name=decision.body.name,
                    meeting_date=decision.meeting_date,
                    paragraph=decision.paragraph,
                    diary_number=decision.diary_number,
                )
                with default_storage.open(pdf.path, "rb") as file:
                    return pdf_response(stamped(file.read(), stamp), appendix_name(decision_slug(decision), name))
            return pdf_response(default_storage.open(pdf.path, "rb"), f"{name}.pdf", pdf.sha256)
        return self.status_page(request, report, pdf)

    def post(self, request, pk):
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        report = readable_report(request, pk)
        if not can_edit_plan(request.user, report.plan):
            raise PermissionDenied
        report_pdf_request(report=report)
        return redirect("plans:report_pdf", pk=report.pk)

    def status_page(self, request, report, pdf, *, unknown_decision=False, status=None):
        pending = pdf is not None and not pdf.ready and not pdf.failed and not is_stalled(pdf)
        context = {
            "report": report,
            "plan": report.plan,
            "pdf": pdf,
            "pending": pending,
            "failed": pdf is not None and (pdf.failed or is_stalled(pdf)),
            "unknown_decision": unknown_decision,
            "may_request": can_edit_plan(request.user, report.plan) and report.is_frozen,
        }
        response = render(request, "plans/report_pdf_status.html", context, status=status or (202 if pending else 200))
        add_never_cache_headers(response)
        return response

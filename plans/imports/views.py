"""The pages of an import: upload, mapping, the page that says how far it is (and shows the preview,
and what was created), and the POST-only actions: import, try again, discard.

Access is the plan's editing rule (``plans.edit_views.PlanEditMixin``: the coordinators of a draft
and administrators); an import is its uploader's (and administrators'). Every GET only reads; the
slow work is a worker's (``plans.imports.steps``), and the page that waits for it reloads itself.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView, View
from django_tables2 import RequestConfig

from ehalsa.spreadsheets import Refused

from ..access import plans_visible_to
from ..edit_views import PlanEditMixin
from ..import_models import TableImport
from . import services
from .forms import MappingForm, UploadForm
from .registry import importer_by_slug, importer_of
from .steps import is_stalled
from .tables import ImportRowTable

# Errors listed above the preview; the table, filtered to the rows with errors, holds them all.
ERRORS_LISTED = 100
CREATED_PER_PAGE = 50


class ImportMixin(PlanEditMixin):
    """Loads ``self.table_import``, for the user who uploaded it (and administrators) while they may
    edit its plan."""

    def get_plan(self):
        imports = TableImport.objects.filter(plan__in=plans_visible_to(self.request.user)).select_related(
            "plan__cooperation", "user"
        )
        self.table_import = get_object_or_404(imports, pk=self.kwargs["pk"])
        self.importer = importer_of(self.table_import.kind)
        return self.table_import.plan

    def may_edit(self) -> bool:
        user = self.request.user
        return super().may_edit() and (self.table_import.user_id == user.pk or user.is_superuser)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            table_import=self.table_import,
            importer=self.importer,
            back_url=self.importer.back_url(self.plan),
            **kwargs,
        )


class ImportUploadView(PlanEditMixin, FormView):
    """ "Importera aktiviteter från Excel": the file, and the user's earlier uploads to the plan."""

    form_class = UploadForm
    template_name = "plans/imports/upload.html"

    def dispatch(self, request, *args, **kwargs):
        self.importer = importer_by_slug(kwargs["kind"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        earlier = TableImport.objects.filter(plan=self.plan, user=self.request.user, kind=self.importer.kind)
        return super().get_context_data(
            importer=self.importer,
            earlier=earlier.order_by("-created_at")[:10],
            back_url=self.importer.back_url(self.plan),
            **kwargs,
        )

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            table_import, new = services.import_upload(
                plan=self.plan,
                user=self.request.user,
                importer=self.importer,
                filename=upload.name,
                content=upload.read(),
                language=translation.get_language(),
            )
        except Refused as refused:
            form.add_error("file", refused.message)
            return self.form_invalid(form)
        if not new:
            messages.info(self.request, _("This file was uploaded already; this is its import."))
        return redirect(table_import)


class ImportDetailView(ImportMixin, TemplateView):
    """How far the import is: being read, checked or imported (the page reloads itself), the preview
    of the checked rows with their errors, what was imported, or why it stopped."""

    require_draft = False  # what an import did stays readable after the plan is adopted
    template_name = "plans/imports/detail.html"

    def get(self, request, *args, **kwargs):
        if self.table_import.status == TableImport.Status.MAPPING and self.plan.is_editable:
            return redirect("plans:import_mapping", pk=self.table_import.pk)
        response = super().get(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(stalled=is_stalled(self.table_import), **kwargs)
        status = self.table_import.status
        if status == TableImport.Status.CHECKED:
            context |= self.preview()
        if status == TableImport.Status.DONE:
            context |= self.created()
        return context

    def preview(self) -> dict:
        table_import = self.table_import
        fields = {item.key: item.label for item in self.importer.fields(self.plan)}
        columns = [(key, fields.get(key, key)) for key in fields if key in set(table_import.mapping)]
        rows = table_import.rows.filter(run=table_import.run)
        only_errors = self.request.GET.get("fel") == "1"
        table = ImportRowTable(rows.filter(has_errors=True) if only_errors else rows, columns=columns)
        RequestConfig(self.request, paginate={"per_page": 50}).configure(table)
        errors = []
        for row in rows.filter(has_errors=True)[:ERRORS_LISTED]:
            errors += [error for error in row.errors if error not in errors]
        return {
            "table": table,
            "errors": errors,
            "only_errors": only_errors,
            "created_preview": self.importer.count_text(table_import.summary.get("valid", 0)),
        }

    def created(self) -> dict:
        ids = self.table_import.created_ids
        page = Paginator(ids, CREATED_PER_PAGE).get_page(self.request.GET.get("page"))
        rows = list(self.importer.created(self.plan, list(page.object_list)))
        what = self.importer.count_text(len(ids))
        done = ngettext("%(what)s was imported from %(file)s.", "%(what)s were imported from %(file)s.", len(ids))
        return {
            "created_page": page,
            "created_rows": rows,
            "done_text": done % {"what": what, "file": self.table_import.filename},
        }


class ImportMappingView(ImportMixin, FormView):
    """What each column of the file holds, proposed from its header; saving checks the rows anew."""

    form_class = MappingForm
    template_name = "plans/imports/mapping.html"

    def get(self, request, *args, **kwargs):
        if not self.mappable():
            return redirect(self.table_import)
        return super().get(request, *args, **kwargs)

    def mappable(self) -> bool:
        table_import = self.table_import
        return bool(table_import.headers) and (
            table_import.status in services.MAPPABLE
            or (table_import.status == TableImport.Status.FAILED and table_import.step != TableImport.Step.READ)
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(table_import=self.table_import, fields=self.importer.fields(self.plan))
        return kwargs

    def form_valid(self, form):
        try:
            services.import_map(table_import=self.table_import, mapping=form.mapping())
        except ValidationError as refusal:
            form.add_error(None, refusal)
            return self.form_invalid(form)
        return redirect(self.table_import)


class ImportActionView(ImportMixin, View):
    """A POST that moves the import on, then its page with what happened."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            self.act()
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        return redirect(self.table_import)

    def act(self) -> None:
        raise NotImplementedError


class ImportConfirmView(ImportActionView):
    """ "Importera": the checked rows are created by a worker, all or none."""

    def act(self) -> None:
        services.import_confirm(table_import=self.table_import)


class ImportRetryView(ImportActionView):
    """ "Försök igen": a step that stopped is taken up again."""

    def act(self) -> None:
        services.import_retry(table_import=self.table_import)


class ImportDiscardView(ImportActionView):
    """ "Ta bort uppladdningen": the file and what was found in it go; nothing was imported."""

    require_draft = False  # an upload to a plan adopted meanwhile can still be removed

    def post(self, request, *args, **kwargs):
        try:
            services.import_discard(table_import=self.table_import)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
            return redirect(self.table_import)
        messages.success(
            request,
            _("The upload of %(file)s was removed; nothing was imported.") % {"file": self.table_import.filename},
        )
        if self.plan.is_editable:
            return redirect("plans:import_upload", plan_pk=self.plan.pk, kind=self.importer.slug)
        return redirect(self.plan)

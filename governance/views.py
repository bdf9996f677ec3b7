"""Governance: the cooperations, their bodies and the members' own bodies."""

from django.views.generic import DetailView, ListView

from .models import Body, Cooperation


class CooperationListView(ListView):
    model = Cooperation
    template_name = "governance/cooperation_list.html"

    def get_queryset(self):
        return Cooperation.objects.select_related("lead_organisation").order_by("name")


class CooperationBodiesView(DetailView):
    """The cooperation's bodies by level, whom each reports to, and the members' own bodies."""

    model = Cooperation
    template_name = "governance/cooperation_bodies.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bodies = list(self.object.bodies.select_related("reports_to"))
        context["levels"] = [
            (label, [body for body in bodies if body.level == level]) for level, label in Body.Level.choices
        ]
        context["levels"] = [(label, items) for label, items in context["levels"] if items]
        members = self.object.members.filter(bodies__isnull=False).distinct().prefetch_related("bodies__reports_to")
        context["member_bodies"] = [(member, list(member.bodies.all())) for member in members]
        return context

"""Admin list columns shared by the apps."""

from django.contrib import admin


def year_column(model, field_name: str):
    """A list column showing a year as a year ("2016"), not as a grouped number ("2 016")."""

    def column(model_admin, obj):
        value = getattr(obj, field_name)
        return "" if value is None else str(value)

    column.__name__ = f"{field_name}_as_year"
    label = model._meta.get_field(field_name).verbose_name
    return admin.display(description=label, ordering=field_name)(column)

"""What every page's header needs from governance: whether to link to the cooperation administration."""

from django.utils.functional import SimpleLazyObject

from .access import may_use_administration


def administration(request):
    """``may_administer``: the user reaches the administration (asked only when a page uses it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"may_administer": False}
    return {"may_administer": SimpleLazyObject(lambda: may_use_administration(user))}

def memberships(request):
    """The signed-in user's organisations and roles, for the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_memberships": []}
    return {"user_memberships": list(user.memberships.select_related("organisation"))}

"""Access checks used by the views: every dashboard page is for signed-in staff only, and
each action needs its role's permission (see orders/roles.py)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def staff_required(view=None, *, perm: str | None = None):
    """Send anonymous users to sign in; refuse users who are not staff or lack `perm`.

    Use bare (`@staff_required`) for pages every role may see, or
    `@staff_required(perm="orders.place_order")` for an action.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (request.user.is_active and request.user.is_staff):
                raise PermissionDenied
            if perm and not request.user.has_perm(perm):
                raise PermissionDenied(f"Your role does not allow this ({perm}).")
            return view(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view else decorate

"""Shared web-UI building blocks (htmx partials, role checks, cheap pagination) and the sign-in pages.

The pages that need to know roles or users (home, preferences) live in ``oversight.tenancy.views``."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from oversight.core import search as global_search
from oversight.core.errors import ApplicationError

PAGE_SIZE = 50


class HtmxTemplateMixin:
    """Return `partial_template_name` for htmx requests (not boosted ones), the full page otherwise."""

    partial_template_name: str | None = None

    def is_partial(self) -> bool:
        """True when the page asked only for its fragment (polling, filtering)."""
        htmx = getattr(self.request, "htmx", None)
        return bool(self.partial_template_name and htmx and not htmx.boosted)

    def get_template_names(self) -> list[str]:
        if self.is_partial():
            return [self.partial_template_name]
        return super().get_template_names()

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response


class RoleRequiredMixin(LoginRequiredMixin):
    """Signed-in users whose role is in `allowed_roles` (superusers always); others get 403."""

    allowed_roles: frozenset[str] = frozenset()

    def has_role(self, user) -> bool:
        return user.is_superuser or user.role in self.allowed_roles

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.has_role(request.user):
            raise PermissionDenied(_("Your role cannot open this page."))
        return super().dispatch(request, *args, **kwargs)


@dataclass
class Page:
    """One page of a list; `count` is known only when a cheaper source than COUNT(*) gave it."""

    items: list
    number: int
    per_page: int
    has_next: bool
    count: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def num_pages(self) -> int | None:
        if self.count is None:
            return None
        return max(1, math.ceil(self.count / self.per_page))

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.items else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.items)


def page_number(request) -> int:
    """The requested page number (1 for anything that is not a positive integer)."""
    try:
        number = int(request.GET.get("page", "1"))
    except (TypeError, ValueError):
        return 1
    return max(1, min(number, 100_000))


def paginate(queryset, request, *, per_page: int = PAGE_SIZE, count: int | None = None) -> Page:
    """Slice one page without COUNT(*): fetch one row more than needed to know if a next page exists."""
    number = page_number(request)
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    return Page(items=rows[:per_page], number=number, per_page=per_page, has_next=len(rows) > per_page, count=count)


def safe_next(request, fallback: str) -> str:
    """The `next` parameter when it points back into this site, else the fallback."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return fallback


def show_error(request, exc: ApplicationError) -> None:
    """Put a domain error's message in front of the user (the one HTML mapping of ApplicationError)."""
    messages.error(request, exc.message)


def save_form(request, form, save, *, message, template_name: str, context: dict):
    """A form page's POST: when the form is valid, `save(cleaned_data)` (a service call returning the object) and
    go to the saved object's page with `message`; otherwise show the form again with its errors (400) or the
    service's refusal (its status), nothing written."""
    status = 400
    if form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            status = exc.status_code
        else:
            messages.success(request, message)
            return redirect(obj)
    return render(request, template_name, {**context, "form": form}, status=status)


class LoginView(auth_views.LoginView):
    """Sign in with Oversight's own page."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only, as Django requires) and return to the login page."""


class SearchView(LoginRequiredMixin, TemplateView):
    """`/search/?q=`: the global search box's results, grouped by kind, limited to what the user may see."""

    template_name = "core/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        text = global_search.clean_text(self.request.GET.get("q"))
        groups = global_search.search(user=self.request.user, text=text)
        context.update(
            text=text,
            groups=groups,
            total=sum(len(group.hits) for group in groups),
            limit=global_search.LIMIT_PER_KIND,
            max_length=global_search.MAX_TEXT,
        )
        return context

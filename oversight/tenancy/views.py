"""The signed-in user's own pages: where each role lands, and the language and time-zone preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.core.errors import ApplicationError
from oversight.core.forms import LanguageForm, PreferencesForm
from oversight.core.views import safe_next, show_error
from oversight.tenancy.roles import CLIENT_ROLES, VENDOR_ROLES
from oversight.tenancy.services import user_update_preferences


def home_url_for(user) -> str:
    """Where a user lands: requesters on the portal, vendor staff on the workbench, the client side on the board."""
    if user.is_superuser or user.role in CLIENT_ROLES:
        return reverse("tickets:board")
    if user.role in VENDOR_ROLES:
        return reverse("tickets:workbench")
    return reverse("tickets:portal")


class HomeView(LoginRequiredMixin, View):
    """`/`: send each user to the page their role works from."""

    def get(self, request):
        return redirect(home_url_for(request.user))


class PreferencesView(LoginRequiredMixin, View):
    """`/preferences/`: the user's language and time zone."""

    template_name = "tenancy/preferences.html"

    def get(self, request):
        form = PreferencesForm(initial={"language": request.user.language, "time_zone": request.user.time_zone})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = PreferencesForm(request.POST)
        if form.is_valid():
            try:
                user_update_preferences(
                    actor=request.user,
                    user=request.user,
                    language=form.cleaned_data["language"],
                    time_zone=form.cleaned_data["time_zone"],
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Your preferences were saved."))
                return redirect("preferences")
        return render(request, self.template_name, {"form": form}, status=400)


class LanguageSwitchView(LoginRequiredMixin, View):
    """POST from the language menu: save the signed-in user's language and go back to the page."""

    def post(self, request):
        form = LanguageForm(request.POST)
        if form.is_valid():
            try:
                user_update_preferences(
                    actor=request.user,
                    user=request.user,
                    language=form.cleaned_data["language"],
                    time_zone=request.user.time_zone,
                )
            except ApplicationError as exc:
                show_error(request, exc)
        return redirect(safe_next(request, reverse("home")))

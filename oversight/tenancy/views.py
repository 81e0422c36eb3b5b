"""The signed-in user's own pages: where each role lands, the language and time-zone preferences, API tokens,
passwords (change, required change, and reset by e-mail) and saved views."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.core import clock
from oversight.core.errors import ApplicationError
from oversight.core.forms import LanguageForm, PreferencesForm
from oversight.core.ratelimit import client_ip, rate_limit_hit
from oversight.core.views import RoleRequiredMixin, paginate, safe_next, show_error
from oversight.tenancy import selectors
from oversight.tenancy.forms import ApiTokenForm, InviteForm, PasswordResetForm, PeopleFilterForm, RoleForm
from oversight.tenancy.roles import ADMINISTRATORS, CLIENT_ROLES, VENDOR_ROLES
from oversight.tenancy.selectors import api_token_get, api_token_list, saved_view_get, saved_view_list
from oversight.tenancy.services import (
    api_token_create,
    api_token_revoke,
    password_reset_requested,
    saved_view_create,
    saved_view_delete,
    saved_view_rename,
    user_change_role,
    user_invite,
    user_password_changed,
    user_resend_invitation,
    user_set_active,
    user_update_preferences,
)


def home_url_for(user) -> str:
    """Where a user lands: requesters on the portal, vendor staff on the workbench, the client side on the board."""
    if user.is_superuser or user.role in CLIENT_ROLES:
        return reverse("tickets:board")
    if user.role in VENDOR_ROLES:
        return reverse("tickets:workbench")
    return reverse("tickets:portal")


class AdministratorMixin(RoleRequiredMixin):
    """The client administrator's setup pages (services, SLA policies, calendars, people); others get 403.

    Objects are looked up through the gate's "administer" action, so another organisation's are 404.
    """

    allowed_roles = ADMINISTRATORS

    @property
    def organisation(self):
        """The organisation new rows are created in: the administrator's own."""
        organisation = self.request.user.organisation
        if organisation is None:  # a superuser without an organisation uses the Django admin
            raise PermissionDenied(_("Your account belongs to no organisation: use the administration site."))
        return organisation


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


# ---------------------------------------------------------------------------------------------- people


class PeopleListView(AdministratorMixin, View):
    """`/setup/people/`: the organisation's people, filtered by text, role and status."""

    def get(self, request):
        form = PeopleFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        qs = selectors.people_administered(
            user=request.user,
            q=(filters.get("q") or "").strip(),
            role=filters.get("role") or "",
            status=filters.get("status") or "active",
        )
        context = {"filter_form": form, "page": paginate(qs, request), "tab": "people"}
        return render(request, "tenancy/people_list.html", context)


class PersonInviteView(AdministratorMixin, View):
    """`/setup/people/invite/`: create a person with a role; they get an e-mail to set their password."""

    template_name = "tenancy/person_invite.html"

    def get(self, request):
        form = InviteForm(organisation=self.organisation)
        return render(request, self.template_name, {"form": form, "tab": "people"})

    def post(self, request):
        form = InviteForm(request.POST, organisation=self.organisation)
        if form.is_valid():
            data = form.cleaned_data
            try:
                person = user_invite(
                    actor=request.user,
                    organisation=self.organisation,
                    username=data["username"],
                    email=data["email"],
                    display_name=data["display_name"],
                    role=data["role"],
                    vendor=data["vendor"],
                    department=data["department"],
                    language=data["language"],
                )
            except ApplicationError as exc:
                form.add_error(exc.extra.get("field"), exc.message)
            else:
                messages.success(
                    request,
                    _("%(name)s was invited; an e-mail with a link to set a password went to %(email)s.")
                    % {"name": person, "email": person.email},
                )
                return redirect("people:detail", pk=person.pk)
        return render(request, self.template_name, {"form": form, "tab": "people"}, status=400)


def person_page(request, person, *, form=None, status=200):
    """A person's page: who they are, their role (with the form to change it) and whether they may sign in."""
    if form is None:
        form = RoleForm(initial={"role": person.role, "vendor": person.vendor_id}, organisation=person.organisation)
    context = {"person": person, "form": form, "is_self": person.pk == request.user.pk, "tab": "people"}
    return render(request, "tenancy/person_detail.html", context, status=status)


class PersonView(AdministratorMixin, View):
    """`/setup/people/<pk>/`: a person; POST changes their role (`user_change_role`)."""

    def get(self, request, pk):
        return person_page(request, selectors.person_administered(user=request.user, pk=pk))

    def post(self, request, pk):
        person = selectors.person_administered(user=request.user, pk=pk)
        form = RoleForm(request.POST, organisation=person.organisation)
        if form.is_valid():
            try:
                user_change_role(
                    actor=request.user, user=person, role=form.cleaned_data["role"], vendor=form.cleaned_data["vendor"]
                )
            except ApplicationError as exc:
                form.add_error(exc.extra.get("field"), exc.message)
            else:
                messages.success(request, _("The role of %(name)s was changed.") % {"name": person})
                return redirect("people:detail", pk=person.pk)
        return person_page(request, person, form=form, status=400)


class PersonActiveView(AdministratorMixin, View):
    """POST `/setup/people/<pk>/active/`: deactivate (no more sign-in) or reactivate a person."""

    def post(self, request, pk):
        person = selectors.person_administered(user=request.user, pk=pk)
        active = request.POST.get("active") == "1"
        try:
            user_set_active(actor=request.user, user=person, active=active)
        except ApplicationError as exc:
            show_error(request, exc)
        else:
            if active:
                messages.success(request, _("%(name)s can sign in again.") % {"name": person})
            else:
                messages.success(request, _("%(name)s was deactivated and can no longer sign in.") % {"name": person})
        return redirect("people:detail", pk=person.pk)


class PersonInviteAgainView(AdministratorMixin, View):
    """POST `/setup/people/<pk>/invite-again/`: a fresh set-password link for someone who has not used theirs."""

    def post(self, request, pk):
        person = selectors.person_administered(user=request.user, pk=pk)
        try:
            user_resend_invitation(actor=request.user, user=person)
        except ApplicationError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("A new invitation went to %(email)s.") % {"email": person.email})
        return redirect("people:detail", pk=person.pk)


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The single-use link of an invitation or of a password reset (Django's reset token): the person chooses a
    password; the link dies once used (the token depends on the password)."""

    template_name = "registration/set_password.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        user_password_changed(actor=form.user, user=form.user, how="link")
        messages.success(self.request, _("Your password is set. Sign in with it now."))
        return response


class ApiTokensView(LoginRequiredMixin, View):
    """`/preferences/tokens/`: the user's API tokens; create one (its secret is shown on this answer only)."""

    template_name = "tenancy/api_tokens.html"

    def render_page(self, request, form, *, secret: str = "", status: int = 200):
        context = {"form": form, "tokens": api_token_list(user=request.user), "secret": secret, "now": clock.now()}
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        return self.render_page(request, ApiTokenForm())

    def post(self, request):
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                _token, secret = api_token_create(
                    actor=request.user,
                    owner=request.user,
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"],
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                # Shown in this answer only (no redirect: the secret must not travel through the session).
                return self.render_page(request, ApiTokenForm(), secret=secret)
        return self.render_page(request, form, status=400)


class ApiTokenRevokeView(LoginRequiredMixin, View):
    """POST `/preferences/tokens/<pk>/revoke/`: revoke one of the user's own tokens (another's is a 404)."""

    def post(self, request, pk: int):
        token = api_token_get(user=request.user, pk=pk)
        try:
            api_token_revoke(actor=request.user, token=token)
        except ApplicationError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
        return redirect("preferences_tokens")


# ------------------------------------------------------------------------------------------ passwords


class PasswordChangeView(auth_views.PasswordChangeView):
    """`/password/change/`: the signed-in user chooses a new password (required first when someone else set it)."""

    template_name = "tenancy/password_change.html"
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["required"] = self.request.user.must_change_password
        return context

    def form_valid(self, form):
        super().form_valid(form)  # sets the password and keeps this session signed in
        user_password_changed(actor=self.request.user, user=self.request.user, how="changed")
        messages.success(self.request, _("Your password was changed."))
        return redirect(self.get_success_url())


def _reset_base_url() -> str:
    """Where links in e-mails point: the configured OVERSIGHT_BASE_URL, never the request's Host header."""
    return settings.OVERSIGHT_BASE_URL.rstrip("/")


class PasswordResetView(auth_views.PasswordResetView):
    """`/password/reset/`: e-mail a single-use link; the same answer whether or not the address has an account.

    Rate-limited per client address (a refusal says so) and per e-mail address (silently: the answer stays the
    same, so nobody learns whether the address exists).
    """

    template_name = "tenancy/password_reset_form.html"
    email_template_name = "tenancy/password_reset_email.txt"
    subject_template_name = "tenancy/password_reset_subject.txt"
    form_class = PasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        window = settings.OVERSIGHT_PASSWORD_RESET_RATE_WINDOW
        if rate_limit_hit(
            f"password-reset:ip:{client_ip(request)}", limit=settings.OVERSIGHT_PASSWORD_RESET_RATE_LIMIT, window=window
        ):
            form = self.get_form()
            form.add_error(None, _("Too many password-reset requests from your network address. Try again later."))
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(window)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        if rate_limit_hit(
            f"password-reset:email:{digest}",
            limit=settings.OVERSIGHT_PASSWORD_RESET_EMAIL_LIMIT,
            window=settings.OVERSIGHT_PASSWORD_RESET_RATE_WINDOW,
        ):
            return redirect(self.get_success_url())
        password_reset_requested(email=email, users=list(form.get_users(email)))
        parts = urlsplit(_reset_base_url())
        form.save(
            domain_override=parts.netloc,
            use_https=parts.scheme == "https",
            subject_template_name=self.subject_template_name,
            email_template_name=self.email_template_name,
            from_email=self.from_email,
            request=None,  # nothing in the e-mail comes from the request (its Host header is not trusted)
            extra_email_context={"base_url": _reset_base_url(), "site_name": settings.OVERSIGHT_SITE_NAME},
        )
        return redirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    """`/password/reset/sent/`: "if the address has an account, a link is on its way"."""

    template_name = "tenancy/password_reset_done.html"


def saved_view_url(saved_view) -> str | None:
    """Where a saved view opens: its list with its filters and sort order (None if the list is gone)."""
    try:
        base = reverse(saved_view.list_key)
    except NoReverseMatch:
        return None
    return f"{base}?{saved_view.query}" if saved_view.query else base


class SavedViewListView(LoginRequiredMixin, View):
    """`/views/`: the user's own saved views of every list, to open, rename or delete."""

    def get(self, request):
        views = list(saved_view_list(user=request.user))
        rows = [{"view": view, "url": saved_view_url(view)} for view in views]
        return render(request, "tenancy/saved_views.html", {"rows": rows})


class SavedViewCreateView(LoginRequiredMixin, View):
    """POST from a list's filter panel: save its current filters and sort order under a name."""

    def post(self, request):
        back = safe_next(request, reverse("home"))
        try:
            saved = saved_view_create(
                actor=request.user,
                list_key=request.POST.get("list_key", ""),
                name=request.POST.get("name", ""),
                query=request.POST.get("query", ""),
            )
        except ApplicationError as exc:
            show_error(request, exc)
            return redirect(back)
        messages.success(request, _("View “%(name)s” saved.") % {"name": saved.name})
        return redirect(saved_view_url(saved) or back)


class SavedViewRenameView(LoginRequiredMixin, View):
    """POST: rename one of the user's saved views (another person's is a 404)."""

    def post(self, request, pk):
        saved = saved_view_get(user=request.user, pk=pk)
        try:
            saved_view_rename(actor=request.user, saved_view=saved, name=request.POST.get("name", ""))
        except ApplicationError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("View renamed."))
        return redirect("saved_views")


class SavedViewDeleteView(LoginRequiredMixin, View):
    """POST: delete one of the user's saved views (another person's is a 404)."""

    def post(self, request, pk):
        saved = saved_view_get(user=request.user, pk=pk)
        saved_view_delete(actor=request.user, saved_view=saved)
        messages.success(request, _("View deleted."))
        return redirect(safe_next(request, reverse("saved_views")))

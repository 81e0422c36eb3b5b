"""Pages of the chat IDs with which people are @-mentioned in group chats: each person's own
(`/notifications/chat-ids/`) and, for client administrators, the people of their organisation
(`/notifications/chat-ids/people/`, one person's at `.../people/<pk>/`). Views parse; the services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.core.errors import ApplicationError
from oversight.core.views import RoleRequiredMixin, paginate
from oversight.notifications.channels import identities
from oversight.notifications.channels.forms import ChatIdentityForm
from oversight.tenancy.roles import ADMINISTRATORS

TEMPLATE = "notifications/channels/chat_identity.html"


def _initial(person) -> dict:
    identity = identities.identity_of(person)
    return {name: getattr(identity, name, "") for name in identities.FIELDS}


def _page(request, person, form, *, own: bool, status: int = 200):
    context = {"form": form, "person": person, "own": own, "profile_phone": person.phone}
    return render(request, TEMPLATE, context, status=status)


def _save(request, person, *, own: bool, done: str):
    form = ChatIdentityForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            identities.chat_identity_set(actor=request.user, person=person, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            status = exc.status_code
        else:
            messages.success(request, _("The chat IDs were saved."))
            return redirect(done)
    return _page(request, person, form, own=own, status=status)


class OwnChatIdentityView(LoginRequiredMixin, View):
    """`/notifications/chat-ids/`: the signed-in person's own chat IDs."""

    def get(self, request):
        return _page(request, request.user, ChatIdentityForm(initial=_initial(request.user)), own=True)

    def post(self, request):
        return _save(request, request.user, own=True, done="notifications:chat_identity")


class PeopleChatIdentityView(RoleRequiredMixin, View):
    """`/notifications/chat-ids/people/`: the people a client administrator administers, with their chat IDs."""

    allowed_roles = ADMINISTRATORS

    def get(self, request):
        people = identities.people_administered(user=request.user)
        text = (request.GET.get("q") or "").strip()[:100]
        if text:
            people = people.filter(
                Q(username__icontains=text) | Q(first_name__icontains=text) | Q(last_name__icontains=text)
            )
        return render(
            request,
            "notifications/channels/chat_people.html",
            {"page": paginate(people, request), "q": text},
        )


class PersonChatIdentityView(RoleRequiredMixin, View):
    """`/notifications/chat-ids/people/<pk>/`: one administered person's chat IDs (404 for anyone else)."""

    allowed_roles = ADMINISTRATORS

    def _person(self, request, pk):
        person = identities.person_administered(user=request.user, pk=pk)
        if person is None:
            raise Http404
        return person

    def get(self, request, pk):
        person = self._person(request, pk)
        return _page(request, person, ChatIdentityForm(initial=_initial(person)), own=False)

    def post(self, request, pk):
        person = self._person(request, pk)
        return _save(request, person, own=False, done="notifications:chat_identity_people")

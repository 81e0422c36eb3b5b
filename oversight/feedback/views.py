"""Web pages of the feedback app: the public rating page, rating links and QR codes for the requester,
complaints for the client and the vendor, and the quarterly prize draw for the client's supervisors.

Views only parse input and call feedback.services; what anyone may see comes from feedback.selectors.
"""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import decorator_from_middleware, method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt, ensure_csrf_cookie

from oversight.core.errors import ApplicationError, NotAllowed
from oversight.core.files import download_response
from oversight.core.listing import sort_list
from oversight.core.ratelimit import client_ip, rate_limit_hit
from oversight.core.views import paginate
from oversight.core.zones import zone_or_default
from oversight.feedback import permissions, selectors, services
from oversight.feedback.choices import (
    COMPLAINT_ACTIONS_NEEDING_TEXT,
    COMPLAINT_TRANSITIONS,
    ComplaintAction,
    ComplaintEventKind,
    ComplaintStatus,
    RatingChannel,
)
from oversight.feedback.filters import ComplaintFilter
from oversight.feedback.forms import (
    ComplaintActionForm,
    ComplaintAssignForm,
    ComplaintCommentForm,
    ComplaintOpenForm,
    DrawPublishForm,
    DrawRunForm,
    RatingForm,
)
from oversight.tickets.selectors import work_order_get_by_number

# ---------------------------------------------------------------------------------------------- the public page

PRIVATE_HEADERS = {
    "Referrer-Policy": "no-referrer",  # the token in the URL never leaks to another site
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
}


def _private(response: HttpResponse) -> HttpResponse:
    for name, value in PRIVATE_HEADERS.items():
        response[name] = value
    return response


def rate_limited(request) -> bool:
    """Count this request against its client address; True when it is over the limit of the current window."""
    return rate_limit_hit(
        f"feedback:rate:{client_ip(request)}",
        limit=int(getattr(settings, "OVERSIGHT_RATING_RATE_LIMIT", 20)),
        window=int(getattr(settings, "OVERSIGHT_RATING_RATE_WINDOW", 600)),
    )


class NullOriginCsrfMiddleware(CsrfViewMiddleware):
    """CSRF protection for the rating page, which sends `Referrer-Policy: no-referrer`.

    Under that policy browsers post the form with `Origin: null`, which Django's origin check refuses;
    here `null` is accepted and the double-submit token (cookie + form field) is still required, while a
    real foreign origin is still refused.
    """

    def _origin_verified(self, request):
        if request.META.get("HTTP_ORIGIN") == "null":
            return True
        return super()._origin_verified(request)


rating_csrf_protect = decorator_from_middleware(NullOriginCsrfMiddleware)


@method_decorator(csrf_exempt, name="dispatch")  # the global check would refuse `Origin: null`...
@method_decorator(rating_csrf_protect, name="dispatch")  # ...so this one checks the token instead
@method_decorator(ensure_csrf_cookie, name="dispatch")
class RateView(View):
    """`/r/<token>/`: the rating page, no sign-in, in the requester's language, without any personal data.

    Shown: the work order's number, its service and the resolution date. A used, expired, replaced,
    malformed or unknown link gets a clear page (410 / 404) and changes nothing; every request counts
    against the caller's IP address (429 past the limit).
    """

    def dispatch(self, request, *args, **kwargs):
        if rate_limited(request):
            response = render(request, "feedback/rate_limited.html", status=429)
            response["Retry-After"] = str(int(getattr(settings, "OVERSIGHT_RATING_RATE_WINDOW", 600)))
            return _private(response)
        return _private(super().dispatch(request, *args, **kwargs))

    def get(self, request, token):
        try:
            invitation = selectors.rating_invitation_for_token(token)
        except services.RatingLinkError as exc:
            return self.unavailable(request, exc)
        return self.page(request, invitation, RatingForm())

    def post(self, request, token):
        try:
            invitation = selectors.rating_invitation_for_token(token)
        except services.RatingLinkError as exc:
            return self.unavailable(request, exc)
        requester = invitation.work_order.requester
        with translation.override(requester.language or settings.LANGUAGE_CODE):
            form = RatingForm(request.POST)
            if not form.is_valid():
                return self.page(request, invitation, form, status=400)
            try:
                rating = services.rating_submit(
                    token=token,
                    stars=form.cleaned_data["stars"],
                    comment=form.cleaned_data["comment"],
                    recommend=form.cleaned_data["recommend"],
                )
            except services.RatingLinkError as exc:
                return self.unavailable(request, exc, language=requester.language)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                return self.page(request, invitation, form, status=400)
            done = {
                "stars": rating.stars,
                "number": invitation.work_order.number,
                "complaint_opened": hasattr(rating, "complaint"),  # a low rating opened one
            }
            return self.render_as_requester(request, invitation, "feedback/rate_done.html", done, status=200)

    def page(self, request, invitation, form, *, status: int = 200):
        work_order = invitation.work_order
        context = {
            "form": form,
            "number": work_order.number,
            "service": work_order.service,
            "resolved_at": work_order.resolved_at,
            "expires_at": invitation.expires_at,
            "complaint_max_stars": services.feedback_settings_for(work_order.organisation_id).complaint_max_stars,
        }
        return self.render_as_requester(request, invitation, "feedback/rate.html", context, status=status)

    def render_as_requester(self, request, invitation, template: str, context: dict, *, status: int):
        """Render in the requester's language and time zone, whoever opens the link."""
        requester = invitation.work_order.requester
        language = requester.language or settings.LANGUAGE_CODE
        with translation.override(language), timezone.override(zone_or_default(requester.time_zone)):
            response = render(request, template, {**context, "page_language": language}, status=status)
        response["Content-Language"] = language
        return response

    def unavailable(self, request, exc: services.RatingLinkError, *, language: str | None = None):
        context = {"reason": exc.reason, "message": exc.message}
        if language:
            with translation.override(language):
                return render(request, "feedback/rate_unavailable.html", context, status=exc.status_code)
        return render(request, "feedback/rate_unavailable.html", context, status=exc.status_code)


# ---------------------------------------------------------------------------------------------- requester's links


def qr_svg_data_uri(url: str) -> str:
    """A QR code of the URL as an SVG data URI, generated locally."""
    buffer = io.BytesIO()
    qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2).save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


class RatingLinkView(LoginRequiredMixin, View):
    """POST `/wo/<number>/rating/link/`: a fresh rating link for the requester, who is sent straight to it."""

    channel = RatingChannel.PORTAL

    def post(self, request, number):
        work_order = work_order_get_by_number(user=request.user, number=number)
        try:
            issued = services.rating_link_for_requester(actor=request.user, work_order=work_order, channel=self.channel)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:  # already rated, expired, not resolved: say so on the work order page
            messages.error(request, exc.message)
            return redirect("tickets:detail", number=work_order.number)
        return self.issued(request, work_order, issued)

    def issued(self, request, work_order, issued):
        return _private(redirect(issued.path))


class RatingQRView(RatingLinkView):
    """POST `/wo/<number>/rating/qr/`: a printable page with a fresh rating link as a QR code."""

    channel = RatingChannel.QR

    def issued(self, request, work_order, issued):
        url = request.build_absolute_uri(issued.path)
        context = {
            "wo": work_order,
            "url": url,
            "qr": qr_svg_data_uri(url),
            "expires_at": issued.invitation.expires_at,
        }
        return _private(render(request, "feedback/rating_qr.html", context))


# ---------------------------------------------------------------------------------------------- complaints


class ComplaintAccessMixin(LoginRequiredMixin):
    """Complaint pages: the client side and vendor staff; requesters get 403."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.sees_complaints(request.user):
            raise PermissionDenied(_("Your role cannot open this page."))
        return super().dispatch(request, *args, **kwargs)


# The complaint list's column headers sort by these keys (core.listing.sort_list).
COMPLAINT_SORT_KEYS = {
    "number": ("id",),
    "title": ("title",),
    "work_order": ("work_order__number",),
    "vendor": ("vendor__name",),
    "status": ("status",),
    "opened": ("opened_at",),
}


class ComplaintListView(ComplaintAccessMixin, View):
    """`/complaints/`: the complaints the user may see, newest first, with filters (open ones by default)."""

    def get(self, request):
        data = request.GET.copy()
        if "status" not in data and not request.GET:
            data.setlist("status", ["active"])
        filterset = ComplaintFilter(data, queryset=selectors.complaint_list(user=request.user), user=request.user)
        rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        rows, sorting = sort_list(rows, request, keys=COMPLAINT_SORT_KEYS, default=("-opened_at", "-id"))
        page = paginate(rows, request)
        context = {
            "filterset": filterset,
            "sorting": sorting,
            "page": page,
            "complaints": page.items,
            "unassigned": selectors.complaint_list(user=request.user)
            .filter(status__in=[ComplaintStatus.OPEN, ComplaintStatus.INVESTIGATING], assignee__isnull=True)
            .count()
            if request.user.is_superuser or request.user.is_client_side
            else None,
        }
        return render(request, "feedback/complaint_list.html", context)


def complaint_event_item(event) -> dict:
    """How one timeline step reads: a headline and its lines of detail."""
    lines = []
    if event.kind == ComplaintEventKind.STATUS_CHANGED and event.action in ComplaintAction.values:
        headline = ComplaintAction(event.action).label
        if event.to_status in ComplaintStatus.values:
            lines.append(_("Status: %(status)s") % {"status": ComplaintStatus(event.to_status).label})
    elif event.kind == ComplaintEventKind.ASSIGNED:
        headline = event.get_kind_display()
        lines.append(event.data.get("assignee_name") or _("(queue)"))
    else:
        headline = event.get_kind_display()
    if event.body:
        lines.append(event.body)
    return {"event": event, "headline": headline, "lines": lines, "vendor_response": event.data.get("vendor_response")}


def complaint_page(request, complaint, *, status: int = 200, bound: dict | None = None, open_panel: str = ""):
    """Render a complaint's page; `bound` holds forms that came back with errors (input kept)."""
    user = request.user
    bound = bound or {}
    operator = permissions.may_transition_complaint(user, complaint)
    actions = []
    if operator:
        for action, (sources, _target) in COMPLAINT_TRANSITIONS.items():
            if complaint.status in sources:
                failed = bound.get(f"act:{action}")
                actions.append(
                    {
                        "value": action,
                        "label": ComplaintAction(action).label,
                        "url": reverse("feedback:complaint_act", args=[complaint.pk, action]),
                        "needs_text": action in COMPLAINT_ACTIONS_NEEDING_TEXT,
                        "text": failed.data.get("text", "") if failed is not None else "",
                        "open": failed is not None,
                    }
                )
    may_comment = permissions.may_comment_complaint(user, complaint)
    may_internal = permissions.may_comment_complaint(user, complaint, internal=True)
    forms = {}
    if may_comment:
        forms["comment"] = bound.get("comment") or ComplaintCommentForm(may_internal=may_internal)
    if permissions.may_assign_complaint(user, complaint):
        forms["assign"] = bound.get("assign") or ComplaintAssignForm(
            user=user, initial={"expected_version": complaint.version, "assignee": complaint.assignee_id}
        )
    context = {
        "complaint": complaint,
        "events": [complaint_event_item(event) for event in selectors.complaint_events(user=user, complaint=complaint)],
        "actions": actions,
        "forms": forms,
        "open_panel": open_panel,
        "is_vendor": permissions.is_vendor_staff_of(user, complaint.vendor_id),
    }
    return render(request, "feedback/complaint_detail.html", context, status=status)


class ComplaintDetailView(ComplaintAccessMixin, View):
    """`/complaints/<pk>/`: the complaint, its rating, its timeline, and what the user may do with it."""

    def get(self, request, pk):
        return complaint_page(request, selectors.complaint_get(user=request.user, pk=pk))


class ComplaintWriteView(ComplaintAccessMixin, View):
    """Base of the POST-only complaint views: parse a form, call one service, map its errors (input kept)."""

    panel = ""
    success_message = _("Saved.")

    def build_form(self, request, complaint):
        raise NotImplementedError

    def perform(self, request, complaint, form):
        raise NotImplementedError

    def post(self, request, pk, **kwargs):
        complaint = selectors.complaint_get(user=request.user, pk=pk)
        form = self.build_form(request, complaint)
        if not form.is_valid():
            return complaint_page(request, complaint, status=400, bound={self.panel: form}, open_panel=self.panel)
        try:
            self.perform(request, complaint, form)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            current = selectors.complaint_get(user=request.user, pk=pk)
            return complaint_page(
                request, current, status=exc.status_code, bound={self.panel: form}, open_panel=self.panel
            )
        messages.success(request, self.success_message)
        return redirect("feedback:complaint_detail", pk=complaint.pk)


class ComplaintActionView(ComplaintWriteView):
    """POST `/complaints/<pk>/act/<action>/`: one transition of the complaint's lifecycle."""

    def post(self, request, pk, action):
        if action not in COMPLAINT_TRANSITIONS:
            raise Http404
        self.action = action
        self.panel = f"act:{action}"
        self.success_message = ComplaintAction(action).label
        return super().post(request, pk)

    def build_form(self, request, complaint):
        return ComplaintActionForm(request.POST)

    def perform(self, request, complaint, form):
        services.complaint_transition(
            actor=request.user,
            complaint=complaint,
            action=self.action,
            text=form.cleaned_data["text"],
            expected_version=form.cleaned_data["expected_version"],
        )


class ComplaintCommentView(ComplaintWriteView):
    """POST `/complaints/<pk>/comment/`: the vendor's response or the client's note."""

    panel = "comment"
    success_message = _("Comment added.")

    def build_form(self, request, complaint):
        internal = permissions.may_comment_complaint(request.user, complaint, internal=True)
        return ComplaintCommentForm(request.POST, may_internal=internal)

    def perform(self, request, complaint, form):
        services.complaint_comment(
            actor=request.user,
            complaint=complaint,
            body=form.cleaned_data["body"],
            is_internal=form.cleaned_data.get("is_internal", False),
        )


class ComplaintAssignView(ComplaintWriteView):
    """POST `/complaints/<pk>/assign/`: hand the complaint to a client supervisor."""

    panel = "assign"
    success_message = _("Assignment saved.")

    def build_form(self, request, complaint):
        return ComplaintAssignForm(request.POST, user=request.user)

    def perform(self, request, complaint, form):
        services.complaint_assign(
            actor=request.user,
            complaint=complaint,
            assignee=form.cleaned_data["assignee"],
            expected_version=form.cleaned_data["expected_version"],
        )


class ComplaintCreateView(LoginRequiredMixin, View):
    """`/wo/<number>/complaint/`: a client supervisor opens a complaint by hand (e.g. from the hotline)."""

    def get_work_order(self, request, number):
        work_order = work_order_get_by_number(user=request.user, number=number)
        if not permissions.may_open_complaint(request.user, work_order):
            raise PermissionDenied(_("Only the client's supervisors can open complaints."))
        return work_order

    def get(self, request, number):
        work_order = self.get_work_order(request, number)
        return render(request, "feedback/complaint_form.html", {"wo": work_order, "form": ComplaintOpenForm()})

    def post(self, request, number):
        work_order = self.get_work_order(request, number)
        form = ComplaintOpenForm(request.POST)
        if form.is_valid():
            try:
                complaint = services.complaint_open(actor=request.user, work_order=work_order, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The complaint was opened."))
                return redirect("feedback:complaint_detail", pk=complaint.pk)
        return render(request, "feedback/complaint_form.html", {"wo": work_order, "form": form}, status=400)


# ---------------------------------------------------------------------------------------------- prize draws


class DrawAccessMixin(LoginRequiredMixin):
    """Prize-draw pages: the client side reads; its supervisors and administrators publish and draw."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.sees_draws(request.user):
            raise PermissionDenied(_("Your role cannot open this page."))
        return super().dispatch(request, *args, **kwargs)


def _winners_context(draw) -> list[str]:
    names = selectors.participant_names(draw=draw, ids=list(draw.winners))
    return [names.get(pk, "—") for pk in draw.winners]


class DrawListView(DrawAccessMixin, View):
    """`/draws/`: the organisation's quarterly draws; supervisors publish the next one here."""

    def page(self, request, form, *, status: int = 200):
        draws = selectors.prize_draw_list(user=request.user).order_by("-year", "-quarter")
        context = {
            "draws": draws,
            "form": form if permissions.may_manage_draws(request.user) else None,
        }
        return render(request, "feedback/draw_list.html", context, status=status)

    def get(self, request):
        return self.page(request, self.publish_form(request))

    def publish_form(self, request, data=None):
        defaults = services.feedback_settings_for(request.user.organisation_id).draw_winners
        return DrawPublishForm(data, default_winners=defaults)

    def post(self, request):
        if not permissions.may_manage_draws(request.user):
            raise PermissionDenied(_("Only the client's supervisors run prize draws."))
        form = self.publish_form(request, request.POST)
        if form.is_valid():
            try:
                draw = services.prize_draw_publish(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The draw was published. Draw it once the seed is known."))
                return redirect("feedback:draw_detail", pk=draw.pk)
        return self.page(request, form, status=400)


class DrawDetailView(DrawAccessMixin, View):
    """`/draws/<pk>/`: what was published (digest, seed source), the result, and the draw form."""

    def page(self, request, draw, form=None, *, status: int = 200):
        may_draw = permissions.may_manage_draws(request.user) and draw.status == "published"
        context = {
            "draw": draw,
            "winners": _winners_context(draw),
            "form": (form or DrawRunForm()) if may_draw else None,
        }
        return render(request, "feedback/draw_detail.html", context, status=status)

    def get(self, request, pk):
        return self.page(request, selectors.prize_draw_get(user=request.user, pk=pk))

    def post(self, request, pk):
        draw = selectors.prize_draw_get(user=request.user, pk=pk)
        if not permissions.may_manage_draws(request.user):
            raise PermissionDenied(_("Only the client's supervisors run prize draws."))
        form = DrawRunForm(request.POST)
        if form.is_valid():
            try:
                services.prize_draw_run(actor=request.user, draw=draw, seed=form.cleaned_data["seed"])
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The winners were drawn."))
                return redirect("feedback:draw_detail", pk=draw.pk)
        return self.page(request, selectors.prize_draw_get(user=request.user, pk=pk), form, status=400)


class DrawVerifyView(DrawAccessMixin, View):
    """`/draws/<pk>/verify/`: re-run the draw from the stored data and show that it gives the same result."""

    def get(self, request, pk):
        draw = selectors.prize_draw_get(user=request.user, pk=pk)
        check = selectors.prize_draw_verify(draw=draw)
        names = selectors.participant_names(draw=draw, ids=check.winners)
        context = {
            "draw": draw,
            "check": check,
            "winners": [(pk_, names.get(pk_, "—")) for pk_ in check.winners],
            "ranking": check.ranking[:50],
        }
        return render(request, "feedback/draw_verify.html", context)


class DrawParticipantsView(DrawAccessMixin, View):
    """`/draws/<pk>/participants.txt`: the frozen participant ids, one per line, to re-run the draw anywhere."""

    def get(self, request, pk):
        draw = selectors.prize_draw_get(user=request.user, pk=pk)
        return download_response(
            "\n".join(draw.participants) + "\n",
            content_type="text/plain; charset=utf-8",
            filename=f"draw-{draw.year}-q{draw.quarter}-participants.txt",
        )

"""Web pages of the knowledge base: the list and its search, an article, its versions with a diff and restore,
writing and editing, the review steps, writing from a work order or a problem, the suggestions while a work order
is typed (htmx) and "this solved my problem" (a deflection).

Every signed-in role reads what `knowledge.selectors` lets it read (an article it may not read is a 404); the
writes are services, whose refusals become a message on the page with the input kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.catalog.selectors import category_list, service_list
from oversight.configuration.selectors import ci_list
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.knowledge import diffing, permissions, search, selectors, services
from oversight.knowledge.choices import ARTICLE_MACHINE, ArticleAction, ArticleStatus
from oversight.knowledge.forms import ArticleForm, DeflectForm, SuggestForm, TransitionForm
from oversight.problems.selectors import problem_get
from oversight.tenancy.roles import is_requester
from oversight.tickets.selectors import work_order_get

#: How many articles the list shows without a search.
LIST_LIMIT = 100
#: The largest id a query parameter may name (a larger number names nothing and is not sent to the database).
MAX_ID = 2**63 - 1


def paragraphs(text: str) -> list[list[str]]:
    """A plain text as paragraphs (split at blank lines) of lines: the template escapes each line."""
    blocks = [block.strip("\n") for block in (text or "").replace("\r\n", "\n").split("\n\n")]
    return [block.split("\n") for block in blocks if block.strip()]


def _error(request, exc: ApplicationError) -> None:
    messages.error(request, exc.message)


class ArticleListView(LoginRequiredMixin, TemplateView):
    """`/knowledge/`: the articles the user may read; with `q`, the search's best matches instead."""

    template_name = "knowledge/article_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        query = (self.request.GET.get("q") or "").strip()[:200]
        status = self.request.GET.get("status") or ""
        category = self.request.GET.get("category") or ""
        hits, articles = [], []
        if query:
            hits = search.article_search(user=user, text=query, category=category or None, limit=20)
        else:
            qs = selectors.article_list(user=user)
            if status in ArticleStatus.values:
                qs = qs.filter(status=status)
            if category.isdigit() and int(category) <= MAX_ID:
                qs = qs.filter(category_id=int(category))
            articles = list(qs[:LIST_LIMIT])
        context.update(
            {
                "query": query,
                "status": status,
                "category": category,
                "statuses": ArticleStatus.choices,
                "categories": category_list(user=user),
                "hits": hits,
                "articles": articles,
                "limit": LIST_LIMIT,
                "may_write": permissions.may_write(user),
            }
        )
        return context


class ArticleDetailView(LoginRequiredMixin, TemplateView):
    """`/knowledge/<pk>/`: the article in the reader's language, its links and what the reader may do."""

    template_name = "knowledge/article_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        article = selectors.article_get_by_pk(user=user, pk=kwargs["pk"])
        actions = [
            ArticleAction(action)
            for action in ARTICLE_MACHINE.actions_from(article.status)
            if _may(user, article, action)
        ]
        context.update(
            {
                "article": article,
                "paragraphs": paragraphs(article.localized_body),
                "services": article.services.all(),
                "known_errors": article.known_errors.all(),
                "configuration_items": ci_list(user=user).filter(knowledge_articles=article).order_by("name"),
                "solved": selectors.article_work_orders(user=user, article=article)[:20],
                "actions": actions,
                "may_edit": permissions.may_edit(user, article) and article.status == ArticleStatus.DRAFT,
                "may_deflect": is_requester(user),
                "typed": SuggestForm(self.request.GET).data,
                "show_people": selectors.shows_people(user),
            }
        )
        return context


def _may(user, article, action: str) -> bool:
    if action in (ArticleAction.PUBLISH, ArticleAction.REJECT):
        return permissions.may_approve(user, article)
    if action == ArticleAction.RETIRE:
        return permissions.may_retire(user, article)
    return permissions.may_edit(user, article)


class ArticleWriteMixin(LoginRequiredMixin):
    """Shared by the create and edit pages: the form with the user's choices."""

    template_name = "knowledge/article_form.html"

    def render_form(self, form, *, article=None, status=200):
        return render(self.request, self.template_name, {"form": form, "article": article}, status=status)


def _relations(data) -> dict:
    return {
        "title": data["title"],
        "title_en": data["title_en"],
        "body": data["body"],
        "body_en": data["body_en"],
        "audience": data["audience"],
        "category": data["category"],
        "services": list(data["services"]),
        "known_errors": list(data["known_errors"]),
        "configuration_items": list(data["configuration_items"]),
    }


class ArticleCreateView(ArticleWriteMixin, View):
    """`/knowledge/new/`: write a new article (a draft)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.may_write(request.user):
            raise PermissionDenied(_("Your role cannot write articles."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render_form(ArticleForm(user=request.user))

    def post(self, request):
        form = ArticleForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                article = services.article_create(actor=request.user, **_relations(form.cleaned_data))
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The article was saved as a draft."))
                return redirect(article.get_absolute_url())
        return self.render_form(form, status=400)


class ArticleEditView(ArticleWriteMixin, View):
    """`/knowledge/<pk>/edit/`: change a draft (every save of the text is a version)."""

    def article(self, request, pk):
        article = selectors.article_get_by_pk(user=request.user, pk=pk)
        if not permissions.may_edit(request.user, article):
            raise PermissionDenied(_("You cannot edit this article."))
        return article

    def get(self, request, pk):
        article = self.article(request, pk)
        initial = {
            **{f: getattr(article, f) for f in ("title", "title_en", "body", "body_en", "audience", "category")},
            "services": list(article.services.all()),
            "known_errors": list(article.known_errors.all()),
            "configuration_items": list(article.configuration_items.all()),
            "version": article.version,
        }
        return self.render_form(ArticleForm(user=request.user, initial=initial), article=article)

    def post(self, request, pk):
        article = self.article(request, pk)
        form = ArticleForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.article_update(
                    actor=request.user,
                    article=article,
                    expected_version=form.cleaned_data["version"],
                    **_relations(form.cleaned_data),
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The article was saved."))
                return redirect(article.get_absolute_url())
        return self.render_form(form, article=article, status=400)


class ArticleTransitionView(LoginRequiredMixin, View):
    """POST `/knowledge/<pk>/transition/`: submit, approve and publish, return, retire, revise."""

    def post(self, request, pk):
        article = selectors.article_get_by_pk(user=request.user, pk=pk)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest(_("Choose a valid action."))
        try:
            done = services.article_transition(
                actor=request.user,
                article=article,
                action=form.cleaned_data["action"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("The article is now “%(status)s”.") % {"status": done.get_status_display()})
        return redirect(article.get_absolute_url())


class ArticleVersionsView(LoginRequiredMixin, TemplateView):
    """`/knowledge/<pk>/versions/`: every version, and the diff between two (`a`, `b`; default the last two)."""

    template_name = "knowledge/article_versions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        article = selectors.article_get_by_pk(user=user, pk=kwargs["pk"])
        versions = list(selectors.article_versions(article=article))
        by_number = {v.number: v for v in versions}
        newest = versions[0].number if versions else 1
        b = by_number.get(_int(self.request.GET.get("b")), by_number.get(newest))
        a = by_number.get(_int(self.request.GET.get("a")), by_number.get(b.number - 1 if b else 0, b))
        rows = []
        if a is not None and b is not None:
            rows = diffing.diff_lines(_whole(a), _whole(b))
        context.update(
            {
                "article": article,
                "versions": versions,
                "a": a,
                "b": b,
                "rows": rows,
                "changed": diffing.changed(rows),
                "may_restore": permissions.may_edit(user, article) and article.status == ArticleStatus.DRAFT,
                "show_people": selectors.shows_people(user),
            }
        )
        return context


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _whole(version) -> str:
    """A version's texts as one plain text to compare (title, text, English title, English text)."""
    return "\n".join([version.title, "", version.body, "", version.title_en, "", version.body_en]).rstrip("\n")


class ArticleRestoreView(LoginRequiredMixin, View):
    """POST `/knowledge/<pk>/versions/<n>/restore/`: a new version with version n's text."""

    def post(self, request, pk, version):
        article = selectors.article_get_by_pk(user=request.user, pk=pk)
        selectors.article_version_get(article=article, number=version)
        try:
            services.article_restore(
                actor=request.user, article=article, number=version, expected_version=_int(request.POST.get("version"))
            )
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Version %(number)s was restored as a new version.") % {"number": version})
        return redirect("knowledge:versions", pk=article.pk)


class FromWorkOrderView(LoginRequiredMixin, View):
    """POST `/knowledge/from-work-order/<pk>/`: a draft prefilled from a resolved work order the user may see."""

    def post(self, request, pk):
        work_order = work_order_get(user=request.user, pk=pk)
        try:
            article = services.article_from_work_order(actor=request.user, work_order=work_order)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            _error(request, exc)
            return redirect("tickets:detail", number=work_order.number)
        messages.success(request, _("A draft was written from the work order: check it and submit it for review."))
        return redirect("knowledge:edit", pk=article.pk)


class FromProblemView(LoginRequiredMixin, View):
    """POST `/knowledge/from-problem/`: a draft prefilled from a problem the user may see (by its number)."""

    def post(self, request):
        if not permissions.may_write(request.user):
            raise PermissionDenied(_("Your role cannot write articles."))
        problem = problem_get(user=request.user, number=(request.POST.get("problem") or "").strip())
        try:
            article = services.article_from_problem(actor=request.user, problem=problem)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            _error(request, exc)
            return redirect("knowledge:create")
        messages.success(request, _("A draft was written from the problem: check it and submit it for review."))
        return redirect("knowledge:edit", pk=article.pk)


class SuggestView(LoginRequiredMixin, View):
    """GET `/knowledge/suggest/` (htmx): the five best articles for what is being typed into a new work order."""

    def get(self, request):
        form = SuggestForm(request.GET)
        hits = []
        if form.is_valid():
            service = None
            if form.cleaned_data["service"]:
                service = service_list(user=request.user).filter(pk=form.cleaned_data["service"]).first()
            hits = search.article_search(
                user=request.user, text=form.text(), category=service.category_id if service else None
            )
        context = {"hits": hits, "may_deflect": is_requester(request.user)}
        return render(request, "knowledge/partials/suggestions.html", context)


class DeflectView(LoginRequiredMixin, View):
    """POST `/knowledge/<pk>/solved/`: a requester's "this solved my problem" — nothing is submitted, the
    avoided work order is counted with what they had typed."""

    def post(self, request, pk):
        article = selectors.article_get_by_pk(user=request.user, pk=pk)
        form = DeflectForm(request.POST)
        form.is_valid()
        data = form.cleaned_data
        service = None
        if data.get("service"):
            service = service_list(user=request.user).filter(pk=data["service"]).first()
        try:
            services.deflection_record(
                actor=request.user,
                article=article,
                title=data.get("title") or "",
                description=data.get("description") or "",
                service=service,
            )
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            _error(request, exc)
            return redirect(article.get_absolute_url())
        messages.success(request, _("Glad it helped. No work order was submitted."))
        return redirect("tickets:portal")

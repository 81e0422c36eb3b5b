"""The knowledge base (知识库): versioned articles, their review, and suggestions while a work order is typed."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    """Articles that solve work orders, versioned and reviewed, suggested while a requester or an agent types."""

    name = "oversight.knowledge"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        """Register the KPI sources and the sections the knowledge base adds to the work-order pages."""
        from oversight.core.sections import contribute
        from oversight.knowledge import kpis, sections

        kpis.register()
        contribute(
            "tickets.work_order_form",
            name="knowledge.suggestions",
            template="knowledge/sections/work_order_form.html",
            context=sections.work_order_form_context,
        )
        contribute(
            "tickets.work_order_side",
            name="knowledge.write_from_work_order",
            template="knowledge/sections/work_order_side.html",
            context=sections.work_order_side_context,
            order=200,
        )
        contribute(
            "problems.problem_side",
            name="knowledge.write_from_problem",
            template="knowledge/sections/problem_side.html",
            context=sections.problem_side_context,
        )

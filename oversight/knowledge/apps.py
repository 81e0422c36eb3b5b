"""The knowledge base (知识库): versioned articles, their review, and suggestions while a work order is typed."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    """Articles that solve work orders, versioned and reviewed, suggested while a requester or an agent types."""

    name = "oversight.knowledge"
    verbose_name = _("Knowledge base")

"""Web pages for work orders: portal, submit (also from QR codes), the work-order page and its actions,
the vendor workbench, the client supervision board with exports, and the QR intake points.

Views only parse input and call tickets.services; what anyone may see comes from tickets.selectors.
"""

from oversight.tickets.views.calendars import CalendarApplyView
from oversight.tickets.views.intake import IntakePointListView, IntakePointQRView
from oversight.tickets.views.lists import BoardExportView, BoardView, BulkView, WorkbenchView
from oversight.tickets.views.portal import IntakeView, OfferingOptionsView, PortalView, WorkOrderCreateView
from oversight.tickets.views.work_order import (
    ActionView,
    AssignView,
    AttachmentDownloadView,
    AttachmentUploadView,
    CommentView,
    DetailsView,
    PriorityView,
    TransferView,
    WorkOrderDetailView,
)

__all__ = [
    "ActionView",
    "AssignView",
    "AttachmentDownloadView",
    "AttachmentUploadView",
    "CalendarApplyView",
    "BoardExportView",
    "BoardView",
    "BulkView",
    "CommentView",
    "DetailsView",
    "IntakePointListView",
    "IntakePointQRView",
    "IntakeView",
    "OfferingOptionsView",
    "PortalView",
    "PriorityView",
    "TransferView",
    "WorkOrderCreateView",
    "WorkOrderDetailView",
    "WorkbenchView",
]

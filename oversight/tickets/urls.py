"""Web URLs of the tickets app: portal, QR intake, work-order pages, workbench, board and exports."""

from django.urls import path, re_path

from oversight.tickets import views

app_name = "tickets"

urlpatterns = [
    path("portal/", views.PortalView.as_view(), name="portal"),
    path("portal/new/", views.WorkOrderCreateView.as_view(), name="create"),
    path("portal/offerings/", views.OfferingOptionsView.as_view(), name="offering_options"),
    path("q/<str:token>/", views.IntakeView.as_view(), name="intake"),
    path("wo/<str:number>/", views.WorkOrderDetailView.as_view(), name="detail"),
    path("wo/<str:number>/act/<str:action>/", views.ActionView.as_view(), name="act"),
    path("wo/<str:number>/assign/", views.AssignView.as_view(), name="assign"),
    path("wo/<str:number>/transfer/", views.TransferView.as_view(), name="transfer"),
    path("wo/<str:number>/priority/", views.PriorityView.as_view(), name="priority"),
    path("wo/<str:number>/edit/", views.DetailsView.as_view(), name="edit"),
    path("wo/<str:number>/comment/", views.CommentView.as_view(), name="comment"),
    path("wo/<str:number>/attach/", views.AttachmentUploadView.as_view(), name="attach"),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment"),
    path("workbench/", views.WorkbenchView.as_view(), name="workbench"),
    path("board/", views.BoardView.as_view(), name="board"),
    path("board/bulk/", views.BulkView.as_view(), name="bulk"),
    re_path(r"^board/export\.(?P<fmt>csv|xlsx)$", views.BoardExportView.as_view(), name="board_export"),
    path("intake-points/", views.IntakePointListView.as_view(), name="intake_points"),
    path("setup/calendars/<int:pk>/apply/", views.CalendarApplyView.as_view(), name="calendar_apply"),
    re_path(
        r"^intake-points/(?P<pk>[0-9]+)/qr\.(?P<fmt>svg|png)$", views.IntakePointQRView.as_view(), name="intake_qr"
    ),
]

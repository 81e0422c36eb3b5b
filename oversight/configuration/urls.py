"""Web URLs of the configuration app (mounted under /configuration/)."""

from django.urls import path

from oversight.configuration import class_views, group_views, import_views, spot_check_views, views

app_name = "configuration"

urlpatterns = [
    path("", views.CIListView.as_view(), name="list"),
    path("new/", views.CICreateView.as_view(), name="create"),
    path("<int:pk>/", views.CIDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CIEditView.as_view(), name="edit"),
    path("<int:pk>/status/", views.CITransitionView.as_view(), name="transition"),
    path("<int:pk>/relations/", views.RelationAddView.as_view(), name="relation_add"),
    path("relations/<int:pk>/remove/", views.RelationRemoveView.as_view(), name="relation_remove"),
    path("work-orders/<int:pk>/cis/", views.WorkOrderLinkView.as_view(), name="work_order_link"),
    path("work-order-links/<int:pk>/remove/", views.WorkOrderUnlinkView.as_view(), name="work_order_unlink"),
    path("imports/", import_views.ImportListView.as_view(), name="import_list"),
    path("imports/<int:pk>/", import_views.ImportDetailView.as_view(), name="import_detail"),
    path("imports/<int:pk>/apply/", import_views.ImportApplyView.as_view(), name="import_apply"),
    path("imports/<int:pk>/progress/", import_views.ImportProgressView.as_view(), name="import_progress"),
    path("classes/", class_views.CIClassListView.as_view(), name="class_list"),
    path("classes/new/", class_views.CIClassCreateView.as_view(), name="class_create"),
    path("classes/<int:pk>/", class_views.CIClassDetailView.as_view(), name="class_detail"),
    path("classes/<int:pk>/edit/", class_views.CIClassEditView.as_view(), name="class_edit"),
    path("classes/<int:pk>/attributes/", class_views.AttributeDefineView.as_view(), name="attribute_define"),
    path("groups/", group_views.RedundancyGroupListView.as_view(), name="group_list"),
    path("groups/new/", group_views.RedundancyGroupCreateView.as_view(), name="group_create"),
    path("groups/<int:pk>/", group_views.RedundancyGroupDetailView.as_view(), name="group_detail"),
    path("groups/<int:pk>/edit/", group_views.RedundancyGroupEditView.as_view(), name="group_edit"),
    path("spot-checks/", spot_check_views.SpotCheckListView.as_view(), name="spot_check_list"),
    path("spot-checks/new/", spot_check_views.SpotCheckCreateView.as_view(), name="spot_check_create"),
    path("spot-checks/<int:pk>/", spot_check_views.SpotCheckDetailView.as_view(), name="spot_check_detail"),
]

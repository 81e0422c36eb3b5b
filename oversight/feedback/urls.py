"""Web URLs of the feedback app: the public rating page, rating links, complaints and prize draws."""

from django.urls import path

from oversight.feedback import views

app_name = "feedback"

urlpatterns = [
    path("r/<str:token>/", views.RateView.as_view(), name="rate"),
    path("wo/<str:number>/rating/link/", views.RatingLinkView.as_view(), name="rating_link"),
    path("wo/<str:number>/rating/qr/", views.RatingQRView.as_view(), name="rating_qr"),
    path("wo/<str:number>/complaint/", views.ComplaintCreateView.as_view(), name="complaint_create"),
    path("complaints/", views.ComplaintListView.as_view(), name="complaints"),
    path("complaints/<int:pk>/", views.ComplaintDetailView.as_view(), name="complaint_detail"),
    path("complaints/<int:pk>/act/<str:action>/", views.ComplaintActionView.as_view(), name="complaint_act"),
    path("complaints/<int:pk>/comment/", views.ComplaintCommentView.as_view(), name="complaint_comment"),
    path("complaints/<int:pk>/assign/", views.ComplaintAssignView.as_view(), name="complaint_assign"),
    path("draws/", views.DrawListView.as_view(), name="draws"),
    path("draws/<int:pk>/", views.DrawDetailView.as_view(), name="draw_detail"),
    path("draws/<int:pk>/verify/", views.DrawVerifyView.as_view(), name="draw_verify"),
    path("draws/<int:pk>/participants.txt", views.DrawParticipantsView.as_view(), name="draw_participants"),
]

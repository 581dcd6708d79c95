from django.urls import path

from .views import bindings, guardians, roll

app_name = "people"
urlpatterns = [
    path("guardians/", guardians.GuardianList.as_view(), name="guardian_list"),
    path("guardians/<id:pk>/", guardians.guardian_detail, name="guardian_detail"),
    path("students/<id:pk>/guardians/add/", guardians.guardian_add, name="guardian_add"),
    path("guardianships/<id:pk>/edit/", guardians.guardianship_edit, name="guardianship_edit"),
    path("guardianships/<id:pk>/remove/", guardians.guardianship_remove, name="guardianship_remove"),
    path("bind/", bindings.bind, name="bind"),
    path("bindings/", bindings.BindingList.as_view(), name="binding_list"),
    path("bindings/<id:pk>/confirm/", bindings.binding_confirm, name="binding_confirm"),
    path("bindings/<id:pk>/refuse/", bindings.binding_refuse, name="binding_refuse"),
    path("promotion/", roll.promotion_preview, name="promotion"),
    path("promotion/<id:org>/start/", roll.promotion_start, name="promotion_start"),
    path("students/<id:pk>/change/", roll.roll_change, name="roll_change"),
]

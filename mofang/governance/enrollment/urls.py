"""/enrollment/ — mounted by the root URLconf (app_name "enrollment").

The look-up pages are public (no login); the bureau pages sit under manage/.
"""

from django.urls import path

from .views import bureau, draw, public, registration, results, waivers

app_name = "enrollment"
urlpatterns = [
    path("", public.index, name="index"),
    path("schools/", public.school_list, name="school_list"),
    path("schools/<id:pk>/", public.school, name="school"),
    path("draws/", public.draws_index, name="draws"),
    path("draws/<id:pk>/", public.draw, name="draw"),
    path("register/", registration.register, name="register"),
    path("my/", registration.my_registrations, name="my_registrations"),
    path("my/<id:pk>/withdraw/", registration.withdraw, name="withdraw"),
    path("my/<id:pk>/waive/", registration.waive, name="waive"),
    path("my/<id:pk>/notice.pdf", results.my_notice, name="my_notice"),
    path("documents/<id:pk>/", registration.document, name="document"),
    path("manage/registrations/", registration.RegistrationList.as_view(), name="registration_list"),
    path("manage/admitted/", results.AdmittedList.as_view(), name="admitted_list"),
    path("manage/admitted/notices.pdf", results.AdmittedNotices.as_view(), name="admitted_notices"),
    path("manage/waivers/", waivers.WaiverList.as_view(), name="waiver_list"),
    path("manage/waivers/<id:pk>/", waivers.waiver, name="waiver"),
    path("manage/warnings/", bureau.WarningList.as_view(), name="warning_list"),
    path("manage/schools/<id:pk>/", bureau.school_manage, name="school_manage"),
    path("manage/schools/<id:pk>/plan/", bureau.set_plan, name="set_plan"),
    path("manage/schools/<id:pk>/overflow/", bureau.set_overflow, name="set_overflow"),
    path("manage/communities/", bureau.CommunityList.as_view(), name="community_list"),
    path("manage/draws/", draw.DrawList.as_view(), name="draw_list"),
    path("manage/draws/new/", draw.draw_new, name="draw_new"),
    path("manage/draws/<id:pk>/", draw.draw_manage, name="draw_manage"),
    path("manage/admissions/", draw.AdmissionList.as_view(), name="admission_list"),
    path("manage/policy/", bureau.policy_index, name="policy_index"),
    path("manage/policy/<id:pk>/", bureau.policy_edit, name="policy_edit"),
    path("manage/policy/<id:pk>/categories/", bureau.policy_categories, name="policy_categories"),
    path("manage/policy/<id:pk>/window/", bureau.policy_window, name="policy_window"),
    path("manage/policy/<id:pk>/mechanism/", bureau.policy_mechanism, name="policy_mechanism"),
]

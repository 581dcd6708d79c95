"""The site's addresses plus the example tables' routing pages, mounted as a module mounts its own."""

from django.urls import include, path

from mofang.platform.cases.views.routes import urlpatterns_for
from mofang.urls import urlpatterns as site

urlpatterns = [
    path("casetest/", include((urlpatterns_for("casetest.hazard"), "casetest"))),
    path("casetest-approval/", include((urlpatterns_for("casetest.approval"), "casetest_approval"))),
    *site,
]

"""Which crisis cases a user may open: the one rule behind the module's case page and the engine's
generic /cases/<id>/ link (CaseType.own_page sends readers here, where every read is audited)."""

from django.db.models import Q
from django.urls import reverse

from mofang.platform.cases.models import Case

from .cases import CODE
from .cases import VIEW as VIEW_CASE
from .models import CrisisAlert, HotlineCall
from .roles import VIEW_RECORD


def crisis_case_for(user, pk: int) -> Case | None:
    """A crisis case is opened by the professionals assigned to its student (through the alert or a
    hotline call, @assigned) and by the county centre (view_case on its subtree); nobody else."""
    case = Case.objects.visible_to(user, VIEW_CASE).filter(pk=pk, case_type=CODE).first()
    if case is None:
        mine = Q(pk__in=CrisisAlert.objects.visible_to(user, VIEW_RECORD).values("case_id")) | Q(
            pk__in=HotlineCall.objects.visible_to(user, VIEW_RECORD).values("case_id")
        )
        case = Case.objects.visible_to(user, "mentalhealth.handle_case").filter(mine, pk=pk, case_type=CODE).first()
    return case


def case_page(user, pk: int) -> str | None:
    """CaseType.own_page: the module's page of case `pk`, if `user` may open it."""
    return reverse("mentalhealth:case", args=[pk]) if crisis_case_for(user, pk) is not None else None

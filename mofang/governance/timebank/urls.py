"""/timebank/ — mounted by the root URLconf (app_name "timebank")."""

from django.urls import path

from .views import bank, review, teacher

app_name = "timebank"
urlpatterns = [
    path("", teacher.index, name="index"),
    # a teacher's own account
    path("my/", teacher.my_account, name="my"),
    path("my/leave/", teacher.request_leave, name="request_leave"),
    path("leaves/<id:pk>/cancel/", teacher.cancel_leave, name="cancel_leave"),
    # banks
    path("banks/", bank.BankList.as_view(), name="bank_list"),
    path("banks/open/", bank.open_bank, name="open_bank"),
    path("banks/<id:pk>/", bank.bank_detail, name="bank_detail"),
    path("banks/<id:pk>/accounts/", bank.BankAccountList.as_view(), name="bank_accounts"),
    path("banks/<id:pk>/accounts/open/", bank.open_accounts, name="open_accounts"),
    path("banks/<id:pk>/rates/", bank.set_rate, name="set_rate"),
    path("banks/<id:pk>/substitutions/new/", bank.record_substitution, name="record_substitution"),
    path("banks/<id:pk>/duties/new/", bank.record_duty, name="record_duty"),
    path("banks/<id:pk>/statements/run/", bank.run_statements, name="run_statements"),
    path("banks/<id:pk>/export/", bank.export_bank_year_end, name="export_bank"),
    path("export/", bank.export_year_end, name="export"),
    # accounts, ledger, records
    path("accounts/", bank.AccountList.as_view(), name="account_list"),
    path("accounts/<id:pk>/", teacher.account_detail, name="account_detail"),
    path("entries/", review.EntryList.as_view(), name="entry_list"),
    path("entries/<id:pk>/correct/", review.correct_entry, name="correct_entry"),
    path("substitutions/", review.SubstitutionList.as_view(), name="substitution_list"),
    path("duties/", review.DutyList.as_view(), name="duty_list"),
    # leave
    path("approvals/", review.approvals, name="approvals"),
    path("leaves/", review.LeaveList.as_view(), name="leave_list"),
    path("leaves/<id:pk>/approve/", review.approve_leave, name="approve_leave"),
    path("leaves/<id:pk>/reject/", review.reject_leave, name="reject_leave"),
    # 一月一反馈
    path("statements/", review.StatementList.as_view(), name="statement_list"),
    path("statements/<id:pk>/", teacher.statement_detail, name="statement_detail"),
    path("publications/", review.PublicationList.as_view(), name="publication_list"),
    path("publications/<id:pk>/", review.publication_detail, name="publication_detail"),
]

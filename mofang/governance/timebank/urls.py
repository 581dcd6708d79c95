"""/timebank/ — mounted by the root URLconf (app_name "timebank")."""

from django.urls import path

from .views import bank, review, teacher

app_name = "timebank"
urlpatterns = [
    path("", teacher.index, name="index"),
    # a teacher's own account
    path("my/", teacher.my_account, name="my"),
    path("my/leave/", teacher.request_leave, name="request_leave"),
    path("leaves/<int:pk>/cancel/", teacher.cancel_leave, name="cancel_leave"),
    # banks
    path("banks/", bank.BankList.as_view(), name="bank_list"),
    path("banks/open/", bank.open_bank, name="open_bank"),
    path("banks/<int:pk>/", bank.bank_detail, name="bank_detail"),
    path("banks/<int:pk>/accounts/", bank.BankAccountList.as_view(), name="bank_accounts"),
    path("banks/<int:pk>/accounts/open/", bank.open_accounts, name="open_accounts"),
    path("banks/<int:pk>/rates/", bank.set_rate, name="set_rate"),
    path("banks/<int:pk>/substitutions/new/", bank.record_substitution, name="record_substitution"),
    path("banks/<int:pk>/duties/new/", bank.record_duty, name="record_duty"),
    path("banks/<int:pk>/statements/run/", bank.run_statements, name="run_statements"),
    path("banks/<int:pk>/export/", bank.export_bank_year_end, name="export_bank"),
    path("export/", bank.export_year_end, name="export"),
    # accounts, ledger, records
    path("accounts/", bank.AccountList.as_view(), name="account_list"),
    path("accounts/<int:pk>/", teacher.account_detail, name="account_detail"),
    path("entries/", review.EntryList.as_view(), name="entry_list"),
    path("entries/<int:pk>/correct/", review.correct_entry, name="correct_entry"),
    path("substitutions/", review.SubstitutionList.as_view(), name="substitution_list"),
    path("duties/", review.DutyList.as_view(), name="duty_list"),
    # leave
    path("approvals/", review.approvals, name="approvals"),
    path("leaves/", review.LeaveList.as_view(), name="leave_list"),
    path("leaves/<int:pk>/approve/", review.approve_leave, name="approve_leave"),
    path("leaves/<int:pk>/reject/", review.reject_leave, name="reject_leave"),
    # 一月一反馈
    path("statements/", review.StatementList.as_view(), name="statement_list"),
    path("statements/<int:pk>/", teacher.statement_detail, name="statement_detail"),
    path("publications/", review.PublicationList.as_view(), name="publication_list"),
    path("publications/<int:pk>/", review.publication_detail, name="publication_detail"),
]

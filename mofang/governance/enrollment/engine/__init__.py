"""The assignment engine: pure Python, no Django — student-proposing deferred acceptance with
single lottery tie-breaking (and the 志愿优先/Boston option), reproducible from a published seed."""

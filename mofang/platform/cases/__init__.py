"""The closed-loop case engine (闭环, SPEC §1.8): one Case model for every module's loop.

Modules declare case types as data (`registry.CaseType`: states, transitions, deadlines by
severity, reminders, escalation, reporter confirmation, 回头看) in their AppConfig.ready(); the
engine stores every case in one table, keeps an append-only timeline, scans for overdue cases in
a constant number of queries, and hands cases off to external platforms (基层治理四平台).

Library choice: a small engine of our own (registry.py + services.py), no state-machine library.
- django-fsm-2 (and django-fsm, django-fsm-log): the graph is written as decorated methods of one
  model class, so every module would need its own model (or one class holding every module's
  graph); our types are data per module over one Case model, and its log cannot carry our
  comments, attachments, claims and escalations, so we would keep a second timeline anyway.
- python-statemachine: a machine is a Python class with states as class attributes; building
  classes at run time from declarations and binding them to rows adds a layer without removing
  any of our work (permissions by org subtree, deadlines, the set-based overdue scan).
- django-viewflow: a complete BPMN-style workflow system with its own process and task tables,
  views and (in its PRO parts) a commercial licence; far more than a declared graph and one table.
Validating a declared graph (unknown and unreachable states, no closed state) is a few lines here.
"""

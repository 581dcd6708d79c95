"""校园及周边安全防控一件事 — SPEC §3.2 (seed 002): hazards reported by schools, routed to departments as task packages on the case engine, claimed, handled, confirmed; 服务指导 visits; 一校一单."""

"""入学早知道 and compulsory-education enrollment (SPEC §3.1): public look-up, 3-year warnings,
registration, and the verifiable assignment engine (电脑派位)."""

"""Pages over guardians (家长) and parents' binding requests (绑定孩子)."""

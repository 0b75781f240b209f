"""Knowledge across documents: facts merged from many reports, corroboration, contradictions."""

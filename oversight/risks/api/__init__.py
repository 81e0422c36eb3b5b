"""The risks app's API, one module per part (`register`; the quantification and triggers add theirs)."""

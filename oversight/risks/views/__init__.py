"""Web pages of the risks app, one module per part: the register (`register`, `mitigations`), the
quantification and the triggers add their own modules."""

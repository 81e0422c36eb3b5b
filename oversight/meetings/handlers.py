"""The meetings app reacts to domain events here (imported from ``MeetingsConfig.ready``). Handlers are
idempotent."""

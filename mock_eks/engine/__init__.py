"""Layer 6, the engine: one pipeline for every request (route, parse, validate, call the handler,
serialize), the handler API (``@operation``, ``Context``) and pagination. It never names the behaviour
modules: the composition root hands it their loader (``HANDLERS.use``)."""

"""The bundled demo publisher and the ``crawler demo`` walk-through."""

"""Factor editions shipped with carbonclap-methods (installed as
``carbonclap_methods.editions``; found with importlib.resources)."""

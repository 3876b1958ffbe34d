"""Example assessments shipped with carbonclap-methods (installed as
``carbonclap_methods.examples``; found with importlib.resources)."""

"""Notebooks shipped with carbonclap-methods, the app's among them (installed
as ``carbonclap_methods.notebooks``; found with importlib.resources)."""

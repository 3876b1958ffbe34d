"""Study notebooks and their data shipped with carbonclap-methods (installed
as ``carbonclap_methods.study_notebooks``; found with importlib.resources)."""

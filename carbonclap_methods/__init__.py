"""carbonclap-methods: open carbon footprint methodology for audiovisual and
sound productions, following Ecoprod's Carbon'Clap."""

__version__ = "0.1.0"

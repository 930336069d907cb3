"""Code that runs inside the Rasa server (Rasa environment pins apply: SQLAlchemy 1.4, pydantic<1.10.10).

Keep it small and free of application imports: the application environment's
packages are not installed here.
"""

"""claimsapi: a REST service that turns news articles into source-attributed claims."""

__version__ = "0.1.0"

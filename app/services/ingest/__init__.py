"""Ingestion: one check of an article, one way a split becomes rows, the split pool and the
store; the three lanes (POST /v1/articles, the batch route, `claimsapi ingest`) call
the same steps.
"""

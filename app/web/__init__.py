"""The pages people read in a browser: the claim explorer, articles, entities, embeds.

Server-rendered from the same services and repository functions as the JSON API,
readable without JavaScript, and left out of the OpenAPI document (`routes.router`).
"""

"""HTTP routers, one per resource; each route parses, delegates and renders."""

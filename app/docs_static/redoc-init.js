// Starts ReDoc on /redoc; a file of its own so the page's CSP needs no inline script.
// No web fonts: ReDoc's default font list would otherwise load from elsewhere.
Redoc.init(
  "/openapi.json",
  { theme: { typography: { fontFamily: "system-ui, sans-serif", headings: { fontFamily: "system-ui, sans-serif" } } } },
  document.getElementById("redoc"),
);

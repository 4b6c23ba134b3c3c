"""Use cases: routes and the command line call these; these call the splitter and repository."""

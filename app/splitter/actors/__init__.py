"""Who a statement is about: the actor registry and the tagger that finds its actors."""

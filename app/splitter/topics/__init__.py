"""What a statement is about: the topic taxonomy and its matcher."""

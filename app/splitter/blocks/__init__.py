"""From the received input (text, Markdown, HTML, a whole page) to blocks of text that
remember where each character came from."""

"""The claim splitter: text in, source-attributed statements out. No web or DB imports.

`core.Splitter` splits one article; `types` holds what it returns.
"""

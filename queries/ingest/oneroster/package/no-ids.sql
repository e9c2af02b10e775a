-- No IDs: what a set of IDs is when the package has no file for it.
(SELECT NULL::VARCHAR AS id WHERE false)

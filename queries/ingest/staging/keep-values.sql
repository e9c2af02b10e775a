-- Values Node computes (computed-in-node.ts), each once, kept to be handed over slice by slice.
CREATE TABLE {{table}} AS {{values}}

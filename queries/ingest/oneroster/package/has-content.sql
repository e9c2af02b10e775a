-- A row that carries content: not a delta row deleting its key (which names nothing else).
NOT deleting

INSERT INTO main.loaded_batches (batch_id) VALUES ($1::UUID)
